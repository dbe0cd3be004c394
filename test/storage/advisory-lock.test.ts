import type {Pool} from 'pg';
import {afterAll, afterEach, beforeAll, describe, expect, it, vi} from 'vitest';
import {LockTimeoutError, withAdvisoryLock} from '../../src/storage/advisory-lock.ts';
import {createCipher} from '../../src/storage/cipher.ts';
import {createPostgresPool} from '../../src/storage/postgres-pool.ts';
import {LOCK_CONNECTIONS, openPostgresStorage} from '../../src/storage/postgres-storage.ts';
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

describe('lock connections of their own', () => {
  const cipher = createCipher(Buffer.from(TEST_KEY, 'hex'));
  const grantedLocks = async () =>
    Number((await sql<{n: string}>(db.url, `SELECT count(*) AS n FROM pg_locks l JOIN pg_database d ON d.oid = l.database
      WHERE l.locktype = 'advisory' AND l.granted AND d.datname = current_database()`))[0]!.n);

  it('holders never take the pool\'s connections: with pool size 2 and two holders, every query still runs', async () => {
    const storage = await openPostgresStorage({url: db.url, cipher, poolSize: 2});
    const held = gate();
    try {
      await storage.createShop({shop: 'a.myshopify.com', hookId: 'lock_test_hook_a_000000000', secret: 's'});
      // Each holder reads through the pool while holding its lock, as a token refresh does.
      const holder = (key: string) => storage.withLock(key, async () => {
        await held.opened;
        return (await storage.getShop('a.myshopify.com'))?.shop;
      });
      const holders = [holder('refresh:a'), holder('refresh:b')];
      await vi.waitFor(async () => expect(await grantedLocks()).toBe(2));
      // What live calls do meanwhile: answered at once, not after the pool's 5 s connection timeout.
      const started = performance.now();
      expect((await storage.getShop('a.myshopify.com'))?.shop).toBe('a.myshopify.com');
      expect(performance.now() - started).toBeLessThan(1000);
      held.open();
      expect(await Promise.all(holders)).toEqual(['a.myshopify.com', 'a.myshopify.com']);
    } finally {
      held.open();
      await storage.close();
    }
  });

  it(`holds at most ${LOCK_CONNECTIONS} locks at once per instance; further holders queue, within waitMs`, async () => {
    const storage = await openPostgresStorage({url: db.url, cipher});
    const held = gate();
    const running: string[] = [];
    try {
      const holder = (key: string, waitMs?: number) => storage.withLock(key, async () => {
        running.push(key);
        await held.opened;
      }, {waitMs});
      const first = Array.from({length: LOCK_CONNECTIONS}, (_, i) => holder(`key-${i}`));
      await vi.waitFor(() => expect(running).toHaveLength(LOCK_CONNECTIONS));
      const queued = holder('key-queued', 5000);
      await expect(holder('key-impatient', 200)).rejects.toBeInstanceOf(LockTimeoutError);
      expect(await grantedLocks()).toBe(LOCK_CONNECTIONS);
      expect(running).not.toContain('key-queued');
      const lockConnections = await sql(db.url, `SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()`, [`callina-locks-${process.pid}`]);
      expect(lockConnections).toHaveLength(LOCK_CONNECTIONS);
      held.open();
      await Promise.all([...first, queued]);
      expect(running).toContain('key-queued');
    } finally {
      held.open();
      await storage.close();
    }
  });
});
