import nock from 'nock';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import type {TestApp} from '../helpers/test-app.ts';
import {
  API_KEY,
  API_SECRET,
  apiRequest,
  APP_URL,
  installQueryResponse,
  interceptInstallQuery,
  interceptTokenEndpoint,
  sessionToken,
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

describe('Shopify-managed install: the embedded page exchanges its session token', () => {
  it('exchanges the token for an expiring offline token and creates the shop row, prefilled from Shopify', async () => {
    const token = sessionToken();
    const exchange = interceptTokenEndpoint([[200, tokenResponse(1)]]);
    const query = interceptInstallQuery([[200, installQueryResponse()]]);

    const res = await apiRequest(app, '/api/settings', {token});

    expect(res.status).toBe(200);
    expect(exchange.requests).toEqual([
      {
        client_id: API_KEY,
        client_secret: API_SECRET,
        grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
        subject_token: token,
        subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
        requested_token_type: 'urn:shopify:params:oauth:token-type:offline-access-token',
        expiring: '1',
      },
    ]);
    expect(query.requests).toHaveLength(1);
    expect(query.requests[0]).toMatchObject({path: '/admin/api/2026-10/graphql.json', accessToken: tokenResponse(1).access_token, variables: {withLocales: true}});
    expect(query.requests[0]!.query).toContain('shopLocales @include(if: $withLocales)');

    const shop = (await app.storage.getShop(SHOP))!;
    expect(shop).toMatchObject({storePhone: '+43662275124', defaultLanguage: 'de', timeZone: 'Europe/Vienna', verification: 'none', connection: 'ok', accessToken: null});
    expect(shop.hookId).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(res.json).toMatchObject({
      shop: SHOP,
      webhookUrl: `${APP_URL}/callina/${shop.hookId}`,
      storePhone: '+43662275124',
      defaultLanguage: 'de',
      timeZone: 'Europe/Vienna',
      connection: {state: 'ok'},
      signingSecret: {masked: `${shop.secret.slice(0, 4)}••••••••`, previousValidUntil: null},
    });
    expect(Date.parse(res.json.connection.tokenExpiresAt)).toBeGreaterThan(Date.now() + 3_500_000);

    const session = await app.storage.loadSession(`offline_${SHOP}`);
    expect(session).toMatchObject({shop: SHOP, isOnline: false, accessToken: tokenResponse(1).access_token, refreshToken: tokenResponse(1).refresh_token, scope: 'read_orders,read_locales'});
    expect(session!.refreshTokenExpires!.getTime()).toBeGreaterThan(Date.now() + 89 * 86_400_000);
  });

  it('asks Shopify nothing more once the shop is installed', async () => {
    interceptTokenEndpoint([[200, tokenResponse(1)]]);
    interceptInstallQuery([[200, installQueryResponse()]]);
    expect((await apiRequest(app, '/api/settings')).status).toBe(200);
    expect(nock.pendingMocks()).toEqual([]);
    // Network is closed except through nock: any further Shopify call would fail this request.
    const again = await apiRequest(app, '/api/settings', {token: sessionToken()});
    expect(again.status).toBe(200);
    expect(again.json.shop).toBe(SHOP);
  });

  it('installs once when the page fires several first requests at the same time', async () => {
    const exchange = interceptTokenEndpoint([
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 100));
        return [200, tokenResponse(1)] as const;
      },
    ]);
    interceptInstallQuery([[200, installQueryResponse()]]);
    const results = await Promise.all([apiRequest(app, '/api/settings'), apiRequest(app, '/api/calls'), apiRequest(app, '/api/settings')]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(exchange.requests).toHaveLength(1);
    expect(await app.storage.listShops()).toHaveLength(1);
  });

  it('leaves the language empty when the token lacks read_locales, and does not ask for locales', async () => {
    interceptTokenEndpoint([[200, tokenResponse(1, 'read_orders')]]);
    const query = interceptInstallQuery([[200, {data: {shop: {ianaTimezone: 'America/New_York', billingAddress: {phone: '(212) 555-0100'}}}}]]);
    const res = await apiRequest(app, '/api/settings');
    expect(res.status).toBe(200);
    expect(query.requests[0]!.variables).toEqual({withLocales: false});
    // A number without country code cannot be dialled from Austria: not prefilled.
    expect(await app.storage.getShop(SHOP)).toMatchObject({defaultLanguage: null, storePhone: null, timeZone: 'America/New_York'});
  });

  it('still installs when the details query fails, with empty settings', async () => {
    interceptTokenEndpoint([[200, tokenResponse(1)]]);
    interceptInstallQuery([[503, {errors: 'Service Unavailable'}]]);
    const res = await apiRequest(app, '/api/settings');
    expect(res.status).toBe(200);
    expect(await app.storage.getShop(SHOP)).toMatchObject({storePhone: null, defaultLanguage: null, timeZone: null, connection: 'ok'});
    expect(await app.storage.loadSession(`offline_${SHOP}`)).toBeDefined();
  });

  it('answers 401 with the App Bridge retry header when Shopify refuses the session token, and stores nothing', async () => {
    interceptTokenEndpoint([[400, {error: 'invalid_subject_token', error_description: 'The subject token is expired.'}]]);
    const res = await apiRequest(app, '/api/settings');
    expect(res.status).toBe(401);
    expect(res.json).toEqual({error: 'token_exchange_refused', message: expect.stringContaining('reload the app')});
    expect(res.headers.get('x-shopify-retry-invalid-session-request')).toBe('1');
    expect(await app.storage.listShops()).toEqual([]);
    expect(await app.storage.findSessionsByShop(SHOP)).toEqual([]);
  });

  it('answers 502 when Shopify is down, and stores nothing', async () => {
    interceptTokenEndpoint([[503, {errors: 'Service Unavailable'}]]);
    const res = await apiRequest(app, '/api/settings');
    expect(res.status).toBe(502);
    expect(res.json.error).toBe('shopify_unavailable');
    expect(await app.storage.listShops()).toEqual([]);
  });

  it('reconnects a shop that needs it: a new token, the same hook id and settings', async () => {
    interceptTokenEndpoint([[200, tokenResponse(1)], [200, tokenResponse(2)]]);
    interceptInstallQuery([[200, installQueryResponse()]]);
    await apiRequest(app, '/api/settings');
    const before = (await app.storage.updateShop(SHOP, {connection: 'needs_reconnect', storePhone: '+4915112345678'}))!;

    const res = await apiRequest(app, '/api/settings');
    expect(res.status).toBe(200);
    expect(res.json.connection.state).toBe('ok');
    const after = (await app.storage.getShop(SHOP))!;
    expect(after).toMatchObject({hookId: before.hookId, secret: before.secret, storePhone: '+4915112345678', connection: 'ok'});
    expect((await app.storage.loadSession(`offline_${SHOP}`))!.accessToken).toBe(tokenResponse(2).access_token);
  });

  it('keeps tokens, secrets and session tokens out of the log', async () => {
    const token = sessionToken();
    interceptTokenEndpoint([[200, tokenResponse(1)]]);
    interceptInstallQuery([[200, installQueryResponse()]]);
    await apiRequest(app, '/api/settings', {token});
    await apiRequest(app, '/api/settings', {token: sessionToken({secret: 'not-the-app-secret'})});
    const shop = (await app.storage.getShop(SHOP))!;
    const logs = app.logs.join('\n');
    expect(logs).toContain('shop installed');
    for (const secret of [token, token.split('.')[2]!, tokenResponse(1).access_token, tokenResponse(1).refresh_token, shop.secret, API_SECRET]) {
      expect(logs).not.toContain(secret);
    }
  });
});
