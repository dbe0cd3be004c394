import type {ApiVersion} from '@shopify/shopify-api';
import nock from 'nock';
import {afterAll, afterEach, beforeAll, describe, expect, test} from 'vitest';
import {ADMIN_API_VERSION, createAdminGraphql, type AdminGraphql} from '../../src/shopify/admin-graphql.ts';
import {ShopifyAuthError, ShopifyRequestError, ShopifyThrottledError, ShopifyUnavailableError} from '../../src/shopify/errors.ts';
import {ORDER_LOOKUP_QUERY} from '../../src/shopify/order-query.ts';
import {
  accessDeniedResponse,
  connectionReset,
  fulfillmentNode,
  graphqlPath,
  interceptShopifyGraphql,
  INVALID_TOKEN_BODY,
  orderNode,
  orderQueryResponse,
  sleep,
  TEST_ACCESS_TOKEN,
  TEST_SHOP,
  throttledResponse,
} from '../fixtures/shopify-orders.ts';

let admin: AdminGraphql;

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  // The service may run without Shopify app credentials (custom-app tokens only): test that mode.
  admin = createAdminGraphql();
});

afterEach(() => {
  nock.cleanAll();
});

afterAll(() => {
  nock.enableNetConnect();
});

const lookup = (overrides: Partial<Parameters<AdminGraphql['fetchOrderByNumber']>[0]> = {}) =>
  admin.fetchOrderByNumber({shop: TEST_SHOP, accessToken: TEST_ACCESS_TOKEN, key: '1001', withPhone: false, timeoutMs: 5000, ...overrides});

/** The rejection of `promise`, which must reject. */
async function rejection(promise: Promise<unknown>): Promise<ShopifyRequestError> {
  const outcome = await promise.then(
    (value) => ({value}),
    (error: unknown) => ({error}),
  );
  if (!('error' in outcome)) throw new Error(`expected a rejection, got ${JSON.stringify(outcome.value)}`);
  expect(outcome.error).toBeInstanceOf(ShopifyRequestError);
  return outcome.error as ShopifyRequestError;
}

describe('fetchOrderByNumber: answers', () => {
  test('finds the exact order among loose candidates', async () => {
    const {scope} = interceptShopifyGraphql([
      [
        200,
        orderQueryResponse({
          orders: [
            orderNode({name: '#10010', displayFulfillmentStatus: 'UNFULFILLED', fulfillments: []}),
            orderNode({name: '#11001', displayFulfillmentStatus: 'UNFULFILLED', fulfillments: []}),
            orderNode({name: '#1001', fulfillments: [fulfillmentNode({displayStatus: 'OUT_FOR_DELIVERY'})]}),
            orderNode({name: '#21001', displayFulfillmentStatus: 'ON_HOLD', fulfillments: []}),
          ],
        }),
      ],
    ]);
    const result = await lookup();
    expect(result.shopSettings).toEqual({timeZone: 'Europe/Vienna', prefix: '#', suffix: '', readsAllOrders: false});
    expect(result.order?.name).toBe('#1001');
    expect(result.order?.fulfillment).toBe('fulfilled');
    expect(result.order?.shipments.map((s) => s.state)).toEqual(['out_for_delivery']);
    expect(result.order?.phone).toBeNull();
    expect(scope.isDone()).toBe(true);
  });

  test('of two orders with the same name, the newer one wins', async () => {
    interceptShopifyGraphql([
      [
        200,
        orderQueryResponse({
          orders: [
            orderNode({name: '#1001', createdAt: '2025-01-02T10:00:00Z', displayFulfillmentStatus: 'FULFILLED'}),
            orderNode({name: '#1001', createdAt: '2026-05-06T14:03:21Z', displayFulfillmentStatus: 'ON_HOLD'}),
          ],
        }),
      ],
    ]);
    expect((await lookup()).order?.fulfillment).toBe('on_hold');
  });

  test('only loose matches: not found, after one request', async () => {
    const {requests} = interceptShopifyGraphql([[200, orderQueryResponse({orders: [orderNode({name: '#10010'}), orderNode({name: '#11001'})]})]]);
    const result = await lookup();
    expect(result.order).toBeNull();
    expect(result.shopSettings.timeZone).toBe('Europe/Vienna');
    expect(requests).toHaveLength(1);
  });

  test('no candidates at all: not found', async () => {
    interceptShopifyGraphql([[200, orderQueryResponse({orders: []})]]);
    expect((await lookup({key: '999999'})).order).toBeNull();
  });

  test('sends the one document with variables to the 2026-10 endpoint, with the token as X-Shopify-Access-Token', async () => {
    const {requests} = interceptShopifyGraphql([[200, orderQueryResponse()]]);
    await lookup();
    expect(ADMIN_API_VERSION).toBe('2026-10');
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request!.path).toBe(graphqlPath('2026-10'));
    expect(request!.headers['x-shopify-access-token']).toBe(TEST_ACCESS_TOKEN);
    expect(request!.headers['content-type']).toMatch(/^application\/json/);
    expect(request!.query).toBe(ORDER_LOOKUP_QUERY);
    expect(request!.variables).toEqual({query: 'name:"#1001" OR name:"1001"', withPhone: false});
  });

  test('each shop is asked with its own token (no app-wide token)', async () => {
    const other = 'second-shop.myshopify.com';
    const a = interceptShopifyGraphql([[200, orderQueryResponse()]]);
    const b = interceptShopifyGraphql([[200, orderQueryResponse()]], other);
    await lookup();
    await lookup({shop: other, accessToken: 'shpat_other'});
    expect(a.requests[0]!.headers['x-shopify-access-token']).toBe(TEST_ACCESS_TOKEN);
    expect(b.requests[0]!.headers['x-shopify-access-token']).toBe('shpat_other');
  });

  test("a shop's new token is sent from its next request on (the shop's client is kept between lookups)", async () => {
    const {requests} = interceptShopifyGraphql([
      [200, orderQueryResponse()],
      [200, orderQueryResponse()],
      [200, orderQueryResponse()],
    ]);
    await lookup();
    await lookup({accessToken: 'shpat_rotated'});
    await lookup({accessToken: 'shpat_rotated'});
    expect(requests.map((r) => r.headers['x-shopify-access-token'])).toEqual([TEST_ACCESS_TOKEN, 'shpat_rotated', 'shpat_rotated']);
  });

  test('names the service in the User-Agent', async () => {
    const {requests} = interceptShopifyGraphql([[200, orderQueryResponse()]]);
    await lookup();
    expect(requests[0]!.headers['user-agent']).toMatch(/^Callina Order Lookup \| Admin API Client v\d/);
  });

  test("Shopify's deprecation notice is warned once, in words, never with the request's token", async () => {
    const warnings: string[] = [];
    const warned = createAdminGraphql({warn: (message) => warnings.push(message)});
    const notice = 'Field `Order.totalPriceSet` is deprecated';
    interceptShopifyGraphql([
      [200, orderQueryResponse(), {'X-Shopify-API-Deprecated-Reason': notice}],
      [200, orderQueryResponse(), {'X-Shopify-API-Deprecated-Reason': notice}],
    ]);
    for (let i = 0; i < 2; i++) {
      const result = await warned.fetchOrderByNumber({shop: TEST_SHOP, accessToken: TEST_ACCESS_TOKEN, key: '1001', withPhone: false});
      expect(result.order?.name).toBe('#1001');
    }
    expect(warnings).toEqual([`Shopify: ${notice}`]);
    expect(warnings.join()).not.toContain(TEST_ACCESS_TOKEN);
  });

  test('an API version Shopify no longer supports still works, with one warning', async () => {
    const warnings: string[] = [];
    const old = createAdminGraphql({apiVersion: '2024-01' as ApiVersion, warn: (message) => warnings.push(message)});
    const other = 'second-shop.myshopify.com';
    const a = interceptShopifyGraphql([[200, orderQueryResponse()]]);
    const b = interceptShopifyGraphql([[200, orderQueryResponse()]], other);
    for (const shop of [TEST_SHOP, other]) {
      expect((await old.fetchOrderByNumber({shop, accessToken: TEST_ACCESS_TOKEN, key: '1001', withPhone: false})).order?.name).toBe('#1001');
    }
    expect([a.requests[0]!.path, b.requests[0]!.path]).toEqual([graphqlPath('2024-01'), graphqlPath('2024-01')]);
    expect(warnings).toEqual(['Shopify no longer supports Admin API version 2024-01']);
  });

  test('asks for the phone only when told to, and returns it as E.164', async () => {
    const {requests} = interceptShopifyGraphql([
      [200, orderQueryResponse({orders: [orderNode({phone: '+43 660 123456789'})]})],
      [200, orderQueryResponse({orders: [orderNode()]})],
    ]);
    const withPhone = await lookup({withPhone: true});
    const without = await lookup({withPhone: false});
    expect(requests.map((r) => r.variables['withPhone'])).toEqual([true, false]);
    expect(withPhone.order?.phone).toBe('+43660123456789');
    expect(without.order?.phone).toBeNull();
  });

  test('a shop with another prefix: a second search in its real format finds the order', async () => {
    const shop = {orderNumberFormatPrefix: 'ORD-', ianaTimezone: 'Europe/Berlin'};
    const {requests} = interceptShopifyGraphql([
      [200, orderQueryResponse({shop, orders: []})],
      [200, orderQueryResponse({shop, orders: [orderNode({name: 'ORD-123456'}), orderNode({name: 'ORD-12345'})]})],
    ]);
    const result = await lookup({key: '12345'});
    expect(requests.map((r) => r.variables['query'])).toEqual(['name:"#12345" OR name:"12345"', 'name:"ORD-12345" OR name:"12345"']);
    expect(result.order?.name).toBe('ORD-12345');
    expect(result.shopSettings).toEqual({timeZone: 'Europe/Berlin', prefix: 'ORD-', suffix: '', readsAllOrders: false});
  });

  test('with the shop format known from an earlier lookup, one search suffices', async () => {
    const shop = {orderNumberFormatPrefix: 'ORD-'};
    const {requests} = interceptShopifyGraphql([[200, orderQueryResponse({shop, orders: [orderNode({name: 'ORD-12345'})]})]]);
    const result = await lookup({key: '12345', format: {prefix: 'ORD-', suffix: ''}});
    expect(result.order?.name).toBe('ORD-12345');
    expect(requests.map((r) => r.variables['query'])).toEqual(['name:"ORD-12345" OR name:"12345"']);
  });

  test('a shop without prefix: the bare number was already searched, so no second search', async () => {
    const {requests} = interceptShopifyGraphql([[200, orderQueryResponse({shop: {orderNumberFormatPrefix: ''}, orders: [orderNode({name: '10010'})]})]]);
    const result = await lookup();
    expect(result.order).toBeNull();
    expect(result.shopSettings.prefix).toBe('');
    expect(requests).toHaveLength(1);
  });

  test('request(): any document, same endpoint and token', async () => {
    const {requests} = interceptShopifyGraphql([[200, {data: {shop: {name: 'Anna Demo'}}, extensions: {cost: {requestedQueryCost: 1}}}]]);
    const result = await admin.request('query { shop { name } }', {shop: TEST_SHOP, accessToken: TEST_ACCESS_TOKEN});
    expect(result.data).toEqual({shop: {name: 'Anna Demo'}});
    expect(requests[0]!.path).toBe(graphqlPath());
  });
});

describe('fetchOrderByNumber: failures as named errors', () => {
  test('THROTTLED on 200: ShopifyThrottledError with the wait from extensions.cost, not retried', async () => {
    const {requests} = interceptShopifyGraphql([[200, throttledResponse({requestedQueryCost: 212, currentlyAvailable: 12, restoreRate: 100})]]);
    const error = await rejection(lookup());
    expect(error).toBeInstanceOf(ShopifyThrottledError);
    expect(error.kind).toBe('throttled');
    expect(error.retryable).toBe(true);
    expect(error.status).toBe(200);
    expect((error as ShopifyThrottledError).retryAfterMs).toBe(2000); // (212 − 12) / 100 per second
    expect(requests).toHaveLength(1);
  });

  test('THROTTLED with a faster restore rate waits less', async () => {
    interceptShopifyGraphql([[200, throttledResponse({requestedQueryCost: 212, currentlyAvailable: 112, restoreRate: 1000})]]);
    const error = await rejection(lookup());
    expect((error as ShopifyThrottledError).retryAfterMs).toBe(100);
  });

  test('HTTP 429: ShopifyThrottledError with Retry-After seconds as milliseconds', async () => {
    const {requests} = interceptShopifyGraphql([[429, {errors: 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.'}, {'Retry-After': '2.0'}]]);
    const error = await rejection(lookup());
    expect(error).toBeInstanceOf(ShopifyThrottledError);
    expect(error.status).toBe(429);
    expect((error as ShopifyThrottledError).retryAfterMs).toBe(2000);
    expect(requests).toHaveLength(1);
  });

  test.each([
    [401, 'unauthorized', INVALID_TOKEN_BODY],
    [403, 'forbidden', {errors: '[API] This action requires merchant approval for read_orders scope.'}],
  ])('HTTP %i: ShopifyAuthError %s, not retryable', async (status, kind, body) => {
    interceptShopifyGraphql([[status, body]]);
    const error = await rejection(lookup());
    expect(error).toBeInstanceOf(ShopifyAuthError);
    expect(error.kind).toBe(kind);
    expect(error.status).toBe(status);
    expect(error.retryable).toBe(false);
    expect(error.requestId).toBe('c0ffee00-1234-4bcd-8def-0123456789ab');
    expect(error.message).not.toContain(TEST_ACCESS_TOKEN);
  });

  test('ACCESS_DENIED on 200 (phone not approved): ShopifyAuthError access_denied', async () => {
    interceptShopifyGraphql([[200, accessDeniedResponse('phone')]]);
    const error = await rejection(lookup({withPhone: true}));
    expect(error).toBeInstanceOf(ShopifyAuthError);
    expect(error.kind).toBe('access_denied');
    expect(error.message).toContain('phone');
  });

  test.each([
    [500, {errors: 'Internal Server Error'}, {}],
    [502, '<html><body><h1>502 Bad Gateway</h1></body></html>', {'Content-Type': 'text/html'}],
    [503, {errors: 'Service Unavailable'}, {'Retry-After': '1'}],
  ])('HTTP %i: ShopifyUnavailableError server_error, retryable, not retried here', async (status, body, headers) => {
    const {requests} = interceptShopifyGraphql([[status, body, headers]]);
    const error = await rejection(lookup());
    expect(error).toBeInstanceOf(ShopifyUnavailableError);
    expect(error.kind).toBe('server_error');
    expect(error.status).toBe(status);
    expect(error.retryable).toBe(true);
    expect(requests).toHaveLength(1);
  });

  test.each([
    [402, {errors: 'Unavailable Shop'}],
    [404, {errors: 'Not Found'}],
    [423, {errors: 'This shop is unavailable'}],
  ])('HTTP %i: ShopifyUnavailableError shop_unavailable', async (status, body) => {
    interceptShopifyGraphql([[status, body]]);
    const error = await rejection(lookup());
    expect(error).toBeInstanceOf(ShopifyUnavailableError);
    expect(error.kind).toBe('shop_unavailable');
    expect(error.retryable).toBe(false);
  });

  test('connection reset: ShopifyUnavailableError network', async () => {
    nock(`https://${TEST_SHOP}`).post(graphqlPath()).replyWithError(connectionReset());
    const error = await rejection(lookup());
    expect(error).toBeInstanceOf(ShopifyUnavailableError);
    expect(error.kind).toBe('network');
    expect(error.status).toBeUndefined();
    expect(error.retryable).toBe(true);
  });

  test.each([
    ['malformed JSON', '{"data": {"shop": {"ianaTimezone": "Europe/Vi'],
    ['JSON null', 'null'],
    ['JSON without data or errors', '{"extensions": {}}'],
  ])('%s: ShopifyUnavailableError bad_response', async (_name, body) => {
    interceptShopifyGraphql([[200, body]]);
    const error = await rejection(lookup());
    expect(error).toBeInstanceOf(ShopifyUnavailableError);
    expect(error.kind).toBe('bad_response');
  });

  test('JSON of the wrong shape: ShopifyUnavailableError bad_response', async () => {
    interceptShopifyGraphql([[200, {data: {shop: {ianaTimezone: 'Europe/Vienna'}, orders: {edges: []}}}]]);
    const error = await rejection(lookup());
    expect(error.kind).toBe('bad_response');
    expect(error.message).toContain('orders.nodes');
  });

  test('other GraphQL errors on 200: ShopifyUnavailableError graphql_error', async () => {
    interceptShopifyGraphql([
      [200, {errors: [{message: "Field 'phone' doesn't exist on type 'Order'", locations: [{line: 17, column: 7}], path: ['query CallinaOrderLookup', 'orders', 'nodes', 'phone'], extensions: {code: 'undefinedField', typeName: 'Order', fieldName: 'phone'}}]}],
    ]);
    const error = await rejection(lookup());
    expect(error).toBeInstanceOf(ShopifyUnavailableError);
    expect(error.kind).toBe('graphql_error');
    expect(error.message).toContain("doesn't exist");
    expect(error.retryable).toBe(false);
  });

  test('errors as a bare string on 200: ShopifyUnavailableError graphql_error with that message', async () => {
    interceptShopifyGraphql([[200, {errors: 'Query has complexity of 1200, which exceeds max complexity of 1000'}]]);
    const error = await rejection(lookup());
    expect(error.kind).toBe('graphql_error');
    expect(error.message).toContain('exceeds max complexity');
    expect(error.graphqlErrors).toEqual([{message: 'Query has complexity of 1200, which exceeds max complexity of 1000'}]);
  });

  test('INTERNAL_SERVER_ERROR on 200: server_error, retryable', async () => {
    interceptShopifyGraphql([[200, {errors: [{message: 'Internal error. Looks like something went wrong on our end.', extensions: {code: 'INTERNAL_SERVER_ERROR', requestId: 'abc'}}]}]]);
    const error = await rejection(lookup());
    expect(error.kind).toBe('server_error');
    expect(error.retryable).toBe(true);
  });

  test('a slow answer: ShopifyUnavailableError timeout at the own timeout', async () => {
    interceptShopifyGraphql([
      async () => {
        await sleep(1500);
        return [200, orderQueryResponse()];
      },
    ]);
    const started = performance.now();
    const error = await rejection(lookup({timeoutMs: 150}));
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(ShopifyUnavailableError);
    expect(error.kind).toBe('timeout');
    expect(error.retryable).toBe(true);
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(1000);
    await sleep(1500); // let the sleeping reply finish before nock is cleaned up
  });

  test("the caller's signal aborts the request: ShopifyUnavailableError aborted", async () => {
    interceptShopifyGraphql([
      async () => {
        await sleep(1000);
        return [200, orderQueryResponse()];
      },
    ]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('shutting down')), 50);
    const started = performance.now();
    const error = await rejection(lookup({signal: controller.signal, timeoutMs: 5000}));
    expect(error.kind).toBe('aborted');
    expect(error.retryable).toBe(false);
    expect(performance.now() - started).toBeLessThan(800);
    await sleep(1000);
  });

  test('an already aborted signal sends nothing', async () => {
    const {requests} = interceptShopifyGraphql([[200, orderQueryResponse()]]);
    const error = await rejection(lookup({signal: AbortSignal.abort()}));
    expect(error.kind).toBe('aborted');
    expect(requests).toHaveLength(0);
  });

  test('the timeout covers both searches of a shop with another prefix', async () => {
    const shop = {orderNumberFormatPrefix: 'ORD-'};
    interceptShopifyGraphql([
      async () => {
        await sleep(120);
        return [200, orderQueryResponse({shop, orders: []})];
      },
      async () => {
        await sleep(120);
        return [200, orderQueryResponse({shop, orders: [orderNode({name: 'ORD-12345'})]})];
      },
    ]);
    const error = await rejection(lookup({key: '12345', timeoutMs: 180}));
    expect(error.kind).toBe('timeout');
    await sleep(200);
  });

  test('a malformed shop domain or key is a programming error, and nothing is sent', async () => {
    const {requests} = interceptShopifyGraphql([[200, orderQueryResponse()]]);
    await expect(lookup({shop: 'evil.example.com'})).rejects.toThrow(TypeError);
    await expect(lookup({key: '#1001'})).rejects.toThrow(TypeError);
    await expect(lookup({accessToken: ''})).rejects.toThrow(TypeError);
    expect(requests).toHaveLength(0);
  });
});
