/**
 * Storage survives a crash: a child process writes shops, call events,
 * secret rotations and sessions to a SQLite file through the real storage
 * and is killed with SIGKILL in the middle. Reopened, the database passes
 * SQLite's integrity check, every row is complete and decrypts, and every
 * write the child saw return is there. Three kills, one file.
 */
import {spawn} from 'node:child_process';
import {join} from 'node:path';
import {createInterface} from 'node:readline';
import {DatabaseSync} from 'node:sqlite';
import {fileURLToPath} from 'node:url';
import {afterEach, describe, expect, it} from 'vitest';
import {createLogger} from '../../src/log.ts';
import {openStorage} from '../../src/storage/open-storage.ts';
import {tempDir} from '../helpers/test-app.ts';

const WRITER = fileURLToPath(new URL('./storage-writer.ts', import.meta.url));
const KEY = 'c'.repeat(64);
const BASE_SHOP = 'crash-base.myshopify.com';

let cleanup: () => void = () => {};
afterEach(() => cleanup());

/** Runs the writer until it has acknowledged `rounds` rounds of writes, then SIGKILLs it; resolves with what it acknowledged. */
function writeThenKill(file: string, run: number, rounds: number): Promise<number> {
  const child = spawn(process.execPath, [WRITER, file, String(run), KEY, BASE_SHOP], {stdio: ['ignore', 'pipe', 'inherit']});
  let acknowledged = -1;
  return new Promise((resolve, reject) => {
    createInterface({input: child.stdout!}).on('line', (line) => {
      if (line === 'ready') return;
      acknowledged = Number(line);
      if (acknowledged + 1 === rounds) child.kill('SIGKILL');
    });
    child.once('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acknowledged + 1);
      else reject(new Error(`writer exited with ${code}`));
    });
  });
}

function sqliteChecks(file: string): {integrity: string[]; journal: string} {
  const db = new DatabaseSync(file);
  try {
    const integrity = (db.prepare('PRAGMA integrity_check').all() as {integrity_check: string}[]).map((r) => r.integrity_check);
    const journal = (db.prepare('PRAGMA journal_mode').get() as {journal_mode: string}).journal_mode;
    return {integrity, journal};
  } finally {
    db.close();
  }
}

describe('SIGKILL in the middle of writes', () => {
  it('leaves a database that opens, passes integrity_check and holds every acknowledged write, complete', async () => {
    const tmp = tempDir();
    cleanup = tmp.remove;
    const file = join(tmp.dir, 'crash.sqlite');
    const acknowledged: number[] = [];
    // Kill points differ per run; each later run writes on top of what the earlier ones left.
    for (const [run, rounds] of [[1, 40], [2, 150], [3, 7]] as const) {
      acknowledged[run] = await writeThenKill(file, run, rounds);
      expect(acknowledged[run]).toBeGreaterThanOrEqual(rounds);
      expect(sqliteChecks(file)).toEqual({integrity: ['ok'], journal: 'wal'});
    }

    const storage = await openStorage({databaseUrl: `sqlite:${file}`, encryptionKey: KEY, log: createLogger('silent')});
    try {
      const shops = await storage.listShops();
      const byName = new Map(shops.map((s) => [s.shop, s]));
      // Every row decrypts and has every field; the one write in flight is either all there or not at all.
      for (const shop of shops) {
        expect(shop.hookId).toMatch(/^[A-Za-z0-9_-]{22,64}$/);
        expect(shop.secret).toMatch(/^secret-\d+-\d+$/);
        expect(shop.storePhone).toBe('+43662275124');
        expect(Number.isNaN(shop.installedAt.getTime())).toBe(false);
        if (shop.shop !== BASE_SHOP) {
          const id = /^crash-(\d+-\d+)\.myshopify\.com$/.exec(shop.shop)![1];
          expect(shop).toMatchObject({secret: `secret-${id}`, accessToken: `shpat_${id}`, defaultLanguage: 'de', verification: 'caller_phone', connection: 'ok'});
        }
      }
      const events = await storage.listCallEvents(BASE_SHOP, {limit: 10_000});
      const eventIds = new Set(events.map((e) => e.callId));
      for (const event of events) {
        expect(event.kind === 'silence' ? event.silenceMs : event.reason).not.toBeNull();
        expect(event.callerPhoneMasked).toMatch(/^\+43\*+\d{2}$/);
      }
      for (const [run, count] of acknowledged.entries()) {
        for (let i = 0; i < (count ?? 0); i++) {
          const id = `${run}-${i}`;
          expect(byName.has(`crash-${id}.myshopify.com`), `shop ${id}`).toBe(true);
          expect(eventIds.has(`call-${id}`), `call event ${id}`).toBe(true);
          const session = await storage.loadSession(`offline_crash-${id}.myshopify.com`);
          expect(session, `session ${id}`).toMatchObject({accessToken: `shpat_session_${id}`, refreshToken: `shprt_${id}`});
        }
      }
      // The rotation is one transaction: the previous secret is always the one before the current.
      const base = byName.get(BASE_SHOP)!;
      expect(base.previousSecret).toMatch(/^secret-\d+-\d+$/);
      expect(base.previousSecretExpiresAt).toBeInstanceOf(Date);
      const order = (s: string) => s.split('-').slice(1).map(Number) as [number, number];
      const [run, i] = order(base.secret);
      const [previousRun, previousI] = order(base.previousSecret!);
      expect(previousRun < run || (previousRun === run && previousI === i - 1)).toBe(true);
    } finally {
      await storage.close();
    }
  });
});
