import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {registerShop, rotateSigningSecret} from '../../src/shops/shop-registry.ts';
import {createCipher} from '../../src/storage/cipher.ts';
import {openStorage} from '../../src/storage/open-storage.ts';
import {POSTGRES_MIGRATIONS} from '../../src/storage/postgres-migrations.ts';
import {createPostgresPool} from '../../src/storage/postgres-pool.ts';
import {openPostgresStorage, type PostgresStorage} from '../../src/storage/postgres-storage.ts';
import {ShopExistsError} from '../../src/storage/storage.ts';
import {captureLogger, TEST_KEY} from '../helpers/test-app.ts';
import {createTestDatabase, resetDatabase, sql} from '../helpers/postgres.ts';
import {sessionStorageContract} from './session-storage-contract.ts';
import {storageContract} from './storage-contract.ts';

const cipher = createCipher(Buffer.from(TEST_KEY, 'hex'));
let db: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

const openFresh = () => openPostgresStorage({url: db.url, cipher});
storageContract('PostgreSQL', openFresh, () => resetDatabase(db.url));
sessionStorageContract('PostgreSQL', openFresh, () => resetDatabase(db.url));

describe('PostgreSQL storage', () => {
  const opened: PostgresStorage[] = [];
  const open = async (options: {poolSize?: number} = {}) => {
    const s = await openPostgresStorage({url: db.url, cipher, ...options});
    opened.push(s);
    return s;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
    await resetDatabase(db.url);
  });

  it('lets two instances share one truth: what one writes the other reads at once', async () => {
    const [a, b] = [await open(), await open()];
    const shop = await registerShop(a, {shop: 'a.myshopify.com', accessToken: 'shpat_abc123456'});
    expect(await b.getShop('a.myshopify.com')).toEqual(shop);
    const rotated = await rotateSigningSecret(b, 'a.myshopify.com', 60_000);
    expect((await a.getShopByHookId(shop.hookId))?.secret).toBe(rotated!.secret);
  });

  it('rotates atomically under concurrency: no rotation is lost', async () => {
    const [a, b] = [await open(), await open()];
    const original = await registerShop(a, {shop: 'a.myshopify.com'});
    const secrets = ['rotation-a-0123456789abcdef', 'rotation-b-0123456789abcdef'];
    await Promise.all([a.rotateSecret(original.shop, secrets[0]!, new Date(Date.now() + 1000)), b.rotateSecret(original.shop, secrets[1]!, new Date(Date.now() + 1000))]);
    const after = (await a.getShop(original.shop))!;
    // Whichever ran second saw the first one's secret as current; a read-then-write would have kept the original.
    expect(secrets).toContain(after.secret);
    expect(after.previousSecret).toBe(secrets.find((s) => s !== after.secret));
  });

  it('registers a shop once when two instances race, the loser gets ShopExistsError', async () => {
    const [a, b] = [await open(), await open()];
    const results = await Promise.allSettled([registerShop(a, {shop: 'a.myshopify.com'}), registerShop(b, {shop: 'a.myshopify.com'})]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(ShopExistsError);
    expect(await a.listShops()).toHaveLength(1);
  });

  it('keeps secrets and tokens encrypted at rest, and phones only masked and hashed', async () => {
    const s = await open();
    const shop = await registerShop(s, {shop: 'a.myshopify.com', accessToken: 'shpat_visible_token'});
    await rotateSigningSecret(s, shop.shop, 60_000);
    await s.recordCallEvent({shop: shop.shop, callId: 'c1', kind: 'escalation', occurredAt: new Date(), silenceMs: null, reason: null, callerPhone: '+43660123456789'});
    await s.storeSession({
      id: 'offline_a.myshopify.com', shop: shop.shop, state: 'st', isOnline: false, scope: 'read_orders', expires: new Date(Date.now() + 3_600_000),
      accessToken: 'shpat_session_token', refreshToken: 'shprt_refresh_token', refreshTokenExpires: null, userId: null,
    });
    expect((await s.loadSession('offline_a.myshopify.com'))?.refreshToken).toBe('shprt_refresh_token');
    const tables = ['shops', 'call_events', 'shopify_sessions'];
    const raw = JSON.stringify(await Promise.all(tables.map((t) => sql(db.url, `SELECT * FROM ${t}`))));
    expect(raw).toContain('a.myshopify.com');
    expect(raw).toContain('+43**********89');
    expect(raw).not.toContain(shop.secret);
    expect(raw).not.toContain('shpat_visible_token');
    expect(raw).not.toContain('shpat_session_token');
    expect(raw).not.toContain('shprt_refresh_token');
    expect(raw).not.toContain('660123456789');
  });

  it('refuses to open with another encryption key, loudly, and leaves the data as it was', async () => {
    const {log} = captureLogger();
    const s = await openStorage({databaseUrl: db.url, encryptionKey: TEST_KEY, log});
    const shop = await registerShop(s, {shop: 'a.myshopify.com'});
    await s.close();
    await expect(openStorage({databaseUrl: db.url, encryptionKey: 'b'.repeat(64), log})).rejects.toThrow(/ENCRYPTION_KEY differs/);
    const again = await openStorage({databaseUrl: db.url, encryptionKey: TEST_KEY, log});
    expect(await again.getShop('a.myshopify.com')).toEqual(shop);
    expect(again.kind).toBe('postgres');
    await again.close();
  });

  it('requires ENCRYPTION_KEY: instances cannot share a generated key file', async () => {
    const {log} = captureLogger();
    await expect(openStorage({databaseUrl: db.url, log})).rejects.toThrow(/ENCRYPTION_KEY is required with PostgreSQL/);
  });

  it('migrates once when several instances start together on an empty database', async () => {
    const all = await Promise.all([1, 2, 3, 4].map(() => open()));
    expect(all).toHaveLength(4);
    const versions = POSTGRES_MIGRATIONS.map((_, i) => ({version: i + 1}));
    expect(await sql(db.url, 'SELECT version FROM schema_migrations ORDER BY version')).toEqual(versions);
    expect(await sql(db.url, `SELECT count(*)::int AS n FROM meta WHERE key = 'key_check'`)).toEqual([{n: 1}]);
    // And the schema works from every instance.
    await registerShop(all[0]!, {shop: 'a.myshopify.com'});
    expect(await all[3]!.getShop('a.myshopify.com')).toBeDefined();
  });

  it('applies nothing on reopen: the recorded version stays', async () => {
    await (await open()).close();
    const first = await sql(db.url, 'SELECT version, applied_at FROM schema_migrations ORDER BY version');
    expect(first).toHaveLength(POSTGRES_MIGRATIONS.length);
    await open();
    expect(await sql(db.url, 'SELECT version, applied_at FROM schema_migrations ORDER BY version')).toEqual(first);
  });

  it('cuts a runaway statement at the statement timeout', async () => {
    const pool = createPostgresPool({url: db.url, statementTimeoutMs: 200});
    try {
      const started = Date.now();
      await expect(pool.query('SELECT pg_sleep(5)')).rejects.toMatchObject({code: '57014'});
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await pool.end();
    }
  });

  it('refuses a pool too small for a lock holder to query', () => {
    expect(() => createPostgresPool({url: db.url, poolSize: 1})).toThrow(/at least 2/);
  });
});
