import nock from 'nock';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {interceptShopifyGraphql, orderQueryResponse, TEST_ACCESS_TOKEN, TEST_SHOP} from './fixtures/shopify-orders.ts';
import {addShop, callinaEvent, postEvent} from './helpers/callina.ts';
import {startTestApp, type TestApp} from './helpers/test-app.ts';

const TOKEN = 'metrics-token-0123456789';
let app: TestApp;

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterAll(() => nock.enableNetConnect());
afterEach(async () => {
  nock.cleanAll();
  await app.close();
});

const scrape = (token?: string) => fetch(`${app.url}/metrics`, {headers: token ? {authorization: `Bearer ${token}`} : {}});

/** The value of one sample line, e.g. `callina_requests_total{event="…",…} 3`. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `)
    ? Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`))
    : false);
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

describe('GET /metrics', () => {
  it('does not exist without METRICS_TOKEN', async () => {
    app = await startTestApp();
    expect((await scrape('anything')).status).toBe(404);
  });

  it('requires the bearer token', async () => {
    app = await startTestApp({env: {METRICS_TOKEN: TOKEN}});
    expect((await scrape()).status).toBe(401);
    expect((await scrape('wrong-token-0123456789xx')).status).toBe(401);
    const ok = await scrape(TOKEN);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain/);
    // Node's own metrics come along, the event-loop delay among them.
    expect(await ok.text()).toMatch(/^nodejs_eventloop_lag_p99_seconds \S+$/m);
  });

  it('counts requests by event and outcome, cache results, Shopify calls and budget overruns, without personal data', async () => {
    app = await startTestApp({env: {METRICS_TOKEN: TOKEN, LOOKUP_BUDGET_MS: '200'}});
    const shop = await addShop(app.storage, {shop: TEST_SHOP, accessToken: TEST_ACCESS_TOKEN, storePhone: '+43662275124'});
    interceptShopifyGraphql([
      [200, orderQueryResponse()],
      [503, {errors: 'down'}],
      [503, {errors: 'down'}],
      async () => (await new Promise((r) => setTimeout(r, 350)), [200, orderQueryResponse({orders: []})] as const),
    ]);
    const ask = (n: string) => postEvent(app.url, shop, callinaEvent({params: {order_number: n}}));
    await ask('1001'); // miss → Shopify ok
    await ask('1001'); // hit
    await ask('2002'); // miss → 503, retry 503 → unavailable
    await ask('3003'); // miss → slower than the budget
    await postEvent(app.url, shop, callinaEvent({event: 'escalation.requested'}));
    await postEvent(app.url, shop, callinaEvent(), {secret: 'wrong-secret-0123456789'});
    await new Promise((r) => setTimeout(r, 200));

    const text = await (await scrape(TOKEN)).text();
    expect(sample(text, 'callina_requests_total', {event: 'intent.detected', outcome: 'found', status: '200'})).toBe(2);
    expect(sample(text, 'callina_requests_total', {event: 'intent.detected', outcome: 'unavailable_server_error'})).toBe(1);
    expect(sample(text, 'callina_requests_total', {event: 'escalation.requested', outcome: 'transfer'})).toBe(1);
    expect(sample(text, 'callina_requests_total', {event: 'other', outcome: 'rejected', status: '401'})).toBe(1);
    expect(sample(text, 'callina_budget_exceeded_total')).toBe(1);
    expect(sample(text, 'order_cache_lookups_total', {result: 'hit'})).toBe(1);
    expect(sample(text, 'order_cache_lookups_total', {result: 'miss'})).toBe(3);
    expect(sample(text, 'shopify_errors_total', {kind: 'server_error'})).toBe(2);
    expect(sample(text, 'shopify_request_seconds_count', {result: 'ok'})).toBe(2);
    expect(sample(text, 'callina_response_seconds_count', {event: 'intent.detected'})).toBe(4);
    expect(sample(text, 'shopify_circuit_open_shops')).toBe(0);
    expect(sample(text, 'order_cache_entries')).toBe(2);
    expect(text).not.toContain(TEST_SHOP);
    expect(text).not.toContain('660123456789');
    expect(text).not.toContain(shop.hookId);
  });
});
