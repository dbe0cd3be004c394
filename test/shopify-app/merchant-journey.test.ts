import nock from 'nock';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {fulfillmentNode, interceptShopifyGraphql, orderNode, orderQueryResponse} from '../fixtures/shopify-orders.ts';
import {callinaEvent, postEvent} from '../helpers/callina.ts';
import type {TestApp} from '../helpers/test-app.ts';
import {
  apiRequest,
  appUninstalled,
  fulfillmentWebhook,
  installQueryResponse,
  interceptInstallQuery,
  interceptTokenEndpoint,
  orderWebhook,
  postWebhook,
  SHOP,
  shopifyOnlyThroughNock,
  startShopifyApp,
  tokenResponse,
} from './shopify-app-helpers.ts';

/**
 * The whole path a merchant and a caller take: install from the admin,
 * Callina calls the URL the app showed, the lookup uses the installed
 * app's token, Shopify's webhooks keep the answer current, uninstall
 * closes the URL.
 */
let app: TestApp;
beforeAll(() => shopifyOnlyThroughNock());
afterAll(() => nock.enableNetConnect());
beforeEach(async () => {
  app = await startShopifyApp();
});
afterEach(async () => {
  nock.cleanAll();
  await app.close();
});

const delivered = () => orderQueryResponse({orders: [orderNode({fulfillments: [fulfillmentNode({displayStatus: 'DELIVERED', deliveredAt: new Date().toISOString()})]})]});

describe('install → live call → webhooks → uninstall', () => {
  it('answers callers with the installed app\'s token and hears order changes through webhooks', async () => {
    interceptTokenEndpoint([[200, tokenResponse(1)]]);
    interceptInstallQuery([[200, installQueryResponse()]]);
    const settings = await apiRequest(app, '/api/settings');
    expect(settings.status).toBe(200);
    const shop = (await app.storage.getShop(SHOP))!;
    expect(settings.json.webhookUrl).toContain(shop.hookId);

    const ask = () => postEvent(app.url, shop, callinaEvent({params: {order_number: '#1001'}, context: {caller_phone: '+43660123456789'}}));
    const first = interceptShopifyGraphql([[200, orderQueryResponse()]]);
    const inTransit = await ask();
    expect(inTransit.json.say).toMatch(/^Ihre Bestellung 1 0 0 1 (wurde|hätte) /);
    expect(first.requests[0]!.headers['x-shopify-access-token']).toBe(tokenResponse(1).access_token);

    // Cached: no new request until Shopify says the order changed.
    expect((await ask()).json.say).toBe(inTransit.json.say);
    const second = interceptShopifyGraphql([[200, delivered()]]);
    expect((await postWebhook(app, {topic: 'orders/fulfilled', body: orderWebhook('#1001')})).status).toBe(200);
    expect((await ask()).json.say).toMatch(/zugestellt/);
    expect(second.requests).toHaveLength(1);

    const third = interceptShopifyGraphql([[200, orderQueryResponse()]]);
    expect((await postWebhook(app, {topic: 'fulfillments/update', body: fulfillmentWebhook('#1001.1')})).status).toBe(200);
    expect((await ask()).json.say).toBe(inTransit.json.say);
    expect(third.requests).toHaveLength(1);

    expect((await postWebhook(app, {topic: 'app/uninstalled', body: appUninstalled()})).status).toBe(200);
    expect((await ask()).status).toBe(404);
    expect(await app.storage.findSessionsByShop(SHOP)).toEqual([]);
  });
});
