/**
 * Several processes opening one fresh SQLite database at the same moment,
 * as when a service and the CLI (or two service processes) start together:
 * each must migrate, check the key and write, with or without a configured
 * ENCRYPTION_KEY, and all must end up on one schema and one key. Seen before
 * the fix: "table meta already exists", "database is locked", and EEXIST on
 * the generated key file.
 */
import {spawn} from 'node:child_process';
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {createInterface} from 'node:readline';
import {DatabaseSync} from 'node:sqlite';
import {fileURLToPath} from 'node:url';
import {afterEach, describe, expect, it} from 'vitest';
import {createLogger} from '../../src/log.ts';
import {openStorage} from '../../src/storage/open-storage.ts';
import {SQLITE_MIGRATIONS} from '../../src/storage/sqlite-migrations.ts';
import {tempDir, TEST_KEY} from '../helpers/test-app.ts';

const OPENER = fileURLToPath(new URL('./sqlite-opener.ts', import.meta.url));
const PROCESSES = 6;

const dirs: ReturnType<typeof tempDir>[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

/** Starts the openers, waits until each has loaded its code, then lets them all go at once; resolves with what each printed last. */
async function openTogether(file: string, key: string | undefined): Promise<string[]> {
  const children = Array.from({length: PROCESSES}, (_, i) =>
    spawn(process.execPath, [OPENER, file, `shop-${i}.myshopify.com`, ...(key ? [key] : [])], {stdio: ['pipe', 'pipe', 'inherit']}),
  );
  const results = children.map((child) => {
    const lines = createInterface({input: child.stdout!});
    const ready = new Promise<void>((resolve) => lines.once('line', () => resolve()));
    const last = new Promise<string>((resolve) => {
      let seen = '';
      lines.on('line', (line) => (seen = line));
      child.once('close', () => resolve(seen));
    });
    return {child, ready, last};
  });
  await Promise.all(results.map((r) => r.ready));
  for (const {child} of results) child.stdin!.end('go\n');
  return Promise.all(results.map((r) => r.last));
}

async function shopsIn(file: string, key: string): Promise<string[]> {
  const storage = await openStorage({databaseUrl: `sqlite:${file}`, encryptionKey: key, log: createLogger('silent')});
  try {
    // Every secret decrypts with this key: nobody wrote with another one.
    return (await storage.listShops()).map((s) => `${s.shop} ${s.secret}`);
  } finally {
    await storage.close();
  }
}

function userVersion(file: string): number {
  const db = new DatabaseSync(file);
  try {
    return Number((db.prepare('PRAGMA user_version').get() as {user_version: number}).user_version);
  } finally {
    db.close();
  }
}

const expectedShops = Array.from({length: PROCESSES}, (_, i) => `shop-${i}.myshopify.com secret-of-shop-${i}.myshopify.com`).sort();

describe(`${PROCESSES} processes opening one fresh SQLite database at once`, () => {
  it.each([
    ['with ENCRYPTION_KEY', TEST_KEY],
    ['with a key generated into the data folder', undefined],
  ])('%s: every process opens and writes, on one schema and one key', async (_name, key) => {
    const tmp = tempDir();
    dirs.push(tmp);
    const file = join(tmp.dir, 'callina.sqlite');
    expect(await openTogether(file, key)).toEqual(Array(PROCESSES).fill('ok'));
    expect(userVersion(file)).toBe(SQLITE_MIGRATIONS.length);
    const usedKey = key ?? readFileSync(join(tmp.dir, 'encryption.key'), 'utf8').trim();
    expect((await shopsIn(file, usedKey)).sort()).toEqual(expectedShops);
    // Only the key file itself: no draft left behind by the processes that lost the race to create it.
    expect(readdirSync(tmp.dir).filter((f) => f.startsWith('encryption.key'))).toEqual(key ? [] : ['encryption.key']);
  }, 60_000); // six Node processes starting at once on a busy machine
});
