/**
 * Shop domains from outside are accepted only as *.myshopify.com. The
 * library's sanitizeShop also passes admin.shopify.com, *.myshopify.io and
 * *.shop.dev (Shopify's own test hosts): a session token naming
 * admin.shopify.com sent our app secret and the token to that host in a
 * token exchange. Every entry point is driven over HTTP with the network
 * closed; any request leaving the process is recorded.
 */
import {createHmac, randomUUID} from 'node:crypto';
import nock from 'nock';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import type {TestApp} from '../helpers/test-app.ts';
import {readResponse} from '../helpers/read-response.ts';
import {
  API_SECRET,
  apiRequest,
  BROWSER_UA,
  orderWebhook,
  postWebhook,
  sessionToken,
  SHOP,
  shopifyOnlyThroughNock,
  startShopifyApp,
} from './shopify-app-helpers.ts';

/** Hosts sanitizeShop accepts that are no merchant's shop, and spellings our rule refuses. */
const NOT_SHOPS = ['admin.shopify.com', 'partners.shopify.com', 'evil.myshopify.io', 'attacker.shop.dev', 'under_score.myshopify.com', 'anna-demo.myshopify.com/'];

let app: TestApp;
let outbound: string[];
/** nock reports every request no interceptor took, our own loopback calls included: keep the rest. */
const record = (req: {url?: string}) => {
  if (req.url && new URL(req.url).hostname !== '127.0.0.1') outbound.push(req.url);
};

beforeAll(() => {
  shopifyOnlyThroughNock();
  nock.emitter.on('no match', record);
});
afterAll(() => {
  nock.emitter.removeListener('no match', record);
  nock.enableNetConnect();
});
beforeEach(async () => {
  outbound = [];
  app = await startShopifyApp();
});
afterEach(async () => {
  nock.cleanAll();
  await app.close();
});

describe.each(NOT_SHOPS)('%s is no shop', (host) => {
  it('in a session token: 401, and no token exchange anywhere', async () => {
    const res = await apiRequest(app, '/api/settings', {token: sessionToken({shop: host})});
    expect(outbound).toEqual([]);
    expect(res.status).toBe(401);
    expect(res.json.error).toBe('invalid_session_token');
    expect(await app.storage.listShops()).toEqual([]);
  });

  it('as the OAuth shop parameter: 400 and no redirect to it', async () => {
    const res = await fetch(`${app.url}/auth?shop=${encodeURIComponent(host)}`, {headers: {'user-agent': BROWSER_UA}, redirect: 'manual'});
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(await res.text()).toContain('Invalid shop');
  });

  it('as the OAuth callback shop, correctly signed and with our state: 400 and no code exchange', async () => {
    const begun = await fetch(`${app.url}/auth?shop=${SHOP}`, {headers: {'user-agent': BROWSER_UA}, redirect: 'manual'});
    expect(begun.status).toBe(302);
    const state = new URL(begun.headers.get('location')!).searchParams.get('state')!;
    const cookie = begun.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const params = {code: '0b2a0a7a3c5f4e1d9b8c7d6e5f4a3b2c', shop: host, state, timestamp: String(Math.floor(Date.now() / 1000))};
    // Shopify's signature: HMAC-SHA256 (hex) of the sorted query, keyed with the app secret.
    const message = new URLSearchParams(Object.entries(params).sort(([a], [b]) => a.localeCompare(b))).toString();
    const hmac = createHmac('sha256', API_SECRET).update(message).digest('hex');
    const res = await fetch(`${app.url}/auth/callback?${new URLSearchParams({...params, hmac})}`, {headers: {'user-agent': BROWSER_UA, cookie}, redirect: 'manual'});
    expect(outbound).toEqual([]);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Invalid shop');
    expect(await app.storage.listShops()).toEqual([]);
  });

  it('in a correctly signed webhook: 400, nothing recorded', async () => {
    const webhookId = randomUUID();
    const res = await postWebhook(app, {topic: 'orders/updated', shop: host, body: orderWebhook(), webhookId});
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('invalid_shop');
    // Not recorded as delivered: the same id is still new.
    expect(await app.storage.recordWebhookDelivery({webhookId, shop: SHOP, topic: 'orders/updated', receivedAt: new Date()})).toBe(true);
  });

  it('as the settings page shop: 400, never named as a frame ancestor', async () => {
    const res = await readResponse(await fetch(`${app.url}/?shop=${encodeURIComponent(host)}`));
    expect(res.status).toBe(400);
    expect(res.headers.get('content-security-policy')).toBeNull();
  });
});

describe('what Shopify itself sends still works', () => {
  it('takes the admin URL form of a shop and upper case, as the shop it names', async () => {
    for (const shop of ['admin.shopify.com/store/anna-demo', 'Anna-Demo.myshopify.com']) {
      const res = await fetch(`${app.url}/auth?shop=${encodeURIComponent(shop)}`, {headers: {'user-agent': BROWSER_UA}, redirect: 'manual'});
      expect(res.status).toBe(302);
      expect(new URL(res.headers.get('location')!).host).toBe(SHOP);
    }
    const page = await fetch(`${app.url}/?shop=${SHOP}`);
    expect(page.headers.get('content-security-policy')).toContain(`frame-ancestors https://${SHOP} https://admin.shopify.com`);
  });
});
