/**
 * A live call never waits past its budget for storage, through the real app
 * over HTTP on PostgreSQL. Slowness is real: another connection holds an
 * exclusive lock on the table a step needs, until the test lets go.
 */
import nock from 'nock';
import pg from 'pg';
import {afterAll, afterEach, beforeAll, describe, expect, it, vi} from 'vitest';
import {interceptShopifyGraphql, orderNode, orderQueryResponse, sleep} from '../fixtures/shopify-orders.ts';
import {addShop, callinaEvent, postEvent} from '../helpers/callina.ts';
import {warmUpCallPath} from '../helpers/warm-up.ts';
import {createTestDatabase, resetDatabase} from '../helpers/postgres.ts';
import type {TestApp} from '../helpers/test-app.ts';
import {interceptTokenEndpoint, SHOP, shopifyOnlyThroughNock, startShopifyApp, tokenResponse} from '../shopify-app/shopify-app-helpers.ts';
import {phrase} from '../../src/speech/phrases.ts';
import {sayStillChecking} from '../../src/speech/render-order.ts';
import type {StoredSession} from '../../src/storage/storage.ts';
import {ANSWER_SLACK_MS} from '../helpers/answer-slack.ts';

const BUDGET_MS = 1000;
const MINUTE = 60_000;
const STORE_PHONE = '+43662275124';
const ENGLISH_CALLER = {caller_phone: '+15551234567'};

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let app: TestApp | undefined;
const releases: (() => Promise<void>)[] = [];

beforeAll(async () => {
  shopifyOnlyThroughNock();
  db = await createTestDatabase();
});
afterAll(async () => {
  nock.enableNetConnect();
  await db.drop();
});
afterEach(async () => {
  await Promise.all(releases.splice(0).map((release) => release()));
  nock.cleanAll();
  await app?.close();
  app = undefined;
  await resetDatabase(db.url);
});

async function start(env: Record<string, string> = {}): Promise<TestApp> {
  app = await startShopifyApp({env: {DATABASE_URL: db.url, LOOKUP_BUDGET_MS: String(BUDGET_MS), ...env}});
  await warmUpCallPath(app);
  return app;
}

/** Another session takes `table` exclusively (even reads wait) until the returned function lets go. */
async function lockTable(table: string): Promise<() => Promise<void>> {
  const client = new pg.Client({connectionString: db.url});
  await client.connect();
  await client.query('BEGIN');
  await client.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    await client.query('ROLLBACK');
    await client.end();
  };
  releases.push(release);
  return release;
}

/** Kills the one app connection waiting on a lock with a query like `pattern` (as pg_terminate_backend does in production). */
async function killBackendWaitingOn(pattern: string): Promise<void> {
  const admin = new pg.Client({connectionString: db.url});
  await admin.connect();
  try {
    await vi.waitFor(async () => {
      const {rows} = await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock' AND query LIKE $1`,
        [pattern],
      );
      expect(rows).toHaveLength(1);
    }, {timeout: 800, interval: 10});
  } finally {
    await admin.end();
  }
}

function offlineSession(shop: string, expiresInMs: number): StoredSession {
  return {
    id: `offline_${shop}`, shop, state: '', isOnline: false, scope: 'read_orders,read_locales',
    expires: new Date(Date.now() + expiresInMs), accessToken: `shpat_current_${shop}`, refreshToken: `shprt_current_${shop}`,
    refreshTokenExpires: new Date(Date.now() + 80 * 86_400_000), userId: null,
  };
}

const lookup = (n: number) => callinaEvent({params: {order_number: String(n)}, context: ENGLISH_CALLER});
const silence = () => callinaEvent({event: 'silence.detected', intent: undefined, params: undefined, silence_ms: 9200, context: ENGLISH_CALLER});
const escalation = (callId: string) =>
  callinaEvent({event: 'escalation.requested', call_id: callId, intent: undefined, params: undefined, reason: 'caller_request', context: ENGLISH_CALLER});
const orderFromShopify = (n: number, shop: string) => interceptShopifyGraphql([[200, orderQueryResponse({orders: [orderNode({name: `#${n}`})]})]], shop);
const outcomes = (a: TestApp) => a.logs.map((line) => JSON.parse(line)).filter((l) => l.msg === 'request').map((l) => l.outcome);
/** Advisory locks granted in the test database, seen from a connection of the test's own (one, not one per look). */
async function lockObserver(): Promise<() => Promise<number>> {
  const client = new pg.Client({connectionString: db.url});
  await client.connect();
  releases.push(() => client.end());
  return async () => {
    const {rows} = await client.query<{n: string}>(`SELECT count(*) AS n FROM pg_locks l JOIN pg_database d ON d.oid = l.database
      WHERE l.locktype = 'advisory' AND l.granted AND d.datname = current_database()`);
    return Number(rows[0]!.n);
  };
}

function expectInTime(res: {status: number; ms: number}, status = 200): void {
  expect(res.status).toBe(status);
  expect(res.ms).toBeLessThan(BUDGET_MS + ANSWER_SLACK_MS);
}

describe('token refreshes and the PostgreSQL pool', () => {
  it('pool size 2, two shops refreshing at once: every other call of the instance keeps working', async () => {
    const a = await start({DATABASE_POOL_SIZE: '2'});
    const second = 'second-shop.myshopify.com';
    const refreshing = [await addShop(a.storage, {shop: SHOP}), await addShop(a.storage, {shop: second})];
    for (const s of refreshing) await a.storage.storeSession(offlineSession(s.shop, -MINUTE));
    // A CLI-registered shop with its own token: it needs nothing from the refreshes, only the pool.
    const other = await addShop(a.storage, {shop: 'third-shop.myshopify.com', accessToken: 'shpat_custom_app_token_0000000000'});

    let openEndpoints!: () => void;
    const endpointsOpen = new Promise<void>((resolve) => (openEndpoints = resolve));
    const slowTokenEndpoint = async () => {
      await Promise.race([endpointsOpen, sleep(5000)]);
      return [200, tokenResponse(7)] as const;
    };
    for (const s of refreshing) {
      interceptTokenEndpoint([slowTokenEndpoint], s.shop);
      orderFromShopify(1001, s.shop);
    }
    const otherShopify = orderFromShopify(1001, other.shop);

    const advisoryLocksHeld = await lockObserver();
    const firstCalls = refreshing.map((s) => postEvent(a.url, s, lookup(1001)));
    // Both refreshes hold their cross-instance lock and wait for Shopify.
    await vi.waitFor(async () => expect(await advisoryLocksHeld()).toBe(2), {timeout: 3000, interval: 20});

    const otherShop = await postEvent(a.url, other, lookup(1001));
    expectInTime(otherShop);
    expect(otherShopify.requests).toHaveLength(1);
    expect(otherShop.json.say).toContain('1 0 0 1');
    // A refreshing shop's own storage steps work too.
    expectInTime(await postEvent(a.url, refreshing[0]!, silence()));
    expect(await a.storage.listCallEvents(SHOP)).toHaveLength(1);

    // Their timing is token-refresh.test.ts's subject; here, what they say.
    for (const res of await Promise.all(firstCalls)) {
      expect(res.status).toBe(200);
      expect(res.json).toEqual({say: sayStillChecking('en', {canTransfer: false}), next_action: 'continue'});
    }
    openEndpoints();
    await vi.waitFor(async () => expect(await advisoryLocksHeld()).toBe(0), {timeout: 3000, interval: 20});
    const retry = await postEvent(a.url, refreshing[0]!, lookup(1001));
    expectInTime(retry);
    expect(retry.json.say).toContain('1 0 0 1');
    expect(outcomes(a).sort()).toEqual(['budget_exceeded', 'budget_exceeded', 'found', 'found', 'recorded']);
  });
});

describe('storage slower than the budget', () => {
  it('the shop cannot be read in time: a fast 503 storage_unavailable, and the next call is served', async () => {
    const a = await start();
    const shop = await addShop(a.storage, {shop: 'third-shop.myshopify.com', accessToken: 'shpat_custom_app_token_0000000000'});
    const release = await lockTable('shops');

    const res = await postEvent(a.url, shop, lookup(1001));
    expectInTime(res, 503);
    expect(res.json).toEqual({error: 'storage_unavailable', message: expect.stringContaining('time budget')});

    await release();
    orderFromShopify(1001, shop.shop);
    const next = await postEvent(a.url, shop, lookup(1001));
    expectInTime(next);
    expect(next.json.say).toContain('1 0 0 1');
  });

  it('the session cannot be read in time: the spoken fallback, and the retry gets the order', async () => {
    const a = await start();
    const shop = await addShop(a.storage, {shop: SHOP, storePhone: null});
    await a.storage.storeSession(offlineSession(SHOP, 50 * MINUTE));
    const shopify = orderFromShopify(1001, SHOP);
    const release = await lockTable('shopify_sessions');

    const res = await postEvent(a.url, shop, lookup(1001));
    expectInTime(res);
    expect(res.json).toEqual({say: sayStillChecking('en', {canTransfer: false}), next_action: 'continue'});

    await release();
    // The lookup went on once storage answered: the retry is served from the cache.
    await vi.waitFor(() => expect(shopify.requests).toHaveLength(1), {timeout: 3000, interval: 20});
    const retry = await postEvent(a.url, shop, lookup(1001));
    expectInTime(retry);
    expect(retry.json.say).toContain('1 0 0 1');
    expect(outcomes(a)).toEqual(['budget_exceeded', 'found']);
  });

  it('silences and escalations cannot be recorded in time: Anna\'s own answers in time, the events land once storage is back', async () => {
    const a = await start();
    const withPhone = await addShop(a.storage, {shop: SHOP, storePhone: STORE_PHONE});
    const withoutPhone = await addShop(a.storage, {shop: 'second-shop.myshopify.com'});
    const release = await lockTable('call_events');

    const quiet = await postEvent(a.url, withPhone, silence());
    expectInTime(quiet);
    expect(quiet.json).toEqual({next_action: 'continue'});
    const transfer = await postEvent(a.url, withPhone, escalation('call_wants_person_1'));
    expectInTime(transfer);
    expect(transfer.json).toEqual({say: phrase('en', 'transfer'), next_action: 'transfer', transfer_to: STORE_PHONE});
    const noTransfer = await postEvent(a.url, withoutPhone, escalation('call_wants_person_2'));
    expectInTime(noTransfer);
    expect(noTransfer.json).toEqual({say: phrase('en', 'noTransfer'), next_action: 'continue'});
    expect(outcomes(a)).toEqual(['not_recorded', 'transfer', 'no_store_phone']);
    expect(a.logs.filter((l) => l.includes('recording the call event outlasted the budget'))).toHaveLength(3);

    await release();
    await vi.waitFor(async () => {
      expect((await a.storage.listCallEvents(SHOP)).map((e) => e.kind).sort()).toEqual(['escalation', 'silence']);
      expect(await a.storage.listCallEvents(withoutPhone.shop)).toHaveLength(1);
    }, {timeout: 3000, interval: 20});
  });

  it('a shop read that loses its connection is read once more: the call is answered, not refused (the soak found a 503)', async () => {
    const a = await start();
    const shop = await addShop(a.storage, {shop: SHOP, storePhone: STORE_PHONE});
    const release = await lockTable('shops');
    const answer = postEvent(a.url, shop, silence());
    await killBackendWaitingOn('SELECT%shops%');
    await sleep(50);
    await release();
    const quiet = await answer;
    expectInTime(quiet);
    expect(quiet.status).toBe(200);
    expect(quiet.json).toEqual({next_action: 'continue'});
    expect(a.logs.some((l) => l.includes('reading it once more'))).toBe(true);
  });

  it('a silence whose write loses its connection mid-insert is written again, and stored exactly once (the soak found it lost)', async () => {
    const a = await start();
    const shop = await addShop(a.storage, {shop: SHOP, storePhone: STORE_PHONE});
    const release = await lockTable('call_events');
    const answer = postEvent(a.url, shop, silence());
    // The app's insert waits on the lock; its connection is killed there, as pg_terminate_backend does in production.
    await killBackendWaitingOn('INSERT INTO call_events%');
    await sleep(50);
    await release();
    const quiet = await answer;
    expectInTime(quiet);
    expect(quiet.json).toEqual({next_action: 'continue'});
    await vi.waitFor(async () => expect(await a.storage.listCallEvents(SHOP)).toHaveLength(1), {timeout: 3000, interval: 20});
    expect(a.logs.some((l) => l.includes('writing it once more'))).toBe(true);
  });
});
