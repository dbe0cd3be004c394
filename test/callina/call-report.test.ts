import {DatabaseSync} from 'node:sqlite';
import {join} from 'node:path';
import nock from 'nock';
import {Client} from 'pg';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {parseWeeklyHours} from '../../src/hours/schedule.ts';
import {callerOrder, customerNode, customersByPhoneResponse, ordersByEmailResponse, type CustomerJson} from '../fixtures/shopify-customers.ts';
import {interceptShopifyGraphql, orderQueryResponse, TEST_ACCESS_TOKEN, type ReplyTuple, type ShopifyReply} from '../fixtures/shopify-orders.ts';
import {addShop, callinaEvent, postEvent} from '../helpers/callina.ts';
import {createTestDatabase, resetDatabase} from '../helpers/postgres.ts';
import {startTestApp, type TestApp} from '../helpers/test-app.ts';
import {apiRequest, interceptTokenEndpoint, SHOPIFY_ENV, tokenResponse} from '../shopify-app/shopify-app-helpers.ts';

const OPEN = new Date('2026-05-18T08:00:00Z'); // Monday 10:00 in Vienna
const CLOSED = new Date('2026-05-17T18:00:00Z'); // Sunday 20:00
const LATE = new Date('2026-05-17T22:30:00Z'); // Monday 00:30 in Vienna, still Sunday in UTC
const ZERO = {ordersFound: 0, foundByCaller: 0, ordersNotFound: 0, noNumber: 0, fallbacks: 0, transfers: 0, afterHours: 0, silences: 0};

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

// Callers without an order number, by the phone they call from (or the e-mail they say).
const CALLER = '+43660123456789';
const ONE_ORDER = '+43664111111';
const TWO_ORDERS = '+43664222222';
const NO_ORDERS = '+43664333333';
const MARIA = 'maria.steinhauser@example.at';
const preparing = callerOrder({name: '#1002', createdAt: '2026-05-17T09:00:00Z', updatedAt: '2026-05-17T09:00:00Z', displayFulfillmentStatus: 'UNFULFILLED', fulfillments: []});
const CUSTOMERS: Record<string, CustomerJson[]> = {
  [ONE_ORDER]: [customerNode(207119551, ONE_ORDER, [callerOrder()])],
  [TWO_ORDERS]: [customerNode(207119552, TWO_ORDERS, [preparing, callerOrder()])],
};

/**
 * Shopify knows order 1001 and nothing else by number; customers by phone
 * as above; Maria's order by her e-mail. Each reply answers one request.
 */
const shopify = (n: number): ShopifyReply[] =>
  Array.from({length: n}, () => (request): ReplyTuple => {
    const search = String(request.variables.query ?? '');
    if (request.query.includes('customers(')) return [200, customersByPhoneResponse(CUSTOMERS[/^phone:"(.+)"$/.exec(search)?.[1] ?? ''] ?? [])];
    if (search.startsWith('email:')) return [200, ordersByEmailResponse(search === `email:"${MARIA}"` ? [callerOrder({email: MARIA})] : [])];
    return [200, orderQueryResponse({orders: JSON.stringify(request.variables).includes('1001') ? undefined : []})];
  });

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
    app = await startTestApp({env: {...SHOPIFY_ENV, ...env()}, deps: {speechNow: () => clock}});
    const hours = parseWeeklyHours('Mon-Fri 09:00-17:00');
    if (!hours.ok) throw new Error('schedule');
    const shop = await addShop(app.storage, {storePhone: '+43662275124', timeZone: 'Europe/Vienna', accessToken: TEST_ACCESS_TOKEN});
    await app.storage.updateShop(shop.shop, {businessHours: hours.value});
    const other = await addShop(app.storage, {shop: 'other.myshopify.com', storePhone: '+43662275124', timeZone: 'Europe/Vienna'});
    const {requests} = interceptShopifyGraphql(shopify(12));
    let n = 0;
    const send = async (event: Record<string, unknown>, target = shop) => {
      const res = await postEvent(app.url, target, callinaEvent({call_id: `call_${++n}`, context: {caller_phone: CALLER}, ...event}));
      expect(res.status).toBe(200);
      return res.json;
    };
    const lookup = (order: string) => send({params: {order_number: order}});
    // The contract's example: a tool call with empty params, the caller ID in the context.
    const withoutNumber = (context: Record<string, unknown>, params: Record<string, unknown> = {}) =>
      send({event: 'tool.invoked', tool: 'lookup_order', intent: undefined, params, context});
    const escalate = () => send({event: 'escalation.requested', intent: undefined, params: undefined, reason: 'caller_request'});

    // Monday, open.
    await lookup('1001'); // found
    await lookup('1001'); // found (from the cache)
    await lookup('4242'); // not found
    await send({params: {order_number: 'no idea'}, context: {caller_phone: 'anonymous'}}); // no number understood, none to call back on
    // Without a number, by caller ID or e-mail: one order, a choice of two, Maria's by her e-mail, and none (Anna asks for the number).
    expect(await withoutNumber({caller_phone: ONE_ORDER})).toEqual({say: expect.stringMatching(/^Ihre Bestellung 1 0 0 1, die Sie am 6\. Mai aufgegeben haben, /), next_action: 'continue'});
    expect((await withoutNumber({caller_phone: TWO_ORDERS})).say).toMatch(/^Ich sehe zwei Bestellungen zu dieser Nummer: .* Welche meinen Sie\?$/);
    expect((await withoutNumber({caller_phone: CALLER}, {email: 'maria dot steinhauser at example dot at'})).say).toMatch(/^Ihre Bestellung [0-9 ]+, die Sie .* aufgegeben haben, /);
    expect((await withoutNumber({caller_phone: NO_ORDERS})).say).toMatch(/Bestellnummer/);
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
    // The same without a number: told when the team is back, not put through to the closed store.
    expect(await withoutNumber({caller_phone: '+43664444444'})).toEqual({say: expect.stringMatching(/wieder für Sie da\.$/), next_action: 'continue'});
    // Half past midnight in Vienna is Monday there, though still Sunday in UTC.
    clock = LATE;
    await send({event: 'silence.detected', intent: undefined, params: undefined, silence_ms: 9000});

    await app.report.flush();
    // Shopify was asked once per lookup that reached it: 1001, 4242, three phones and one e-mail.
    expect(requests).toHaveLength(6);
    const sunday = {...ZERO, day: '2026-05-17', afterHours: 4, fallbacks: 2};
    const monday = {...ZERO, day: '2026-05-18', ordersFound: 2, foundByCaller: 3, ordersNotFound: 1, noNumber: 2, transfers: 1, silences: 2};
    expect(await app.storage.getReport(shop.shop, '2026-05-01', '2026-05-31')).toEqual([sunday, monday]);
    // What the settings page reads: every day up to today, by the clock the calls were counted by.
    interceptTokenEndpoint([[200, tokenResponse(1)]]);
    const report = await apiRequest(app, '/api/report?days=3');
    expect(report.status).toBe(200);
    expect(report.json).toEqual({timeZone: 'Europe/Vienna', days: [{...ZERO, day: '2026-05-16'}, sunday, monday]});
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

describe('a flush asked for while a write is under way', () => {
  let app: TestApp;
  let holder: Client | undefined;
  afterEach(async () => {
    await holder?.end(); // a test that failed midway must not leave the table locked for the reset
    await app?.close();
    await resetDatabase(pg.url);
  });

  it('also writes what was counted after that write began (PostgreSQL, the table locked meanwhile)', async () => {
    app = await startTestApp({env: {DATABASE_URL: pg.url}, deps: {speechNow: () => OPEN}});
    const shop = await addShop(app.storage, {storePhone: '+43662275124', timeZone: 'Europe/Vienna'});
    const silence = (id: string) => postEvent(app.url, shop, callinaEvent({event: 'silence.detected', call_id: id, intent: undefined, params: undefined}));
    // Another session holds the table: the write of the first silence waits for it.
    holder = new Client({connectionString: pg.url});
    await holder.connect();
    await holder.query('BEGIN; LOCK TABLE call_report IN EXCLUSIVE MODE');
    await silence('a');
    const first = app.report.flush();
    await silence('b');
    let secondDone = false;
    const second = app.report.flush().then(() => (secondDone = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(secondDone).toBe(false);
    await holder.query('COMMIT');
    await Promise.all([first, second]);
    expect(await app.storage.getReport(shop.shop, '2026-05-18', '2026-05-18')).toEqual([{...ZERO, day: '2026-05-18', silences: 2}]);
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
