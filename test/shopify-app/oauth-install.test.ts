import {createHmac} from 'node:crypto';
import nock from 'nock';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import type {TestApp} from '../helpers/test-app.ts';
import {
  API_KEY,
  API_SECRET,
  APP_URL,
  BROWSER_UA,
  installQueryResponse,
  interceptInstallQuery,
  interceptTokenEndpoint,
  SHOP,
  shopifyOnlyThroughNock,
  startShopifyApp,
  tokenResponse,
} from './shopify-app-helpers.ts';

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

const HOST = Buffer.from('admin.shopify.com/store/anna-demo').toString('base64url');

async function get(path: string, options: {cookie?: string; userAgent?: string} = {}) {
  const headers: Record<string, string> = {'user-agent': options.userAgent ?? BROWSER_UA};
  if (options.cookie) headers.cookie = options.cookie;
  const res = await fetch(`${app.url}${path}`, {headers, redirect: 'manual'});
  return {status: res.status, location: res.headers.get('location'), setCookies: res.headers.getSetCookie(), type: res.headers.get('content-type'), text: await res.text()};
}

/** Shopify's signature of a redirect: HMAC-SHA256 (hex) of the sorted query without `hmac`, keyed with the app secret. */
function signQuery(params: Record<string, string>, secret = API_SECRET): string {
  const message = new URLSearchParams(Object.entries(params).sort(([a], [b]) => a.localeCompare(b))).toString().replace(/\+/g, '%20');
  return createHmac('sha256', secret).update(message).digest('hex');
}

/** GET /auth as the merchant's browser: the consent URL and the signed state cookie. */
async function begin() {
  const res = await get(`/auth?shop=${SHOP}`);
  expect(res.status).toBe(302);
  const location = new URL(res.location!);
  const cookie = res.setCookies.map((c) => c.split(';')[0]).join('; ');
  return {res, location, state: location.searchParams.get('state')!, cookie};
}

function callbackPath(params: Record<string, string>, options: {hmac?: string | null; secret?: string} = {}) {
  const hmac = options.hmac === undefined ? signQuery(params, options.secret) : options.hmac;
  const query = new URLSearchParams({...params, ...(hmac === null ? {} : {hmac})});
  return `/auth/callback?${query}`;
}

const now = () => String(Math.floor(Date.now() / 1000));

describe('authorization-code OAuth: GET /auth → Shopify → GET /auth/callback', () => {
  it('installs the shop end to end with an expiring offline token and returns to the admin', async () => {
    const {location, state, cookie, res} = await begin();
    expect(`${location.origin}${location.pathname}`).toBe(`https://${SHOP}/admin/oauth/authorize`);
    expect(Object.fromEntries(location.searchParams)).toEqual({
      client_id: API_KEY,
      scope: 'read_orders,read_locales',
      redirect_uri: `${APP_URL}/auth/callback`,
      state: expect.stringMatching(/^[0-9a-f]{64}$/),
      'grant_options[]': '',
    });
    expect(res.setCookies.join('\n')).toMatch(/shopify_app_state=[0-9a-f]{64};.*path=\/auth\/callback/i);

    const tokens = interceptTokenEndpoint([[200, tokenResponse(1)]]);
    const query = interceptInstallQuery([[200, installQueryResponse()]]);
    const code = '0b2a0a7a3c5f4e1d9b8c7d6e5f4a3b2c';
    const done = await get(callbackPath({code, host: HOST, shop: SHOP, state, timestamp: now()}), {cookie});

    expect(done.status).toBe(302);
    expect(done.location).toBe(`https://admin.shopify.com/store/anna-demo/apps/${API_KEY}`);
    expect(tokens.requests).toEqual([{client_id: API_KEY, client_secret: API_SECRET, code, expiring: '1'}]);
    expect(query.requests[0]!.accessToken).toBe(tokenResponse(1).access_token);
    expect(await app.storage.getShop(SHOP)).toMatchObject({storePhone: '+43662275124', defaultLanguage: 'de', timeZone: 'Europe/Vienna', connection: 'ok'});
    expect(await app.storage.loadSession(`offline_${SHOP}`)).toMatchObject({
      accessToken: tokenResponse(1).access_token,
      refreshToken: tokenResponse(1).refresh_token,
      state,
    });
    // The state cookie is spent.
    expect(done.setCookies.join('\n')).toMatch(/shopify_app_state=;/);
  });

  it('refuses an invalid shop domain with a 400 page', async () => {
    for (const path of ['/auth?shop=evil.example.com', '/auth', `/auth/callback?shop=${encodeURIComponent('https://evil.example.com')}`]) {
      const res = await get(path);
      expect(res.status).toBe(400);
      expect(res.type).toMatch(/text\/html/);
      expect(res.text).toContain('Invalid shop');
    }
  });

  it('refuses bots at both ends (410)', async () => {
    expect((await get(`/auth?shop=${SHOP}`, {userAgent: 'Googlebot/2.1 (+http://www.google.com/bot.html)'})).status).toBe(410);
    const {state, cookie} = await begin();
    const res = await get(callbackPath({code: 'x', shop: SHOP, state, timestamp: now()}), {cookie, userAgent: 'curl/8.5.0'});
    expect(res.status).toBe(410);
    expect(await app.storage.listShops()).toEqual([]);
  });

  it('refuses a forged HMAC (401) and asks Shopify nothing', async () => {
    const {state, cookie} = await begin();
    const res = await get(callbackPath({code: 'x', host: HOST, shop: SHOP, state, timestamp: now()}, {secret: 'not-the-app-secret'}), {cookie});
    expect(res.status).toBe(401);
    expect(res.text).toContain('Invalid signature');
    const missing = await get(callbackPath({code: 'x', shop: SHOP, state, timestamp: now()}, {hmac: null}), {cookie});
    expect(missing.status).toBe(401);
    expect(await app.storage.listShops()).toEqual([]);
  });

  it('refuses a stale timestamp even when correctly signed (401)', async () => {
    const {state, cookie} = await begin();
    const stale = String(Math.floor(Date.now() / 1000) - 120);
    const res = await get(callbackPath({code: 'x', host: HOST, shop: SHOP, state, timestamp: stale}), {cookie});
    expect(res.status).toBe(401);
    expect(res.text).toContain('Link expired');
    expect(res.text).toContain(`/auth?shop=${SHOP}`);
  });

  it('refuses a missing state cookie (400) and a state that is not ours (401)', async () => {
    const {state, cookie} = await begin();
    const noCookie = await get(callbackPath({code: 'x', shop: SHOP, state, timestamp: now()}));
    expect(noCookie.status).toBe(400);
    expect(noCookie.text).toContain('Installation expired');
    const otherState = await get(callbackPath({code: 'x', shop: SHOP, state: 'f'.repeat(64), timestamp: now()}), {cookie});
    expect(otherState.status).toBe(401);
    const tampered = await get(callbackPath({code: 'x', shop: SHOP, state, timestamp: now()}), {cookie: cookie.replace(/shopify_app_state=[0-9a-f]{64}/, `shopify_app_state=${'0'.repeat(64)}`)});
    expect(tampered.status).toBe(400);
    expect(await app.storage.listShops()).toEqual([]);
  });

  it('shows a 400 page when Shopify refuses the code, and stores nothing', async () => {
    const {state, cookie} = await begin();
    interceptTokenEndpoint([[400, {error: 'invalid_request', error_description: 'The authorization code was not found or was already used'}]]);
    const res = await get(callbackPath({code: 'used', shop: SHOP, state, timestamp: now()}), {cookie});
    expect(res.status).toBe(400);
    expect(res.text).toContain('Authorization refused');
    expect(await app.storage.listShops()).toEqual([]);
    expect(await app.storage.findSessionsByShop(SHOP)).toEqual([]);
  });
});
