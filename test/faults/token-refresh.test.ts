/**
 * Expiring offline tokens on the live call path, through the real app over
 * HTTP: a refresh never holds a caller past the budget. A due token that is
 * still valid is used while the refresh runs in the background; an expired
 * one gets the spoken fallback in time, and Callina's retry finds the new
 * token (and the order) ready.
 */
import nock from 'nock';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi} from 'vitest';
import {callerOrder, customerNode, customersByPhoneResponse} from '../fixtures/shopify-customers.ts';
import {interceptShopifyGraphql, orderNode, orderQueryResponse, sleep} from '../fixtures/shopify-orders.ts';
import {addShop, callinaEvent, postEvent} from '../helpers/callina.ts';
import {warmUpCallPath} from '../helpers/warm-up.ts';
import type {TestApp} from '../helpers/test-app.ts';
import {interceptTokenEndpoint, SHOP, shopifyOnlyThroughNock, startShopifyApp, tokenResponse} from '../shopify-app/shopify-app-helpers.ts';
import {sayStillChecking} from '../../src/speech/render-order.ts';
import type {ShopRecord, StoredSession} from '../../src/storage/storage.ts';
import {ANSWER_SLACK_MS} from '../helpers/answer-slack.ts';

const BUDGET_MS = 1000;
const MINUTE = 60_000;
const ENGLISH_CALLER = {caller_phone: '+15551234567'};

let app: TestApp;
let shop: ShopRecord;

beforeAll(() => shopifyOnlyThroughNock());
afterAll(() => nock.enableNetConnect());
beforeEach(async () => {
  app = await startShopifyApp({env: {LOOKUP_BUDGET_MS: String(BUDGET_MS)}});
  await warmUpCallPath(app);
  // Installed through OAuth: no custom-app token, the offline session holds the token.
  shop = await addShop(app.storage, {shop: SHOP});
});
afterEach(async () => {
  nock.cleanAll();
  await app.close();
});

function offlineSession(expiresInMs: number): StoredSession {
  return {
    id: `offline_${SHOP}`, shop: SHOP, state: '', isOnline: false, scope: 'read_orders,read_locales',
    expires: new Date(Date.now() + expiresInMs), accessToken: 'shpat_current', refreshToken: 'shprt_current',
    refreshTokenExpires: new Date(Date.now() + 80 * 86_400_000), userId: null,
  };
}

/** Shopify answering order #n, once. */
const orderFromShopify = (n: number) => interceptShopifyGraphql([[200, orderQueryResponse({orders: [orderNode({name: `#${n}`})]})]]);
const ask = (n: number) => postEvent(app.url, shop, callinaEvent({params: {order_number: String(n)}, context: ENGLISH_CALLER}));
const outcomes = () => app.logs.map((line) => JSON.parse(line)).filter((l) => l.msg === 'request').map((l) => l.outcome);
const storedToken = async () => (await app.storage.loadSession(`offline_${SHOP}`))?.accessToken;
/** Shopify's token endpoint granting token n after `ms`. */
const refreshAnsweringAfter = (ms: number, n: number) =>
  interceptTokenEndpoint([
    async () => {
      await sleep(ms);
      return [200, tokenResponse(n)] as const;
    },
  ]);

describe('token refresh on the call path', () => {
  it('a due token with Shopify\'s token endpoint answering after 6 s: answered in time with the old token; the next call uses the new one', async () => {
    await app.storage.storeSession(offlineSession(2 * MINUTE)); // inside the 5-minute refresh margin, still valid
    const tokenEndpoint = refreshAnsweringAfter(6000, 2);
    const first = orderFromShopify(1001);

    const res = await ask(1001);
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(BUDGET_MS + ANSWER_SLACK_MS);
    expect(outcomes()).toEqual(['found']);
    expect(first.requests.map((r) => r.headers['x-shopify-access-token'])).toEqual(['shpat_current']);
    expect(tokenEndpoint.requests).toHaveLength(1); // the refresh did start

    await vi.waitFor(async () => expect(await storedToken()).toBe(tokenResponse(2).access_token), {timeout: 10_000, interval: 50});
    const second = orderFromShopify(1002);
    expect((await ask(1002)).status).toBe(200);
    expect(outcomes()).toEqual(['found', 'found']);
    expect(second.requests.map((r) => r.headers['x-shopify-access-token'])).toEqual([tokenResponse(2).access_token]);
  }, 20_000);

  // With and without an order number (the caller-ID lookup): the token read counts against the budget in both.
  const LOOKUPS = [
    {asking: 'by order number', token: 3, params: {order_number: '1001'}, event: {}, found: 'found',
      shopify: () => orderFromShopify(1001)},
    {asking: 'by caller ID', token: 4, params: {}, event: {event: 'tool.invoked', tool: 'lookup_order', intent: undefined}, found: 'caller_found',
      shopify: () => interceptShopifyGraphql([[200, customersByPhoneResponse([customerNode(207119551, ENGLISH_CALLER.caller_phone, [callerOrder()])])]])},
  ];
  it.each(LOOKUPS)('an expired token and a refresh slower than the budget, asking $asking: the fallback in time, and Callina\'s retry gets the answer', async (lookup) => {
    await app.storage.storeSession(offlineSession(-MINUTE));
    refreshAnsweringAfter(BUDGET_MS + 500, lookup.token);
    // One Shopify request, sent with the new token once the refresh is done (the retry must not need a second one).
    const shopify = lookup.shopify();

    const event = callinaEvent({params: lookup.params, context: ENGLISH_CALLER, ...lookup.event});
    const res = await postEvent(app.url, shop, event);
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(BUDGET_MS + ANSWER_SLACK_MS);
    expect(res.json).toEqual({say: sayStillChecking('en', {canTransfer: false}), next_action: 'continue'});

    await vi.waitFor(() => expect(shopify.requests).toHaveLength(1), {timeout: 5000, interval: 20});
    const retry = await postEvent(app.url, shop, event);
    expect(retry.status).toBe(200);
    expect(retry.ms).toBeLessThan(BUDGET_MS + ANSWER_SLACK_MS);
    expect(outcomes()).toEqual(['budget_exceeded', lookup.found]);
    expect(retry.json.say).toMatch(/^Your order 1 0 0 1/);
    expect(shopify.requests.map((r) => r.headers['x-shopify-access-token'])).toEqual([tokenResponse(lookup.token).access_token]);
    expect(await storedToken()).toBe(tokenResponse(lookup.token).access_token);
  });
});
