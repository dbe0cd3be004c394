import {DatabaseSync} from 'node:sqlite';
import {join} from 'node:path';
import nock from 'nock';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {parseWeeklyHours} from '../../src/hours/schedule.ts';
import {interceptShopifyGraphql, orderQueryResponse, TEST_ACCESS_TOKEN, type ShopifyReply} from '../fixtures/shopify-orders.ts';
import {addShop, callinaEvent, postEvent} from '../helpers/callina.ts';
import {createTestDatabase, resetDatabase} from '../helpers/postgres.ts';
import {startTestApp, type TestApp} from '../helpers/test-app.ts';

const OPEN = new Date('2026-05-18T08:00:00Z'); // Monday 10:00 in Vienna
const CLOSED = new Date('2026-05-17T18:00:00Z'); // Sunday 20:00
const LATE = new Date('2026-05-17T22:30:00Z'); // Monday 00:30 in Vienna, still Sunday in UTC
const ZERO = {ordersFound: 0, ordersNotFound: 0, noNumber: 0, fallbacks: 0, transfers: 0, afterHours: 0, silences: 0};

let pg: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  pg = await createTestDatabase();
});
afterAll(async () => {
  nock.enableNetConnect();
  await pg.drop();
});

/** Shopify knows order 1001 and nothing else; each reply answers one request. */
const shopify = (n: number): ShopifyReply[] =>
  Array.from({length: n}, () => (request) => [200, orderQueryResponse({orders: JSON.stringify(request.variables).includes('1001') ? undefined : []})] as const);

describe.each([
  ['SQLite', () => ({}), async () => {}],
  ['PostgreSQL', () => ({DATABASE_URL: pg.url}), () => resetDatabase(pg.url)],
])('the call report on %s', (_engine, env, reset) => {
  let app: TestApp;
  let clock = OPEN;
  afterEach(async () => {
    nock.cleanAll();
    await app?.close();
    await reset();
  });

  it('counts what a scripted series of calls came to, per shop and local day, and nothing about callers', async () => {
    app = await startTestApp({env: env(), deps: {speechNow: () => clock}});
    const hours = parseWeeklyHours('Mon-Fri 09:00-17:00');
    if (!hours.ok) throw new Error('schedule');
    const shop = await addShop(app.storage, {storePhone: '+43662275124', timeZone: 'Europe/Vienna', accessToken: TEST_ACCESS_TOKEN});
    await app.storage.updateShop(shop.shop, {businessHours: hours.value});
    const other = await addShop(app.storage, {shop: 'other.myshopify.com', storePhone: '+43662275124', timeZone: 'Europe/Vienna'});
    interceptShopifyGraphql(shopify(6));
    const ctx = {caller_phone: '+43660123456789'};
    let n = 0;
    const send = async (event: Record<string, unknown>, target = shop) =>
      expect((await postEvent(app.url, target, callinaEvent({call_id: `call_${++n}`, context: ctx, ...event}))).status).toBe(200);
    const lookup = (order: string) => send({params: {order_number: order}});
    const escalate = () => send({event: 'escalation.requested', intent: undefined, params: undefined, reason: 'caller_request'});

    // Monday, open.
    await lookup('1001'); // found
    await lookup('1001'); // found (from the cache)
    await lookup('4242'); // not found
    await lookup('no idea'); // no number understood
    await escalate(); // transfer to the store
    await send({event: 'silence.detected', intent: undefined, params: undefined, silence_ms: 9000});
    await send({event: 'unknown.event'}); // counts nothing
    await send({params: {order_number: '1001'}}, other); // another shop: no token → fallback + transfer, counted there
    // Sunday evening, closed: one with an after-hours number, one without.
    clock = CLOSED;
    await app.storage.updateShop(shop.shop, {afterHoursPhone: '+436641234567'});
    await escalate();
    await app.storage.updateShop(shop.shop, {afterHoursPhone: null, accessToken: null});
    await escalate();
    await lookup('1002'); // unavailable (no token, not cached): a fallback, after hours
    // Half past midnight in Vienna is Monday there, though still Sunday in UTC.
    clock = LATE;
    await send({event: 'silence.detected', intent: undefined, params: undefined, silence_ms: 9000});

    await app.report.flush();
    expect(await app.storage.getReport(shop.shop, '2026-05-01', '2026-05-31')).toEqual([
      {...ZERO, day: '2026-05-17', afterHours: 3, fallbacks: 1},
      {...ZERO, day: '2026-05-18', ordersFound: 2, ordersNotFound: 1, noNumber: 1, transfers: 1, silences: 2},
    ]);
    expect(await app.storage.getReport(other.shop, '2026-05-01', '2026-05-31')).toEqual([{...ZERO, day: '2026-05-18', fallbacks: 1, transfers: 1}]);
    const escalations = await app.storage.listCallEvents(shop.shop, {kinds: ['escalation']});
    expect(escalations.map((e) => e.result)).toEqual(['nowhere', 'after_hours', 'transferred']);
  });

  it('adds up across flushes and restarts', async () => {
    app = await startTestApp({env: env(), deps: {speechNow: () => OPEN}});
    const shop = await addShop(app.storage, {storePhone: '+43662275124', timeZone: 'Europe/Vienna'});
    const silence = (id: string) => postEvent(app.url, shop, callinaEvent({event: 'silence.detected', call_id: id, intent: undefined, params: undefined}));
    await silence('a');
    await app.report.flush();
    await silence('b');
    await silence('c');
    await app.report.close();
    expect(await app.storage.getReport(shop.shop, '2026-05-18', '2026-05-18')).toEqual([{...ZERO, day: '2026-05-18', silences: 3}]);
  });
});

describe('the report never slows or breaks a call', () => {
  let app: TestApp;
  afterEach(() => app.close());

  it('answers while the report cannot be written, and writes the counts once it can', async () => {
    app = await startTestApp({deps: {speechNow: () => OPEN}});
    const shop = await addShop(app.storage, {storePhone: '+43662275124', timeZone: 'Europe/Vienna'});
    const db = new DatabaseSync(join(app.dataDir, 'test.sqlite'));
    db.exec('ALTER TABLE call_report RENAME TO call_report_gone');
    const res = await postEvent(app.url, shop, callinaEvent({event: 'escalation.requested', intent: undefined, params: undefined}));
    expect(res.json).toEqual({say: 'Einen Moment bitte, ich verbinde Sie mit unserem Team.', next_action: 'transfer', transfer_to: '+43662275124'});
    await app.report.flush();
    expect(app.logs.some((l) => l.includes('call report not written'))).toBe(true);
    db.exec('ALTER TABLE call_report_gone RENAME TO call_report');
    db.close();
    await app.report.flush();
    expect(await app.storage.getReport(shop.shop, '2026-05-18', '2026-05-18')).toEqual([{...ZERO, day: '2026-05-18', transfers: 1}]);
  });
});
