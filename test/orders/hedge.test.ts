/**
 * Hedged Shopify requests: a slow lookup gets one twin after the hedge
 * delay, the first good answer is spoken, and no twin is sent when the
 * shop's cost bucket is low, its circuit is half-open, or the caller's
 * budget has no room for one. Shopify answers through nock from async
 * functions that sleep (deterministic delays, safe to cancel).
 */
import nock from 'nock';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {createLogger} from '../../src/log.ts';
import {Hedger, type HedgeResult, type HedgeSkip} from '../../src/orders/hedge.ts';
import {OrderLookup} from '../../src/orders/order-lookup.ts';
import {createAdminGraphql} from '../../src/shopify/admin-graphql.ts';
import type {ShopRecord} from '../../src/storage/storage.ts';
import {
  fulfillmentNode,
  interceptShopifyGraphql,
  orderNode,
  orderQueryResponse,
  sleep,
  TEST_ACCESS_TOKEN,
  TEST_SHOP
} from '../fixtures/shopify-orders.ts';
import {addShop, callinaEvent, postEvent} from '../helpers/callina.ts';
import {startTestApp, type TestApp} from '../helpers/test-app.ts';

const NOW = new Date('2026-05-08T14:32:55Z');
const HEDGE_MS = 300;
const METRICS_TOKEN = 'metrics-token-0123456789';
const IN_TRANSIT = /^Your order 1 0 0 1 was shipped yesterday/;
const DELIVERED = /^Your order 1 0 0 1 was delivered/;
const STILL_WAITING = /^I'm still waiting for our order system\./;

const inTransit = () => orderQueryResponse();
const delivered = () =>
  orderQueryResponse({orders: [orderNode({fulfillments: [fulfillmentNode({displayStatus: 'DELIVERED', deliveredAt: '2026-05-08T09:30:00Z'})]})]});

let app: TestApp;
let shop: ShopRecord;

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterAll(() => nock.enableNetConnect());
afterEach(async () => {
  nock.cleanAll();
  await app?.close();
});

async function start(budgetMs = 1500) {
  app = await startTestApp({
    env: {LOOKUP_BUDGET_MS: String(budgetMs), SHOPIFY_HEDGE_DELAY_MS: String(HEDGE_MS), METRICS_TOKEN},
    deps: {speechNow: () => NOW},
  });
  shop = await addShop(app.storage, {shop: TEST_SHOP, accessToken: TEST_ACCESS_TOKEN});
}

const ask = (orderNumber = '1001') => postEvent(app.url, shop, callinaEvent({params: {order_number: orderNumber}, context: {caller_phone: '+15551234567'}}));

/** A Shopify reply that notes when its request arrived and answers `body` after `ms`. */
function timed(arrivals: number[], ms: number, body: () => object) {
  return async () => {
    arrivals.push(performance.now());
    await sleep(ms);
    return [200, body() as Record<string, unknown>] as const;
  };
}

async function metric(name: string, label: string): Promise<number> {
  const text = await (await fetch(`${app.url}/metrics`, {headers: {authorization: `Bearer ${METRICS_TOKEN}`}})).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${label}}`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('hedged Shopify requests', () => {
  it('sends a twin after the hedge delay, not before, and speaks the first good answer (the twin)', async () => {
    await start();
    const arrivals: number[] = [];
    const {requests} = interceptShopifyGraphql([
      timed(arrivals, 1200, inTransit),
      timed(arrivals, 100, delivered),
    ]);
    const sent = performance.now();
    const res = await ask();
    expect(res.json.say).toMatch(DELIVERED);
    expect(requests).toHaveLength(2);
    expect(requests[1]!.variables).toEqual(requests[0]!.variables);
    // Not before the delay (counted from the call, which starts before the first request) …
    expect(arrivals[1]! - sent).toBeGreaterThanOrEqual(HEDGE_MS);
    // … and not long after it (loose: the machine may be busy).
    expect(arrivals[1]! - arrivals[0]!).toBeLessThan(HEDGE_MS + 300);
    expect(res.ms).toBeLessThan(1000);
    expect(await metric('shopify_hedged_requests_total', 'result="won"')).toBe(1);
  });

  it('sends no twin when Shopify answers before the hedge delay', async () => {
    await start();
    const {requests, scope} = interceptShopifyGraphql([() => sleep(HEDGE_MS - 100).then(() => [200, inTransit()] as const), [200, delivered()]]);
    expect((await ask()).json.say).toMatch(IN_TRANSIT);
    await sleep(HEDGE_MS + 100);
    expect(requests).toHaveLength(1);
    expect(scope.isDone()).toBe(false);
  });

  it('keeps the first answer when it comes before the twin’s, and cancels the twin', async () => {
    await start();
    const {requests} = interceptShopifyGraphql([
      () => sleep(HEDGE_MS + 150).then(() => [200, inTransit()] as const),
      () => sleep(600).then(() => [200, delivered()] as const),
    ]);
    expect((await ask()).json.say).toMatch(IN_TRANSIT);
    expect(requests).toHaveLength(2);
    await sleep(50);
    expect(await metric('shopify_hedged_requests_total', 'result="lost"')).toBe(1);
    expect(await metric('shopify_hedged_requests_total', 'result="won"')).toBe(0);
    // The cached answer is the one spoken, not the cancelled twin's.
    await sleep(700);
    expect((await ask()).json.say).toMatch(IN_TRANSIT);
    expect(requests).toHaveLength(2);
  });

  it('uses a twin that answers after the first request failed', async () => {
    await start();
    const {requests} = interceptShopifyGraphql([
      () => sleep(HEDGE_MS + 100).then(() => [503, {errors: 'Service Unavailable'}] as const),
      () => sleep(300).then(() => [200, delivered()] as const),
    ]);
    const res = await ask();
    expect(res.json.say).toMatch(DELIVERED);
    expect(requests).toHaveLength(2); // the twin's answer, no retry on top
    expect(await metric('shopify_hedged_requests_total', 'result="won"')).toBe(1);
  });

  it("sends no twin while the shop's cost bucket is low", async () => {
    await start();
    const low = orderQueryResponse({cost: {throttleStatus: {maximumAvailable: 2000, currentlyAvailable: 40, restoreRate: 50}}});
    const {requests} = interceptShopifyGraphql([
      [200, low],
      () => sleep(HEDGE_MS + 300).then(() => [200, orderQueryResponse({orders: [orderNode({name: '#1002'})]})] as const),
      [200, delivered()],
    ]);
    expect((await ask('1001')).json.say).toMatch(IN_TRANSIT);
    expect((await ask('1002')).json.say).toMatch(/^Your order 1 0 0 2 was shipped/);
    expect(requests).toHaveLength(2);
    expect(await metric('shopify_hedges_skipped_total', 'reason="bucket_low"')).toBe(1);
  });

  it("sends no twin when the caller's budget has no room for its answer", async () => {
    await start(HEDGE_MS + 100);
    const {requests} = interceptShopifyGraphql([() => sleep(700).then(() => [200, inTransit()] as const), [200, delivered()]]);
    expect((await ask()).json.say).toMatch(STILL_WAITING);
    await sleep(700);
    expect(requests).toHaveLength(1);
    expect(await metric('shopify_hedges_skipped_total', 'reason="budget"')).toBe(1);
  });
});

describe('hedging and the circuit breaker', () => {
  it('sends no twin while the circuit is half-open: the probe goes alone', async () => {
    const skipped: HedgeSkip[] = [];
    const ended: HedgeResult[] = [];
    const hedger = new Hedger({delay: 100, observer: {skipped: (r) => skipped.push(r), ended: (r) => ended.push(r)}});
    const lookup = new OrderLookup({
      shopify: createAdminGraphql(),
      accessTokenFor: async () => TEST_ACCESS_TOKEN,
      markNeedsReconnect: async () => {},
      log: createLogger('silent'),
      shopifyTimeoutMs: 2000,
      breaker: {threshold: 1, cooldownMs: 100},
      hedger,
    });
    const record = {
      shop: TEST_SHOP, hookId: 'h'.repeat(24), secret: 's', previousSecret: null, previousSecretExpiresAt: null, storePhone: null,
      defaultLanguage: null, verification: 'none', contactHint: null, timeZone: 'Europe/Vienna', orderNamePrefix: '#', orderNameSuffix: '',
      accessToken: TEST_ACCESS_TOKEN, connection: 'ok', callerLookup: 'on', customerAccess: 'unknown',
      businessHours: null, closedDates: [], afterHoursPhone: null, installedAt: NOW, updatedAt: NOW,
    } as const;
    const {requests} = interceptShopifyGraphql([
      [500, {errors: 'Internal Server Error'}],
      [500, {errors: 'Internal Server Error'}],
      () => sleep(400).then(() => [200, inTransit()] as const),
    ]);
    expect(await lookup.lookup(record, '1001', performance.now() + 1500)).toEqual({kind: 'unavailable', reason: 'server_error'});
    expect(lookup.breaker.state(TEST_SHOP)).toBe('open');
    await sleep(150);
    expect(lookup.breaker.state(TEST_SHOP)).toBe('half_open');
    const outcome = await lookup.lookup(record, '1001', performance.now() + 1500);
    expect(outcome).toMatchObject({kind: 'found', order: {name: '#1001'}});
    expect(requests).toHaveLength(3);
    expect(skipped).toEqual(['circuit_half_open']);
    expect(ended).toEqual([]);

    // Closed again: the next slow lookup gets its twin.
    interceptShopifyGraphql([() => sleep(400).then(() => [200, orderQueryResponse({orders: [orderNode({name: '#1002'})]})] as const), [200, orderQueryResponse({orders: [orderNode({name: '#1002'})]})]]);
    expect(await lookup.lookup(record, '1002', performance.now() + 1500)).toMatchObject({kind: 'found'});
    expect(ended).toEqual(['won']);
  });
});

describe("the hedge delay follows each shop's latency", () => {
  const guard = (shop: string) => ({shop, deadline: performance.now() + 5000, circuitClosed: () => true});
  const answerAfter = (ms: number) => () => sleep(ms).then(() => ({}));

  it('is the upper bound until a shop has enough answers, then its p95 within 150–1500 ms', async () => {
    const hedger = new Hedger({delay: 'auto'});
    expect(hedger.delayFor('slow.myshopify.com')).toBe(1500);
    // 40 answers spread over 10–400 ms: p95 ≈ 380 ms.
    await Promise.all(Array.from({length: 40}, (_, i) => hedger.run(guard('slow.myshopify.com'), answerAfter(10 + i * 10))));
    expect(hedger.delayFor('slow.myshopify.com')).toBeGreaterThanOrEqual(370);
    expect(hedger.delayFor('slow.myshopify.com')).toBeLessThan(450);
    // A fast shop is hedged no earlier than the lower bound; another shop's latency is its own.
    await Promise.all(Array.from({length: 40}, () => hedger.run(guard('fast.myshopify.com'), answerAfter(1))));
    expect(hedger.delayFor('fast.myshopify.com')).toBe(150);
    expect(hedger.delayFor('new.myshopify.com')).toBe(1500);
  });

  it('never sends more than one twin, and none when off', async () => {
    let calls = 0;
    const slow = () => {
      calls++;
      return sleep(400).then(() => ({}));
    };
    await new Hedger({delay: 50}).run(guard('a.myshopify.com'), slow);
    expect(calls).toBe(2);
    calls = 0;
    await new Hedger({delay: 'off'}).run(guard('a.myshopify.com'), slow);
    expect(calls).toBe(1);
  });
});
