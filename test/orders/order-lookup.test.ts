import nock from 'nock';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi} from 'vitest';
import {
  accessDeniedResponse,
  connectionReset,
  fulfillmentNode,
  INVALID_TOKEN_BODY,
  interceptShopifyGraphql,
  orderNode,
  orderQueryResponse,
  sleep,
  TEST_ACCESS_TOKEN,
  TEST_SHOP,
  throttledResponse,
  type ShopifyReply,
} from '../fixtures/shopify-orders.ts';
import {addShop, callinaEvent, postEvent} from '../helpers/callina.ts';
import {startTestApp, type TestApp} from '../helpers/test-app.ts';
import {createLogger} from '../../src/log.ts';
import {OrderLookup} from '../../src/orders/order-lookup.ts';
import {createAdminGraphql} from '../../src/shopify/admin-graphql.ts';
import type {ShopRecord} from '../../src/storage/storage.ts';
import {ANSWER_SLACK_MS} from '../helpers/answer-slack.ts';

/** Friday 2026-05-08, 16:32 in Vienna: the fixture's parcel was handed over on Thursday, arrives Monday. */
const NOW = new Date('2026-05-08T14:32:55Z');
const BUDGET_MS = 400;
const IN_TRANSIT_EN = 'Your order 1 0 0 1 was shipped yesterday with DHL Express and should arrive on Monday.';
const NOT_FOUND = /check the number/;

let app: TestApp;
let shop: ShopRecord;

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterAll(() => nock.enableNetConnect());

async function start(env: Record<string, string> = {}, shopInput: Partial<ShopRecord> = {}) {
  app = await startTestApp({env: {LOOKUP_BUDGET_MS: String(BUDGET_MS), ...env}, deps: {speechNow: () => NOW}});
  shop = await addShop(app.storage, {shop: TEST_SHOP, accessToken: TEST_ACCESS_TOKEN, storePhone: '+43662275124', ...shopInput});
}
beforeEach(() => start());
afterEach(async () => {
  nock.cleanAll();
  await app.close();
});

const ENGLISH_CALLER = {caller_phone: '+15551234567'};
const ask = (orderNumber: unknown, context: Record<string, unknown> = ENGLISH_CALLER, extra: Record<string, unknown> = {}) =>
  postEvent(app.url, shop, callinaEvent({params: {order_number: orderNumber}, context, ...extra}));

describe('finding the order', () => {
  it('answers with the status, asking Shopify once with variables, the token and API 2026-10', async () => {
    const {requests} = interceptShopifyGraphql([[200, orderQueryResponse()]]);
    const res = await ask('one zero zero one');
    expect(res.json).toEqual({say: IN_TRANSIT_EN, next_action: 'continue'});
    expect(requests).toHaveLength(1);
    expect(requests[0]!.path).toBe('/admin/api/2026-10/graphql.json');
    expect(requests[0]!.headers['x-shopify-access-token']).toBe(TEST_ACCESS_TOKEN);
    expect(requests[0]!.variables).toMatchObject({withPhone: false});
    expect(requests[0]!.query).not.toContain('1001');
    expect(requests[0]!.query).not.toMatch(/\bphone\b(?!.*@include)/);
  });

  it('speaks German to an Austrian caller, in the shop\'s time zone', async () => {
    interceptShopifyGraphql([[200, orderQueryResponse()]]);
    const res = await ask('eins null null eins', {caller_phone: '+43660123456789'});
    expect(res.json.say).toBe('Ihre Bestellung 1 0 0 1 wurde gestern mit DHL Express verschickt und kommt voraussichtlich am Montag an.');
  });

  it('works the same as a tool call', async () => {
    interceptShopifyGraphql([[200, orderQueryResponse()]]);
    const res = await postEvent(app.url, shop, callinaEvent({event: 'tool.invoked', tool: 'lookup_order', intent: undefined, params: {order_number: '#1001'}, context: ENGLISH_CALLER}));
    expect(res.json.say).toBe(IN_TRANSIT_EN);
  });

  it('accepts only the exact order among loose matches', async () => {
    const loose = [orderNode({name: '#10010'}), orderNode({name: '#11001'})];
    interceptShopifyGraphql([[200, orderQueryResponse({orders: loose})], [200, orderQueryResponse({orders: loose})]]);
    const res = await ask('1001');
    expect(res.json.say).toMatch(NOT_FOUND);
    expect(res.json.say).not.toMatch(/shipped/);
  });

  it('uses the shop\'s own prefix: ORD-12345', async () => {
    const ord = orderNode({name: 'ORD-12345'});
    const {requests} = interceptShopifyGraphql([
      [200, orderQueryResponse({shop: {orderNumberFormatPrefix: 'ORD-'}, orders: []})],
      [200, orderQueryResponse({shop: {orderNumberFormatPrefix: 'ORD-'}, orders: [ord]})],
      [200, orderQueryResponse({shop: {orderNumberFormatPrefix: 'ORD-'}, orders: [orderNode({name: 'ORD-12346'})]})],
    ]);
    expect((await ask('ORD-12345')).json.say).toBe('Your order O R D 1 2 3 4 5 was shipped yesterday with DHL Express and should arrive on Monday.');
    // Once the format is known, the next cold lookup needs one request only.
    expect((await ask('ord 12346')).json.say).toMatch(/O R D 1 2 3 4 6 was shipped/);
    expect(requests).toHaveLength(3);
  });

  it('treats an old (or missing) order like any not-found: same words, an offer of the team', async () => {
    interceptShopifyGraphql([[200, orderQueryResponse({orders: []})], [200, orderQueryResponse({orders: []})]]);
    const missing = await ask('4711');
    const old = await ask('1002');
    expect(missing.json.next_action).toBe('continue');
    expect(missing.json.say).toMatch(NOT_FOUND);
    expect(old.json.say.replace('1 0 0 2', 'N')).toBe(missing.json.say.replace('4 7 1 1', 'N'));
  });

  it('asks again when no order number was understood, without calling Shopify', async () => {
    // No caller number either (withheld): nobody to look up by caller ID (test/orders/caller-lookup.test.ts).
    for (const spoken of [undefined, '', 'I forgot', {}]) {
      const res = await ask(spoken, {language: 'en'});
      expect(res.json).toEqual({say: expect.stringMatching(/order number/i), next_action: 'continue'});
    }
  });

  it('remembers a not-found briefly: a repeated question does not reach Shopify', async () => {
    const {requests} = interceptShopifyGraphql([[200, orderQueryResponse({orders: []})]]);
    await ask('4711');
    expect((await ask('4 7 1 1')).json.say).toMatch(NOT_FOUND);
    expect(requests).toHaveLength(1);
  });

  it('keeps an order callers keep asking for while newer orders fill the cache (least recently used goes first)', async () => {
    await app.close();
    await start({ORDER_CACHE_MAX: '100'});
    const others = (from: number) => Array.from({length: 60}, (_, i) => String(5000 + from + i));
    const {requests} = interceptShopifyGraphql([[200, orderQueryResponse()], ...Array.from({length: 120}, () => [200, orderQueryResponse({orders: []})] as ShopifyReply)]);
    expect((await ask('1001')).json.say).toBe(IN_TRANSIT_EN);
    for (const n of others(0)) await ask(n);
    expect((await ask('1001')).json.say).toBe(IN_TRANSIT_EN); // a hit: 1001 is the newest again
    for (const n of others(100)) await ask(n);
    // 120 orders came after 1001 was first asked, 60 after it was last asked: a cache of 100 still holds it.
    expect((await ask('1001')).json.say).toBe(IN_TRANSIT_EN);
    expect(requests).toHaveLength(121);
  });

  it('stores the shop\'s time zone once Shopify told it', async () => {
    interceptShopifyGraphql([[200, orderQueryResponse({shop: {ianaTimezone: 'America/New_York'}})]]);
    await ask('1001');
    await sleep(20);
    expect((await app.storage.getShop(TEST_SHOP))!.timeZone).toBe('America/New_York');
  });
});

describe('the shop\'s order-name format', () => {
  const A1 = {orderNumberFormatPrefix: 'A1-'};
  const inTransitA1 = IN_TRANSIT_EN.replace('Your order 1 0 0 1', 'Your order A 1 1 0 0 1');
  // Learning the format may take two requests in one call: room for both on a busy machine.
  beforeEach(async () => {
    await app.close();
    await start({LOOKUP_BUDGET_MS: '2000'});
  });

  it('before the format is known, "A1-1001" is not read as 11001: the answer that teaches the format decides', async () => {
    const stranger = orderNode({name: 'A1-11001', cancelledAt: '2026-05-01T08:00:00Z', displayFulfillmentStatus: 'UNFULFILLED', fulfillments: []});
    const {requests} = interceptShopifyGraphql([
      // the loose search for 11001 finds a stranger's order, and tells the shop's prefix
      [200, orderQueryResponse({shop: A1, orders: [stranger]})],
      [200, orderQueryResponse({shop: A1, orders: [orderNode({name: 'A1-1001'})]})],
    ]);
    const res = await ask('A1-1001');
    expect(res.json).toEqual({say: inTransitA1, next_action: 'continue'});
    expect(requests.map((r) => r.variables.query)).toEqual(['name:"#11001" OR name:"11001"', 'name:"A1-1001" OR name:"1001"']);
    await sleep(20);
    expect(await app.storage.getShop(TEST_SHOP)).toMatchObject({orderNamePrefix: 'A1-', orderNameSuffix: ''});
  });

  it('reads the stored format first: the prefix spelled with its digit is stripped, one request', async () => {
    await app.storage.updateShop(TEST_SHOP, {orderNamePrefix: 'A1-', orderNameSuffix: ''});
    const {requests} = interceptShopifyGraphql([[200, orderQueryResponse({shop: A1, orders: [orderNode({name: 'A1-1001'})]})]]);
    const res = await ask('A one one zero zero one');
    expect(res.json).toEqual({say: inTransitA1, next_action: 'continue'});
    expect(requests.map((r) => r.variables.query)).toEqual(['name:"A1-1001" OR name:"1001"']);
  });

  it('refuses another prefix right before the number when the shop\'s prefix holds digits: Anna asks again', async () => {
    await app.storage.updateShop(TEST_SHOP, {orderNamePrefix: 'A1-', orderNameSuffix: ''});
    const {requests} = interceptShopifyGraphql([[200, orderQueryResponse({shop: A1, orders: [orderNode({name: 'A1-11001'})]})]]);
    // No caller ID: with one, an unusable number turns into a caller lookup (test/orders/caller-lookup.test.ts).
    const res = await ask('B1-1001', {language: 'en'});
    expect(res.json).toEqual({say: expect.stringMatching(/order number/i), next_action: 'continue'});
    expect(requests).toHaveLength(0);
  });

  it('a format learned later reads the words anew: the old format\'s guess is not spoken', async () => {
    await app.storage.updateShop(TEST_SHOP, {orderNamePrefix: '#', orderNameSuffix: ''});
    const {requests} = interceptShopifyGraphql([
      [200, orderQueryResponse({shop: A1, orders: [orderNode({name: 'A1-11001'})]})],
      [200, orderQueryResponse({shop: A1, orders: [orderNode({name: 'A1-1001'})]})],
    ]);
    expect((await ask('A1 1001')).json.say).toBe(inTransitA1);
    expect(requests).toHaveLength(2);
  });
});

describe('single flight', () => {
  it('50 concurrent lookups of one cold order make exactly one Shopify call', async () => {
    const {requests} = interceptShopifyGraphql([
      async () => {
        await sleep(100);
        return [200, orderQueryResponse()];
      },
    ]);
    const answers = await Promise.all(Array.from({length: 50}, () => ask('1001')));
    expect(requests).toHaveLength(1);
    expect(new Set(answers.map((a) => a.json.say))).toEqual(new Set([IN_TRANSIT_EN]));
  });
});

describe('an eviction while Shopify is asked', () => {
  it('a change-feed reset mid-fetch: both waiting callers get the order, nothing fetched before it is kept', async () => {
    const lookup = new OrderLookup({
      shopify: createAdminGraphql(),
      accessTokenFor: async () => TEST_ACCESS_TOKEN,
      markNeedsReconnect: async () => {},
      log: createLogger('silent'),
      shopifyTimeoutMs: 5000,
    });
    const {requests} = interceptShopifyGraphql([
      async () => (await sleep(200), [200, orderQueryResponse()]),
      [200, orderQueryResponse({orders: [orderNode({displayFulfillmentStatus: 'UNFULFILLED', fulfillments: []})]})],
    ]);
    const deadline = () => performance.now() + 2000;
    const waiting = [lookup.lookup(shop, '1001', deadline()), lookup.lookup(shop, '#1001', deadline())];
    await sleep(50);
    lookup.clear(); // what the change feed's reset does on every instance
    const answers = await Promise.all(waiting);
    for (const answer of answers) expect(answer).toMatchObject({kind: 'found', order: {name: '#1001', fulfillment: 'fulfilled'}});
    expect(requests).toHaveLength(1);

    const next = await lookup.lookup(shop, '1001', deadline());
    expect(requests).toHaveLength(2);
    expect(next).toMatchObject({kind: 'found', order: {fulfillment: 'unfulfilled'}});
  });
});

describe('the time budget', () => {
  it('answers a slow Shopify with a fallback inside the budget, and the retry from the cache', async () => {
    const {requests} = interceptShopifyGraphql([
      async () => {
        await sleep(BUDGET_MS + 250);
        return [200, orderQueryResponse()];
      },
    ]);
    const first = await ask('1001');
    expect(first.ms).toBeLessThan(BUDGET_MS + ANSWER_SLACK_MS);
    expect(first.json).toEqual({say: expect.stringMatching(/still waiting/i), next_action: 'transfer', transfer_to: '+43662275124'});

    await sleep(300); // Callina's retry comes after its own 2.5 s; the upstream answer has landed by then
    const retry = await ask('1001');
    expect(retry.json.say).toBe(IN_TRANSIT_EN);
    expect(requests).toHaveLength(1);
  });

  it('without a store phone the fallback keeps the caller with Anna', async () => {
    await app.storage.updateShop(TEST_SHOP, {storePhone: null});
    interceptShopifyGraphql([async () => (await sleep(BUDGET_MS + 100), [200, orderQueryResponse()])]);
    const res = await ask('1001');
    expect(res.json).toEqual({say: expect.any(String), next_action: 'continue'});
    await sleep(150);
  });
});

describe('when Shopify fails', () => {
  const twice = (reply: ShopifyReply): ShopifyReply[] => [reply, reply];

  it.each([
    ['500', twice([500, {errors: 'Internal Server Error'}])],
    ['502', twice([502, '<html>Bad Gateway</html>', {'Content-Type': 'text/html'}])],
    ['503', twice([503, {errors: 'Service Unavailable'}])],
    ['malformed JSON', [[200, '{"data": {"shop": ']] as ShopifyReply[]],
  ])('%s: a spoken answer with a transfer, and the next request is served normally', async (_label, replies) => {
    interceptShopifyGraphql(replies);
    const res = await ask('1001');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({say: expect.stringMatching(/can't reach|cannot reach|not reach|moment/i), next_action: 'transfer', transfer_to: '+43662275124'});
    interceptShopifyGraphql([[200, orderQueryResponse()]]);
    expect((await ask('1001')).json.say).toBe(IN_TRANSIT_EN);
  });

  it('a connection reset is retried once within the budget', async () => {
    const scope = nock(`https://${TEST_SHOP}`).post(/graphql\.json$/).replyWithError(connectionReset());
    const {requests} = interceptShopifyGraphql([[200, orderQueryResponse()]]);
    expect((await ask('1001')).json.say).toBe(IN_TRANSIT_EN);
    expect(scope.isDone()).toBe(true);
    expect(requests).toHaveLength(1);
  });

  it('a 503 is retried once and the second answer used', async () => {
    const {requests} = interceptShopifyGraphql([[503, {errors: 'Service Unavailable'}], [200, orderQueryResponse()]]);
    expect((await ask('1001')).json.say).toBe(IN_TRANSIT_EN);
    expect(requests).toHaveLength(2);
  });

  it('THROTTLED waits for the bucket when the budget allows', async () => {
    const {requests} = interceptShopifyGraphql([
      [200, throttledResponse({requestedQueryCost: 212, currentlyAvailable: 200, restoreRate: 100})],
      [200, orderQueryResponse()],
    ]);
    const res = await ask('1001');
    expect(res.json.say).toBe(IN_TRANSIT_EN);
    expect(requests).toHaveLength(2);
  });

  it('THROTTLED with a long wait does not wait past the budget', async () => {
    const {requests} = interceptShopifyGraphql([[200, throttledResponse({requestedQueryCost: 1000, currentlyAvailable: 0, restoreRate: 50})]]);
    const res = await ask('1001');
    expect(res.ms).toBeLessThan(BUDGET_MS + ANSWER_SLACK_MS);
    expect(res.json.next_action).toBe('transfer');
    expect(requests).toHaveLength(1);
  });

  it('a revoked token marks the shop for reconnection and stops asking Shopify', async () => {
    await app.storage.updateShop(TEST_SHOP, {accessToken: null});
    const res0 = await ask('1001');
    expect(res0.json.next_action).toBe('transfer'); // no token at all: straight to a person
    await app.storage.updateShop(TEST_SHOP, {accessToken: TEST_ACCESS_TOKEN});

    const {requests} = interceptShopifyGraphql([[401, INVALID_TOKEN_BODY]]);
    const res = await ask('1001');
    expect(res.json).toEqual({say: expect.any(String), next_action: 'transfer', transfer_to: '+43662275124'});
    expect(requests).toHaveLength(1);
    expect((await app.storage.getShop(TEST_SHOP))!.connection).toBe('needs_reconnect');
  });

  it('ACCESS_DENIED on the phone (not approved) answers unverified instead of failing the call', async () => {
    await app.storage.updateShop(TEST_SHOP, {verification: 'caller_phone'});
    const {requests} = interceptShopifyGraphql([[200, accessDeniedResponse('phone')], [200, orderQueryResponse()]]);
    const res = await ask('1001', {caller_phone: '+436601234567', language: 'en'});
    expect(res.json.say).toBe(IN_TRANSIT_EN);
    expect(requests.map((r) => r.variables.withPhone)).toEqual([true, false]);
    expect((await app.storage.getShop(TEST_SHOP))!.connection).toBe('ok');
  });

  it('ACCESS_DENIED without the phone (scope missing) marks the shop for reconnection', async () => {
    interceptShopifyGraphql([[200, accessDeniedResponse('orders')]]);
    const res = await ask('1001');
    expect(res.json.next_action).toBe('transfer');
    expect((await app.storage.getShop(TEST_SHOP))!.connection).toBe('needs_reconnect');
  });

  it('serves stale data when Shopify fails after the answer expired', async () => {
    await app.close();
    await start({ORDER_TTL_ACTIVE_SECONDS: '1'});
    interceptShopifyGraphql([[200, orderQueryResponse()]]);
    expect((await ask('1001')).json.say).toBe(IN_TRANSIT_EN);
    await sleep(1100);
    const {requests} = interceptShopifyGraphql([[503, {errors: 'x'}], [503, {errors: 'x'}]]);
    const stale = await ask('1001');
    // Issue 10: an answer from the last update says so.
    expect(stale.json).toEqual({say: IN_TRANSIT_EN.replace(/\.$/, ', as of the last update.'), next_action: 'continue'});
    expect(requests).toHaveLength(2);
  });

  it('after the cooldown, one probe at a time: concurrent callers make exactly one Shopify request', async () => {
    const failures = interceptShopifyGraphql(Array.from({length: 10}, () => [503, {errors: 'down'}] as const));
    for (let i = 0; i < 5; i++) await ask(String(2000 + i));
    expect(failures.requests).toHaveLength(10);

    vi.useFakeTimers({toFake: ['Date']});
    try {
      vi.setSystemTime(Date.now() + 31_000); // the 30 s cooldown is over: half-open
      const probe: ShopifyReply = async (request) => {
        await sleep(150);
        const key = /"(\d+)"$/.exec(String(request.variables.query))![1]!;
        return [200, orderQueryResponse({orders: [orderNode({name: `#${key}`})]})];
      };
      const {requests} = interceptShopifyGraphql(Array.from({length: 12}, () => probe));
      const answers = await Promise.all(Array.from({length: 10}, (_, i) => ask(String(3000 + i))));
      expect(requests).toHaveLength(1);
      const found = answers.filter((a) => /shipped/.test(a.json.say));
      expect(found).toHaveLength(1);
      expect(answers.filter((a) => a.json.next_action === 'transfer')).toHaveLength(9);

      // the probe succeeded: the circuit is closed again
      expect((await ask('3100')).json.say).toMatch(/3 1 0 0 was shipped/);
      expect(requests).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('opens the circuit after repeated failures: callers get the fallback at once, Shopify is left alone', async () => {
    const {requests} = interceptShopifyGraphql(Array.from({length: 12}, () => [503, {errors: 'down'}] as const));
    for (let i = 0; i < 5; i++) await ask(String(2000 + i)); // 5 failed lookups (2 attempts each) open the circuit
    expect(requests).toHaveLength(10);
    const before = requests.length;
    const res = await ask('2099');
    expect(res.json.next_action).toBe('transfer');
    expect(requests.length).toBe(before);
    expect(app.logs.some((l) => l.includes('unavailable_circuit_open'))).toBe(true);
  });
});

describe('caller verification', () => {
  const withPhone = () => orderQueryResponse({orders: [orderNode({phone: '+43 660 1234567', fulfillments: [fulfillmentNode({trackingInfo: [{company: 'DHL Express', number: 'JJD0001234564711'}]})]})]});

  it('by default the query never selects the phone and nothing private is spoken', async () => {
    const {requests} = interceptShopifyGraphql([[200, orderQueryResponse({orders: [orderNode({fulfillments: [fulfillmentNode({trackingInfo: [{company: 'DHL Express', number: 'JJD0001234564711'}]})]})]})]]);
    const res = await ask('1001', {caller_phone: '+436601234567', language: 'en'});
    expect(requests[0]!.variables.withPhone).toBe(false);
    expect(res.json.say).not.toMatch(/4 ?7 ?1 ?1|tracking/i);
  });

  it('with caller_phone, a matching caller hears the tracking number\'s end; another caller does not', async () => {
    await app.storage.updateShop(TEST_SHOP, {verification: 'caller_phone'});
    const {requests} = interceptShopifyGraphql([[200, withPhone()]]);
    const verified = await ask('1001', {caller_phone: '+436601234567', language: 'en'});
    expect(requests[0]!.variables.withPhone).toBe(true);
    expect(verified.json.say).toMatch(/4 ?7 ?1 ?1/);
    const stranger = await ask('1001', {caller_phone: '+436609999999', language: 'en'});
    expect(stranger.json.say).not.toMatch(/4 ?7 ?1 ?1/);
    expect(stranger.json.say).toMatch(/1 0 0 1/);
  });
});

describe('logs', () => {
  it('carry the outcome but no order details or caller data', async () => {
    interceptShopifyGraphql([[200, orderQueryResponse()]]);
    await ask('1001', {caller_phone: '+436601234567'});
    const line = app.logs.map((l) => JSON.parse(l)).find((l) => l.event === 'intent.detected');
    expect(line).toMatchObject({outcome: 'found', status: 200});
    const all = app.logs.join('\n');
    expect(all).not.toContain('DHL');
    expect(all).not.toContain('6601234567');
    expect(all).not.toContain(TEST_ACCESS_TOKEN);
  });
});
