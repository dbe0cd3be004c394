/**
 * A wrong or missing ENCRYPTION_KEY stops the real server and the real CLI
 * with one clear line and exit 78 (EX_CONFIG), before anything is written:
 * in particular no key file is generated beside a database whose data was
 * encrypted with another key (a generated key there would only be wrong,
 * and would stay wrong on every later start).
 */
import {execFile} from 'node:child_process';
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {createLogger} from '../../src/log.ts';
import {openStorage} from '../../src/storage/open-storage.ts';
import {registerShop} from '../../src/shops/shop-registry.ts';
import {tempDir, TEST_KEY} from '../helpers/test-app.ts';

const exec = promisify(execFile);
const OTHER_KEY = 'b'.repeat(64);

let tmp: ReturnType<typeof tempDir>;
let databaseUrl: string;
let keyFile: string;
let secret: string;

/** A database with a shop in it, its secrets encrypted with TEST_KEY. */
beforeEach(async () => {
  tmp = tempDir();
  databaseUrl = `sqlite:${join(tmp.dir, 'callina.sqlite')}`;
  keyFile = join(tmp.dir, 'encryption.key');
  const storage = await openStorage({databaseUrl, encryptionKey: TEST_KEY, log: createLogger('silent')});
  secret = (await registerShop(storage, {shop: 'anna-demo.myshopify.com'})).secret;
  await storage.close();
});
afterEach(() => tmp.remove());

/** Runs src/server.ts or src/cli.ts in a child process; a server that does start is stopped after 15 s. */
async function run(script: 'server' | 'cli', env: Record<string, string>, args: string[] = []) {
  const fullEnv = {PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env};
  try {
    const {stdout, stderr} = await exec(process.execPath, [`src/${script}.ts`, ...args], {env: fullEnv, timeout: 15_000});
    return {code: 0, stdout, stderr};
  } catch (error) {
    const e = error as {code: number | null; signal: string | null; stdout: string; stderr: string};
    return {code: e.code ?? e.signal, stdout: e.stdout, stderr: e.stderr};
  }
}

function expectOneClearLine(stderr: string, pattern: RegExp) {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/^\s+at /m);
}

/** The database as it was: opens with its own key, shop and secret intact. */
async function expectDataIntact() {
  const storage = await openStorage({databaseUrl, encryptionKey: TEST_KEY, log: createLogger('silent')});
  try {
    expect((await storage.getShop('anna-demo.myshopify.com'))?.secret).toBe(secret);
  } finally {
    await storage.close();
  }
}

describe.each(['server', 'cli'] as const)('src/%s.ts', (script) => {
  const args = script === 'cli' ? ['shops', 'list'] : [];

  it('exits 78 with one line when ENCRYPTION_KEY is not the key the data was written with', async () => {
    const res = await run(script, {DATABASE_URL: databaseUrl, ENCRYPTION_KEY: OTHER_KEY}, args);
    expect(res.code).toBe(78);
    expectOneClearLine(res.stderr, /ENCRYPTION_KEY differs from the key this database was encrypted with/);
    expect(res.stderr).not.toContain(OTHER_KEY);
    expect(existsSync(keyFile)).toBe(false);
    await expectDataIntact();
  });

  it('exits 78 without writing a key file when ENCRYPTION_KEY is missing but the data is encrypted', async () => {
    const res = await run(script, {DATABASE_URL: databaseUrl}, args);
    expect(res.code).toBe(78);
    expectOneClearLine(res.stderr, /ENCRYPTION_KEY is not set/);
    expect(existsSync(keyFile)).toBe(false);
    await expectDataIntact();
  });

  it('exits 78 when the key file in the data folder holds another key, and leaves the file alone', async () => {
    writeFileSync(keyFile, `${OTHER_KEY}\n`, {mode: 0o600});
    const res = await run(script, {DATABASE_URL: databaseUrl}, args);
    expect(res.code).toBe(78);
    expectOneClearLine(res.stderr, /encryption\.key differs from the key this database was encrypted with/);
    expect(readFileSync(keyFile, 'utf8')).toBe(`${OTHER_KEY}\n`);
    await expectDataIntact();
  });

  it('exits 78 when the key file is not a key', async () => {
    writeFileSync(keyFile, 'not a key\n', {mode: 0o600});
    const res = await run(script, {DATABASE_URL: databaseUrl}, args);
    expect(res.code).toBe(78);
    expectOneClearLine(res.stderr, /encryption\.key does not hold a 32-byte key/);
  });

  it('exits 78 with one line on PostgreSQL without ENCRYPTION_KEY, before connecting', async () => {
    // Nothing listens on port 1: a connection attempt would fail differently.
    const res = await run(script, {DATABASE_URL: 'postgres://postgres@127.0.0.1:1/callina'}, args);
    expect(res.code).toBe(78);
    expectOneClearLine(res.stderr, /ENCRYPTION_KEY is required with PostgreSQL/);
  });
});

it('the CLI opens the same database with the right key', async () => {
  const res = await run('cli', {DATABASE_URL: databaseUrl, ENCRYPTION_KEY: TEST_KEY}, ['shops', 'list']);
  expect(res.code).toBe(0);
  expect(JSON.parse(res.stdout).map((s: {shop: string}) => s.shop)).toEqual(['anna-demo.myshopify.com']);
});
