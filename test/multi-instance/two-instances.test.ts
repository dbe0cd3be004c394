import {fork, type ChildProcess} from 'node:child_process';
import {createServer} from 'node:net';
import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createLogger} from '../../src/log.ts';
import {registerShop} from '../../src/shops/shop-registry.ts';
import {openStorage} from '../../src/storage/open-storage.ts';
import type {ShopRecord, Storage} from '../../src/storage/storage.ts';
import {callinaEvent, postEvent} from '../helpers/callina.ts';
import {createTestDatabase, sql} from '../helpers/postgres.ts';
import {TEST_KEY} from '../helpers/test-app.ts';
import {API_KEY, API_SECRET, customersRedact, orderWebhook, SHOP, sessionToken} from '../shopify-app/shopify-app-helpers.ts';
import {createHmac, randomUUID} from 'node:crypto';

/**
 * Two real service processes on one PostgreSQL, each with Shopify simulated
 * in its own process: what one instance learns, the other must act on.
 */
const SCRIPT = fileURLToPath(new URL('./instance-with-simulated-shopify.ts', import.meta.url));

interface Instance {
  url: string;
  child: ChildProcess;
  graphql: {key: string; token: string | null}[];
  tokens: number;
  setOrder(state: 'in_transit' | 'delivered'): Promise<void>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const {port} = s.address() as {port: number};
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function startInstance(databaseUrl: string): Promise<Instance> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = fork(SCRIPT, [], {
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      HOST: '127.0.0.1',
      APP_URL: url,
      DATABASE_URL: databaseUrl,
      ENCRYPTION_KEY: TEST_KEY,
      SHOPIFY_API_KEY: API_KEY,
      SHOPIFY_API_SECRET: API_SECRET,
      LOOKUP_BUDGET_MS: '1500',
      LOG_LEVEL: process.env.INSTANCE_LOG_LEVEL ?? 'error',
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const instance: Instance = {
    url,
    child,
    graphql: [],
    tokens: 0,
    setOrder: (state) =>
      new Promise((resolve) => {
        child.once('message', () => resolve());
        child.send({type: 'set-order', state});
      }),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
  child.on('message', (m: {type: string; key?: string; token?: string | null}) => {
    if (m.type === 'graphql') instance.graphql.push({key: m.key!, token: m.token ?? null});
    if (m.type === 'token') instance.tokens += 1;
  });
  for (let i = 0; i < 100; i++) {
    const ready = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
    if (ready) return instance;
    if (child.exitCode !== null) throw new Error(`instance exited with ${child.exitCode}`);
    await sleep(100);
  }
  throw new Error('instance did not become ready');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let storage: Storage;
let shop: ShopRecord;
let a: Instance;
let b: Instance;

beforeAll(async () => {
  db = await createTestDatabase();
  storage = await openStorage({databaseUrl: db.url, encryptionKey: TEST_KEY, log: createLogger('silent')});
  shop = await registerShop(storage, {shop: SHOP, storePhone: '+43662275124'});
  await storage.storeSession(session('shpat_installed_0', 3_600_000));
  [a, b] = await Promise.all([startInstance(db.url), startInstance(db.url)]);
}, 60_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await storage?.close();
  await db?.drop();
});

function session(accessToken: string, expiresInMs: number) {
  return {
    id: `offline_${SHOP}`, shop: SHOP, state: '', isOnline: false, scope: 'read_orders,read_locales',
    expires: new Date(Date.now() + expiresInMs), accessToken,
    refreshToken: 'shprt_installed_0', refreshTokenExpires: new Date(Date.now() + 90 * 86_400_000), userId: null,
  };
}

const ask = (instance: Instance, orderNumber: string, secret = shop.secret) =>
  postEvent(instance.url, shop, callinaEvent({call_id: `call_${randomUUID()}`, params: {order_number: orderNumber}, context: {caller_phone: '+15551234567'}}), {secret});

async function shopifyWebhook(instance: Instance, topic: string, body: unknown) {
  const raw = JSON.stringify(body);
  const res = await fetch(`${instance.url}/webhooks/shopify`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': topic,
      'x-shopify-shop-domain': SHOP,
      'x-shopify-api-version': '2026-10',
      'x-shopify-webhook-id': randomUUID(),
      'x-shopify-hmac-sha256': createHmac('sha256', API_SECRET).update(raw).digest('base64'),
    },
    body: raw,
  });
  return res.status;
}

const calls = (instance: Instance, key: string) => instance.graphql.filter((g) => g.key === key).length;

describe('two instances on one PostgreSQL', () => {
  it('a Shopify webhook sent to A makes B ask Shopify again within 200 ms', async () => {
    await Promise.all([a.setOrder('in_transit'), b.setOrder('in_transit')]);
    expect((await ask(b, '1001')).json.say).toMatch(/on its way|arrive|shipped/);
    expect((await ask(b, '1001')).json.say).toMatch(/on its way|arrive|shipped/);
    expect(calls(b, '1001')).toBe(1);

    await Promise.all([a.setOrder('delivered'), b.setOrder('delivered')]);
    expect(await shopifyWebhook(a, 'orders/fulfilled', orderWebhook('#1001'))).toBe(200);
    await sleep(200);
    expect((await ask(b, '1001')).json.say).toMatch(/delivered/);
    expect(calls(b, '1001')).toBe(2);
  });

  it('customers/redact sent to A evicts the orders it names on B (by id), and no others', async () => {
    await Promise.all([a.setOrder('in_transit'), b.setOrder('in_transit')]);
    await ask(b, '1004');
    await ask(b, '1005');
    expect([calls(b, '1004'), calls(b, '1005')]).toEqual([1, 1]);

    expect(await shopifyWebhook(a, 'customers/redact', {...customersRedact('+43660123456789'), orders_to_redact: [91004]})).toBe(200);
    await sleep(200);
    await ask(b, '1004');
    await ask(b, '1005');
    expect([calls(b, '1004'), calls(b, '1005')]).toEqual([2, 1]);
  });

  it('a secret rotated through A is accepted by B at once, the old one during its grace period', async () => {
    const res = await fetch(`${a.url}/api/secret/rotate`, {method: 'POST', headers: {authorization: `Bearer ${sessionToken()}`}});
    expect(res.status).toBe(200);
    const {secret} = (await res.json()) as {secret: string};
    expect(secret).not.toBe(shop.secret);
    expect((await ask(b, '1001', secret)).status).toBe(200);
    expect((await ask(b, '1001', shop.secret)).status).toBe(200);
    expect((await ask(b, '1001', 'never-the-secret-0123456789')).status).toBe(401);
    shop = {...shop, secret};
  });

  it('after A loses its database connections, neither A nor B serves stale data', async () => {
    await Promise.all([a.setOrder('in_transit'), b.setOrder('in_transit')]);
    expect((await ask(a, '1002')).json.say).toMatch(/on its way|arrive|shipped/);
    expect((await ask(b, '1002')).json.say).toMatch(/on its way|arrive|shipped/);

    const killed = await sql(db.url, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE $1 AND datname = current_database()`, [`callina%-${a.child.pid}%`]);
    expect(killed.length).toBeGreaterThan(0);
    // The order changes while A is not listening: A misses this notification.
    await Promise.all([a.setOrder('delivered'), b.setOrder('delivered')]);
    expect(await shopifyWebhook(b, 'orders/fulfilled', orderWebhook('#1002'))).toBe(200);

    for (let i = 0; i < 100; i++) {
      const listening = await sql(db.url, `SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND query LIKE 'LISTEN%'`, [`callina-changes-${a.child.pid}`]);
      if (listening.length > 0) break;
      await sleep(100);
    }
    expect((await ask(a, '1002')).json.say).toMatch(/delivered/);
    expect((await ask(b, '1002')).json.say).toMatch(/delivered/);
  });

  it('a due but valid token serves both instances at once, while one background refresh replaces it', async () => {
    await storage.storeSession(session('shpat_due_soon', 2 * 60_000)); // inside the 5-minute refresh margin
    const before = a.tokens + b.tokens;
    const [fromA, fromB] = await Promise.all([ask(a, '1004'), ask(b, '1004')]);
    expect(fromA.json.say).toMatch(/1 0 0 4/);
    expect(fromB.json.say).toMatch(/1 0 0 4/);
    // Neither call waited for the 150 ms refresh: Shopify saw the old token.
    expect([...a.graphql, ...b.graphql].filter((g) => g.key === '1004').map((g) => g.token)).toContain('shpat_due_soon');
    for (let i = 0; i < 100 && (await storage.loadSession(`offline_${SHOP}`))!.accessToken === 'shpat_due_soon'; i++) await sleep(20);
    expect((await storage.loadSession(`offline_${SHOP}`))!.accessToken).toMatch(/^shpat_refreshed_/);
    await sleep(300); // the other instance's refresh, if any, has had its turn at the lock by now
    expect(a.tokens + b.tokens - before).toBe(1);
  });

  it('concurrent token refreshes from both instances make one request to Shopify', async () => {
    // Expired, so both calls wait for the refresh (a due but valid token would serve while refreshing in the background).
    await storage.storeSession(session('shpat_expired', -60_000));
    const before = a.tokens + b.tokens;
    const [fromA, fromB] = await Promise.all([ask(a, '1003'), ask(b, '1003')]);
    expect(fromA.json.say).toMatch(/1 0 0 3/);
    expect(fromB.json.say).toMatch(/1 0 0 3/);
    expect(a.tokens + b.tokens - before).toBe(1);
    const used = [...a.graphql, ...b.graphql].filter((g) => g.key === '1003').map((g) => g.token);
    expect(used.length).toBeGreaterThan(0);
    expect(new Set(used).size).toBe(1);
    expect(used[0]).toMatch(/^shpat_refreshed_/);
    expect((await storage.loadSession(`offline_${SHOP}`))!.accessToken).toBe(used[0]);
  });
});
