import {createHmac, randomUUID} from 'node:crypto';
import nock from 'nock';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {interceptShopifyGraphql, orderNode, orderQueryResponse, sleep, TEST_ACCESS_TOKEN} from '../fixtures/shopify-orders.ts';
import {callinaEvent, postEvent} from '../helpers/callina.ts';
import {tempDir, type TestApp} from '../helpers/test-app.ts';
import {registerShop} from '../../src/shops/shop-registry.ts';
import type {ShopRecord} from '../../src/storage/storage.ts';
import {
  API_SECRET,
  appUninstalled,
  customersDataRequest,
  customersRedact,
  fulfillmentWebhook,
  orderWebhook,
  postWebhook,
  SHOP,
  shopifyOnlyThroughNock,
  shopRedact,
  startShopifyApp,
} from './shopify-app-helpers.ts';

let app: TestApp;
let shop: ShopRecord;

const CALLER = '+43660123456789';
const OTHER_CALLER = '+4915112345678';

beforeAll(() => shopifyOnlyThroughNock());
afterAll(() => nock.enableNetConnect());
beforeEach(async () => {
  app = await startShopifyApp();
  // A custom-app token lets the order lookup reach Shopify (nock) without an OAuth session.
  shop = await registerShop(app.storage, {shop: SHOP, accessToken: TEST_ACCESS_TOKEN, storePhone: '+43662275124'});
  await app.storage.storeSession({
    id: `offline_${SHOP}`, shop: SHOP, state: '', isOnline: false, scope: 'read_orders', expires: new Date(Date.now() + 3_600_000),
    accessToken: 'shpat_oauth', refreshToken: 'shprt_oauth', refreshTokenExpires: new Date(Date.now() + 86_400_000), userId: null,
  });
});
afterEach(async () => {
  nock.cleanAll();
  await app.close();
});

const lookup = (orderNumber = '1001') => postEvent(app.url, shop, callinaEvent({params: {order_number: orderNumber}, call_id: `call_${randomUUID()}`}));

async function recordCallEvents() {
  const at = Date.now();
  const base = {shop: SHOP, silenceMs: null, reason: null};
  await app.storage.recordCallEvent({...base, callId: 'c1', kind: 'silence', occurredAt: new Date(at - 3000), silenceMs: 9000, callerPhone: CALLER});
  await app.storage.recordCallEvent({...base, callId: 'c2', kind: 'escalation', occurredAt: new Date(at - 2000), reason: 'caller_request', callerPhone: CALLER});
  await app.storage.recordCallEvent({...base, callId: 'c3', kind: 'escalation', occurredAt: new Date(at - 1000), reason: 'low_confidence', callerPhone: OTHER_CALLER});
}

describe('HMAC and delivery log', () => {
  it('refuses a forged HMAC, a wrong secret and a missing HMAC with 401, and changes nothing', async () => {
    await recordCallEvents();
    const body = customersRedact(CALLER);
    for (const forged of [
      await postWebhook(app, {topic: 'customers/redact', body, secret: 'not-the-app-secret'}),
      await postWebhook(app, {topic: 'customers/redact', body, hmac: 'c2VjcmV0LWJ1dC13cm9uZw=='}),
      await postWebhook(app, {topic: 'customers/redact', body, hmac: null}),
    ]) {
      expect(forged.status).toBe(401);
      expect(forged.json).toEqual({error: 'invalid_hmac', message: expect.any(String)});
    }
    expect(await app.storage.listCallEvents(SHOP)).toHaveLength(3);
  });

  it('checks the HMAC on the raw bytes: the same JSON re-serialised no longer matches', async () => {
    const raw = JSON.stringify(shopRedact());
    const hmac = createHmac('sha256', API_SECRET).update(raw).digest('base64');
    const res = await postWebhook(app, {topic: 'shop/redact', body: JSON.stringify(JSON.parse(raw), null, 2), hmac});
    expect(res.status).toBe(401);
    expect(await app.storage.getShop(SHOP)).toBeDefined();
  });

  it('processes a webhook id once, even after a restart', async () => {
    const dir = tempDir();
    const first = await startShopifyApp({dataDir: dir.dir});
    try {
      await registerShop(first.storage, {shop: SHOP});
      const webhookId = randomUUID();
      expect((await postWebhook(first, {topic: 'orders/updated', body: orderWebhook(), webhookId})).json).toEqual({status: 'processed', evicted: '#1001'});
      await first.close();
      const second = await startShopifyApp({dataDir: dir.dir});
      try {
        expect((await postWebhook(second, {topic: 'orders/updated', body: orderWebhook(), webhookId})).json).toEqual({status: 'duplicate'});
        expect((await postWebhook(second, {topic: 'orders/updated', body: orderWebhook()})).json.status).toBe('processed');
      } finally {
        await second.close();
      }
    } finally {
      dir.remove();
    }
  });

  it('answers 400 for missing headers, a missing body, a payload it cannot read and a shop mismatch', async () => {
    const raw = JSON.stringify(orderWebhook());
    const noTopic = await fetch(`${app.url}/webhooks/shopify`, {
      method: 'POST',
      headers: {'content-type': 'application/json', 'x-shopify-hmac-sha256': createHmac('sha256', API_SECRET).update(raw).digest('base64'), 'x-shopify-shop-domain': SHOP},
      body: raw,
    });
    expect(noTopic.status).toBe(400);
    expect(await noTopic.json()).toEqual({error: 'missing_headers', message: expect.stringMatching(/X-Shopify-Topic.*X-Shopify-Webhook-Id/)});
    expect((await postWebhook(app, {topic: 'orders/updated', body: ''})).status).toBe(400);
    const noName = await postWebhook(app, {topic: 'orders/updated', body: {id: 1}});
    expect(noName.status).toBe(400);
    expect(noName.json).toEqual({error: 'invalid_payload', message: 'unexpected ORDERS_UPDATED payload: name'});
    expect((await postWebhook(app, {topic: 'orders/updated', body: '{"name": "#1001"'})).status).toBe(400);
    const mismatch = await postWebhook(app, {topic: 'shop/redact', body: shopRedact('other-shop.myshopify.com')});
    expect(mismatch.status).toBe(400);
    expect(mismatch.json.error).toBe('shop_mismatch');
    expect(await app.storage.getShop(SHOP)).toBeDefined();
  });

  it('acknowledges a topic it does not handle, and refuses bodies over 2 MiB', async () => {
    expect((await postWebhook(app, {topic: 'products/update', body: {id: 1, title: 'Mug'}})).json).toEqual({status: 'ignored'});
    const big = await postWebhook(app, {topic: 'orders/updated', body: {name: '#1001', note: 'x'.repeat(2 * 1024 * 1024)}});
    expect(big.status).toBe(413);
  });
});

describe('order and fulfillment updates evict the order from the lookup cache', () => {
  it.each([
    ['orders/updated', orderWebhook('#1001')],
    ['orders/cancelled', orderWebhook('#1001', {cancelled_at: '2026-05-08T10:00:00+02:00', cancel_reason: 'customer'})],
    ['orders/fulfilled', orderWebhook('#1001')],
    ['orders/partially_fulfilled', orderWebhook('#1001', {fulfillment_status: 'partial'})],
    ['fulfillments/create', fulfillmentWebhook('#1001.1')],
    ['fulfillments/update', fulfillmentWebhook('#1001.2')],
  ])('%s: the next caller hears the new state; a duplicate evicts nothing', async (topic, body) => {
    const graphql = interceptShopifyGraphql([
      [200, orderQueryResponse()],
      [200, orderQueryResponse({orders: [orderNode({cancelledAt: '2026-05-08T08:00:00Z', displayFulfillmentStatus: 'UNFULFILLED', fulfillments: []})]})],
    ]);
    const before = await lookup();
    expect(before.status).toBe(200);
    expect((await lookup()).json).toEqual(before.json);
    expect(graphql.requests).toHaveLength(1);

    const webhookId = randomUUID();
    const res = await postWebhook(app, {topic, body, webhookId});
    expect(res.status).toBe(200);
    expect(res.json).toEqual({status: 'processed', evicted: '#1001'});

    const after = await lookup();
    expect(graphql.requests).toHaveLength(2);
    expect(after.json.say).not.toEqual(before.json.say);

    expect((await postWebhook(app, {topic, body, webhookId})).json).toEqual({status: 'duplicate'});
    expect((await lookup()).json).toEqual(after.json);
    expect(graphql.requests).toHaveLength(2);
  });

  it('an eviction while Shopify is being asked: both waiting callers hear the order, the next caller asks again', async () => {
    const graphql = interceptShopifyGraphql([
      async () => (await sleep(300), [200, orderQueryResponse()]),
      [200, orderQueryResponse({orders: [orderNode({cancelledAt: '2026-05-08T08:00:00Z', displayFulfillmentStatus: 'UNFULFILLED', fulfillments: []})]})],
    ]);
    const waiting = [lookup(), lookup()];
    while (graphql.requests.length === 0) await sleep(10);
    await sleep(50); // the second caller has joined the request under way
    expect((await postWebhook(app, {topic: 'orders/updated', body: orderWebhook('#1001')})).json).toEqual({status: 'processed', evicted: '#1001'});

    const [first, second] = await Promise.all(waiting);
    expect(first!.json).toEqual(second!.json);
    expect(first!.json).toEqual({say: expect.stringContaining('1 0 0 1'), next_action: 'continue'}); // the order, not the apology (a transfer)
    expect(graphql.requests).toHaveLength(1);

    // what was fetched before the webhook is not kept: the next caller hears the new state
    const after = await lookup();
    expect(graphql.requests).toHaveLength(2);
    expect(after.json.say).not.toEqual(first!.json.say);
  });

  it('refuses a forged order webhook: the cached answer stays', async () => {
    const graphql = interceptShopifyGraphql([[200, orderQueryResponse()]]);
    await lookup();
    expect((await postWebhook(app, {topic: 'orders/cancelled', body: orderWebhook(), secret: 'forged'})).status).toBe(401);
    await lookup();
    expect(graphql.requests).toHaveLength(1);
  });
});

describe('app/uninstalled', () => {
  it("deletes the shop's sessions and data, and its Callina hook answers 404", async () => {
    await recordCallEvents();
    const escalation = callinaEvent({event: 'escalation.requested', intent: undefined, params: undefined});
    expect((await postEvent(app.url, shop, escalation)).status).toBe(200);

    const webhookId = randomUUID();
    const res = await postWebhook(app, {topic: 'app/uninstalled', body: appUninstalled(), webhookId});
    expect(res.status).toBe(200);
    expect(res.json).toEqual({status: 'processed', deletedSessions: 1, deletedShop: true});

    const hook = await postEvent(app.url, shop, escalation);
    expect(hook.status).toBe(404);
    expect(hook.json.error).toBe('unknown_hook');
    expect(await app.storage.findSessionsByShop(SHOP)).toEqual([]);
    expect(await app.storage.getShop(SHOP)).toBeUndefined();
    expect(await app.storage.listCallEvents(SHOP)).toEqual([]);
    expect((await postWebhook(app, {topic: 'app/uninstalled', body: appUninstalled(), webhookId})).json).toEqual({status: 'duplicate'});
  });

  it('refuses a forged uninstall: the shop keeps working', async () => {
    const res = await postWebhook(app, {topic: 'app/uninstalled', body: appUninstalled(), secret: 'forged'});
    expect(res.status).toBe(401);
    expect(await app.storage.getShop(SHOP)).toBeDefined();
    expect(await app.storage.findSessionsByShop(SHOP)).toHaveLength(1);
  });
});

describe('compliance webhooks', () => {
  it('customers/data_request reports the call events held for that phone, masked, and keeps them', async () => {
    await recordCallEvents();
    const res = await postWebhook(app, {topic: 'customers/data_request', body: customersDataRequest('+43 660 123456789')});
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      status: 'processed',
      report: {
        dataRequestId: 9999,
        customerId: 191167,
        callEvents: [
          {callId: 'c2', kind: 'escalation', occurredAt: expect.any(String), callerPhoneMasked: '+43**********89', reason: 'caller_request', silenceMs: null},
          {callId: 'c1', kind: 'silence', occurredAt: expect.any(String), callerPhoneMasked: '+43**********89', reason: null, silenceMs: 9000},
        ],
      },
    });
    expect(await app.storage.listCallEvents(SHOP)).toHaveLength(3);
    const logs = app.logs.join('\n');
    expect(logs).toContain('customer data request');
    expect(logs).not.toContain('660123456789');
    expect(logs).not.toContain('john@example.com');
  });

  it('customers/data_request without a phone reports nothing held', async () => {
    await recordCallEvents();
    const res = await postWebhook(app, {topic: 'customers/data_request', body: customersDataRequest(null)});
    expect(res.json.report.callEvents).toEqual([]);
  });

  it("customers/redact deletes that caller's call events and no one else's", async () => {
    await recordCallEvents();
    const webhookId = randomUUID();
    const res = await postWebhook(app, {topic: 'customers/redact', body: customersRedact(CALLER), webhookId});
    expect(res.json).toEqual({status: 'processed', deletedCallEvents: 2, evictedOrders: 3});
    expect((await app.storage.listCallEvents(SHOP)).map((e) => e.callId)).toEqual(['c3']);
    expect(await app.storage.listCallEvents(SHOP, {callerPhone: CALLER})).toEqual([]);
    expect((await postWebhook(app, {topic: 'customers/redact', body: customersRedact(CALLER), webhookId})).json).toEqual({status: 'duplicate'});
    expect(await app.storage.getShop(SHOP)).toBeDefined();
  });

  it('customers/redact evicts the orders it names from the lookup cache, and only those', async () => {
    const graphql = interceptShopifyGraphql([
      [200, orderQueryResponse({orders: [orderNode({id: 'gid://shopify/Order/280263', name: '#1001'})]})],
      [200, orderQueryResponse({orders: [orderNode({id: 'gid://shopify/Order/555555', name: '#1002'})]})],
      [200, orderQueryResponse({orders: [orderNode({id: 'gid://shopify/Order/280263', name: '#1001'})]})],
    ]);
    const before = await lookup('1001');
    await lookup('1002');
    expect(graphql.requests).toHaveLength(2);

    // Shopify's payload names orders by their numeric id
    const res = await postWebhook(app, {topic: 'customers/redact', body: customersRedact(null)});
    expect(res.json).toEqual({status: 'processed', deletedCallEvents: 0, evictedOrders: 3});

    expect((await lookup('1001')).json).toEqual(before.json);
    expect(graphql.requests).toHaveLength(3);
    await lookup('1002');
    expect(graphql.requests).toHaveLength(3);
  });

  it('a phone given as 00… and as +… is one caller: events are reported and redacted whichever form was used', async () => {
    const silence = callinaEvent({event: 'silence.detected', intent: undefined, params: undefined, silence_ms: 9000, call_id: 'call_00', context: {caller_phone: '0043 660 123456789'}});
    const escalation = callinaEvent({event: 'escalation.requested', intent: undefined, params: undefined, reason: 'caller_request', call_id: 'call_plus', context: {caller_phone: CALLER}});
    const stranger = callinaEvent({event: 'silence.detected', intent: undefined, params: undefined, silence_ms: 9000, call_id: 'call_other', context: {caller_phone: '004915112345678'}});
    for (const event of [silence, escalation, stranger]) expect((await postEvent(app.url, shop, event)).status).toBe(200);
    expect((await app.storage.listCallEvents(SHOP)).map((e) => e.callerPhoneMasked)).toEqual(['+49*********78', '+43**********89', '+43**********89']);

    const report = await postWebhook(app, {topic: 'customers/data_request', body: customersDataRequest('+43660123456789')});
    expect(report.json.report.callEvents.map((e: {callId: string}) => e.callId).sort()).toEqual(['call_00', 'call_plus']);

    const res = await postWebhook(app, {topic: 'customers/redact', body: customersRedact('0043660123456789')});
    expect(res.json.deletedCallEvents).toBe(2);
    expect((await app.storage.listCallEvents(SHOP)).map((e) => e.callId)).toEqual(['call_other']);
  });

  it('shop/redact deletes everything of the shop, and only of that shop', async () => {
    await recordCallEvents();
    const other = await registerShop(app.storage, {shop: 'other-shop.myshopify.com'});
    await app.storage.recordCallEvent({shop: other.shop, callId: 'o1', kind: 'silence', occurredAt: new Date(), silenceMs: null, reason: null, callerPhone: CALLER});

    const webhookId = randomUUID();
    const res = await postWebhook(app, {topic: 'shop/redact', body: shopRedact(), webhookId});
    expect(res.json).toEqual({status: 'processed', deletedSessions: 1, deletedShop: true});
    expect(await app.storage.getShop(SHOP)).toBeUndefined();
    expect(await app.storage.findSessionsByShop(SHOP)).toEqual([]);
    expect(await app.storage.listCallEvents(SHOP)).toEqual([]);
    expect((await postEvent(app.url, shop, callinaEvent())).status).toBe(404);
    expect(await app.storage.getShop(other.shop)).toEqual(other);
    expect(await app.storage.listCallEvents(other.shop)).toHaveLength(1);
    expect((await postWebhook(app, {topic: 'shop/redact', body: shopRedact(), webhookId})).json).toEqual({status: 'duplicate'});
  });

  it('refuses forged compliance webhooks: nothing is reported or deleted', async () => {
    await recordCallEvents();
    for (const [topic, body] of [['customers/data_request', customersDataRequest(CALLER)], ['customers/redact', customersRedact(CALLER)], ['shop/redact', shopRedact()]] as const) {
      const res = await postWebhook(app, {topic, body, secret: 'forged'});
      expect(res.status).toBe(401);
      expect(res.text).not.toContain('c1');
    }
    expect(await app.storage.listCallEvents(SHOP)).toHaveLength(3);
    expect(await app.storage.getShop(SHOP)).toBeDefined();
  });
});
