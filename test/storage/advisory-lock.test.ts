import type {Pool} from 'pg';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {LockTimeoutError, withAdvisoryLock} from '../../src/storage/advisory-lock.ts';
import {createCipher} from '../../src/storage/cipher.ts';
import {createPostgresPool} from '../../src/storage/postgres-pool.ts';
import {openPostgresStorage} from '../../src/storage/postgres-storage.ts';
import {TEST_KEY} from '../helpers/test-app.ts';
import {createTestDatabase, sql} from '../helpers/postgres.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A promise to resolve from outside, to hold a lock exactly as long as a test wants. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return {open, opened};
}

describe('advisory locks across instances', () => {
  const pools: Pool[] = [];
  const pool = (applicationName?: string) => {
    const p = createPostgresPool({url: db.url, applicationName});
    pools.push(p);
    return p;
  };
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.end()));
  });

  it('runs one holder of a key at a time across two storages; the second sees the first one\'s work', async () => {
    const cipher = createCipher(Buffer.from(TEST_KEY, 'hex'));
    const [a, b] = [await openPostgresStorage({url: db.url, cipher}), await openPostgresStorage({url: db.url, cipher})];
    try {
      let refreshes = 0;
      let token = 'expired';
      const refresh = (storage: typeof a) =>
        storage.withLock('refresh:a.myshopify.com', async () => {
          if (token !== 'expired') return token; // the other instance refreshed meanwhile: reuse
          refreshes++;
          await sleep(100);
          token = 'fresh';
          return token;
        });
      expect(await Promise.all([refresh(a), refresh(b)])).toEqual(['fresh', 'fresh']);
      expect(refreshes).toBe(1);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('makes a second caller wait for the holder, and does not block other keys', async () => {
    const [a, b] = [pool(), pool()];
    const held = gate();
    const order: string[] = [];
    const first = withAdvisoryLock(a, 'shop-1', async () => {
      order.push('a start');
      await held.opened;
      order.push('a end');
    });
    await sleep(100);
    const second = withAdvisoryLock(b, 'shop-1', async () => void order.push('b'));
    await withAdvisoryLock(b, 'shop-2', async () => void order.push('other key'));
    await sleep(100);
    expect(order).toEqual(['a start', 'other key']);
    held.open();
    await Promise.all([first, second]);
    expect(order).toEqual(['a start', 'other key', 'a end', 'b']);
  });

  it('releases the lock when the holder throws', async () => {
    const [a, b] = [pool(), pool()];
    await expect(withAdvisoryLock(a, 'k', async () => Promise.reject(new Error('refresh failed')))).rejects.toThrow('refresh failed');
    await expect(withAdvisoryLock(b, 'k', async () => 'next', {waitMs: 500})).resolves.toBe('next');
  });

  it('gives up waiting after waitMs with LockTimeoutError', async () => {
    const [a, b] = [pool(), pool()];
    const held = gate();
    const holder = withAdvisoryLock(a, 'k', () => held.opened);
    await sleep(100);
    const started = Date.now();
    await expect(withAdvisoryLock(b, 'k', async () => 'never', {waitMs: 300})).rejects.toBeInstanceOf(LockTimeoutError);
    expect(Date.now() - started).toBeLessThan(2000);
    held.open();
    await holder;
  });

  it('waits as long as waitMs says even where the pool cuts statements shorter', async () => {
    const a = pool();
    const short = createPostgresPool({url: db.url, statementTimeoutMs: 100});
    pools.push(short);
    const held = gate();
    const holder = withAdvisoryLock(a, 'k', () => held.opened);
    await sleep(50);
    const waiter = withAdvisoryLock(short, 'k', async () => 'acquired', {waitMs: 3000});
    await sleep(400);
    held.open();
    await expect(waiter).resolves.toBe('acquired');
    await holder;
  });

  it('frees the lock when the holder\'s connection dies (a crashed instance never keeps it)', async () => {
    const [a, b] = [pool('lock-holder'), pool()];
    const held = gate();
    const holder = withAdvisoryLock(a, 'k', () => held.opened);
    await sleep(100);
    const waiter = withAdvisoryLock(b, 'k', async () => 'acquired', {waitMs: 5000});
    await sleep(100);
    await sql(db.url, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'lock-holder' AND datname = current_database()`);
    await expect(waiter).resolves.toBe('acquired');
    held.open();
    // The holder learns it lost the lock instead of believing it held it throughout.
    await expect(holder).rejects.toThrow();
    // And its pool still works: the dead connection was discarded, not reused.
    await expect(a.query('SELECT 1 AS one')).resolves.toMatchObject({rows: [{one: 1}]});
  });
});
