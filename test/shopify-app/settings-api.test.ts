import nock from 'nock';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {interceptShopifyGraphql, orderQueryResponse, TEST_ACCESS_TOKEN} from '../fixtures/shopify-orders.ts';
import {callinaEvent, postEvent} from '../helpers/callina.ts';
import type {TestApp} from '../helpers/test-app.ts';
import {
  apiRequest,
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

/** The Shopify-managed install, as the page's first request does it. */
async function install(shop = SHOP) {
  interceptTokenEndpoint([[200, tokenResponse(1)]], shop);
  interceptInstallQuery([[200, installQueryResponse()]], shop);
  const res = await apiRequest(app, '/api/settings', {token: sessionToken({shop})});
  expect(res.status).toBe(200);
  return (await app.storage.getShop(shop))!;
}

beforeAll(() => shopifyOnlyThroughNock());
afterAll(() => nock.enableNetConnect());
beforeEach(async () => {
  app = await startShopifyApp();
});
afterEach(async () => {
  nock.cleanAll();
  await app.close();
});

describe('/api/* accepts only a valid session token', () => {
  it.each([
    ['no Authorization header', null, 'missing_session_token'],
    ['a token signed with another secret', sessionToken({secret: 'someone-elses-secret'}), 'invalid_session_token'],
    ['an expired token', sessionToken({issuedAt: Math.floor(Date.now() / 1000) - 600}), 'invalid_session_token'],
    ['a token for another app', sessionToken({aud: 'another-apps-client-id'}), 'invalid_session_token'],
    ['something that is no JWT', 'not-a-jwt', 'missing_session_token'],
  ])('answers 401 to %s, before touching Shopify or storage', async (_name, token, code) => {
    const res = await apiRequest(app, '/api/settings', {token});
    expect(res.status).toBe(401);
    expect(res.json).toEqual({error: code, message: expect.any(String)});
    expect(await app.storage.listShops()).toEqual([]);
  });

  // @koa/router matched routes in any letter case while the /api prefix check did not: "/API/settings" reached the handler.
  it.each([
    ['GET', '/API/settings'],
    ['PUT', '/Api/settings'],
    ['GET', '/API/secret'],
    ['PUT', '/aPI/secret'],
    ['POST', '/API/secret/rotate'],
    ['GET', '/API/calls'],
    ['POST', '/API/test-lookup'],
    ['GET', '/api/SETTINGS'],
    ['GET', '/API/settings/'],
  ])('never serves %s %s without a session token, whatever the letter case', async (method, path) => {
    const before = await install();
    const json = method === 'GET' ? undefined : {storePhone: '', defaultLanguage: 'en', verification: 'none', secret: 'attacker-chosen-secret-1', orderNumber: '1001'};
    const res = await apiRequest(app, path, {method, token: null, json});
    expect([401, 404]).toContain(res.status);
    expect(res.json.error).toMatch(/^(missing_session_token|not_found)$/);
    expect(res.text).not.toContain(before.secret);
    expect(await app.storage.getShop(SHOP)).toEqual(before);
    expect(app.logs.filter((line) => line.includes('request failed'))).toEqual([]);
  });

  it('asks App Bridge to retry with a fresh token when the token is invalid', async () => {
    const res = await apiRequest(app, '/api/settings', {token: sessionToken({issuedAt: Math.floor(Date.now() / 1000) - 600})});
    expect(res.headers.get('x-shopify-retry-invalid-session-request')).toBe('1');
  });

  it("scopes every answer and change to the token's shop", async () => {
    const a = await install(SHOP);
    const b = await install('other-shop.myshopify.com');
    const asB = sessionToken({shop: 'other-shop.myshopify.com'});

    const settingsB = await apiRequest(app, '/api/settings', {token: asB});
    expect(settingsB.json.shop).toBe('other-shop.myshopify.com');
    expect(settingsB.json.webhookUrl).toContain(b.hookId);
    expect(settingsB.text).not.toContain(a.hookId);

    await apiRequest(app, '/api/settings', {token: asB, method: 'PUT', json: {storePhone: '+4915112345678', defaultLanguage: 'en', verification: 'caller_phone'}});
    expect(await app.storage.getShop(SHOP)).toEqual(a);
    expect((await apiRequest(app, '/api/secret', {token: asB})).json.secret).toBe(b.secret);
  });
});

describe('settings', () => {
  it('saves valid settings, normalising the phone as people type it', async () => {
    await install();
    const res = await apiRequest(app, '/api/settings', {method: 'PUT', json: {storePhone: '0043 (662) 27-51-24', defaultLanguage: 'en', verification: 'caller_phone'}});
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({storePhone: '+43662275124', defaultLanguage: 'en', verification: 'caller_phone'});
    expect(await app.storage.getShop(SHOP)).toMatchObject({storePhone: '+43662275124', defaultLanguage: 'en', verification: 'caller_phone'});
  });

  it('clears the store phone with an empty value', async () => {
    await install();
    const res = await apiRequest(app, '/api/settings', {method: 'PUT', json: {storePhone: '', defaultLanguage: 'de', verification: 'none'}});
    expect(res.status).toBe(200);
    expect((await app.storage.getShop(SHOP))!.storePhone).toBeNull();
  });

  it('rejects every bad field with its own message and changes nothing, not even the good fields', async () => {
    const before = await install();
    const res = await apiRequest(app, '/api/settings', {method: 'PUT', json: {storePhone: '0662 12', defaultLanguage: 'fr', verification: 'none', colour: 'blue'}});
    expect(res.status).toBe(422);
    expect(res.json).toEqual({
      error: 'invalid_fields',
      message: 'invalid: storePhone, defaultLanguage, colour',
      fields: {
        storePhone: 'must be an international number like +43 662 275124',
        defaultLanguage: 'must be de or en',
        colour: 'is not a setting',
      },
      codes: {storePhone: 'phone_invalid', defaultLanguage: 'invalid_choice', colour: 'unknown_field'},
    });
    expect(await app.storage.getShop(SHOP)).toEqual(before);
  });

  it('names missing fields and wrong types', async () => {
    const before = await install();
    const res = await apiRequest(app, '/api/settings', {method: 'PUT', json: {storePhone: 43662275124, verification: 'none'}});
    expect(res.status).toBe(422);
    expect(res.json.fields).toEqual({storePhone: 'must be a phone number or empty', defaultLanguage: 'must be de or en'});
    const missing = await apiRequest(app, '/api/settings', {method: 'PUT', json: {defaultLanguage: 'de', verification: 'none'}});
    expect(missing.json.fields).toEqual({storePhone: 'is required'});
    expect(await app.storage.getShop(SHOP)).toEqual(before);
  });

  it('answers 415, 400 and 413 for bodies that are not small JSON objects', async () => {
    await install();
    const form = await apiRequest(app, '/api/settings', {method: 'PUT', body: 'storePhone=%2B43662275124', contentType: 'application/x-www-form-urlencoded'});
    expect(form.status).toBe(415);
    const broken = await apiRequest(app, '/api/settings', {method: 'PUT', body: '{"storePhone": "+43'});
    expect(broken.status).toBe(400);
    expect(broken.json).toEqual({error: 'malformed_json', message: 'request body is not valid JSON'});
    const huge = await apiRequest(app, '/api/settings', {method: 'PUT', json: {storePhone: 'x'.repeat(20_000), defaultLanguage: 'de', verification: 'none'}});
    expect(huge.status).toBe(413);
    const list = await apiRequest(app, '/api/settings', {method: 'PUT', json: []});
    expect(list.status).toBe(422);
  });
});

describe('callers without an order number', () => {
  it('is on by default, switches off and on, and explains when Shopify withholds customer data', async () => {
    await install();
    const shown = await apiRequest(app, '/api/settings');
    expect(shown.json).toMatchObject({callerLookup: 'on', customerAccess: {state: 'unknown', note: expect.any(String)}});

    // What a caller lookup stores when Shopify refused the customer data.
    await app.storage.updateShop(SHOP, {customerAccess: 'denied'});
    const denied = await apiRequest(app, '/api/settings');
    expect(denied.json.customerAccess).toEqual({state: 'denied', note: expect.stringMatching(/read_customers.*protected customer data/)});

    const off = await apiRequest(app, '/api/settings', {method: 'PUT', json: {storePhone: '', defaultLanguage: 'de', verification: 'none', callerLookup: 'off'}});
    expect(off.json).toMatchObject({callerLookup: 'off', customerAccess: {state: 'denied'}});
    // On again (after granting the scope on the page): the next caller checks the access afresh.
    const on = await apiRequest(app, '/api/settings', {method: 'PUT', json: {storePhone: '', defaultLanguage: 'de', verification: 'none', callerLookup: 'on'}});
    expect(on.json).toMatchObject({callerLookup: 'on', customerAccess: {state: 'unknown'}});
    expect(await app.storage.getShop(SHOP)).toMatchObject({callerLookup: 'on', customerAccess: 'unknown'});
  });

  it('refuses anything but on or off and changes nothing', async () => {
    const before = await install();
    const res = await apiRequest(app, '/api/settings', {method: 'PUT', json: {storePhone: '', defaultLanguage: 'de', verification: 'none', callerLookup: 'yes'}});
    expect(res.status).toBe(422);
    expect(res.json.fields).toEqual({callerLookup: 'must be on or off'});
    expect(await app.storage.getShop(SHOP)).toEqual(before);
  });
});

describe('issue 10, contact hint: the merchant\'s contact for callers', () => {
  const base = {storePhone: '', defaultLanguage: 'de', verification: 'none'};

  it('saves the hint as given, shows it, keeps it when absent and clears it when empty', async () => {
    await install();
    const hint = 'Montag bis Freitag 9 bis 17 Uhr unter 0662 275124';
    const saved = await apiRequest(app, '/api/settings', {method: 'PUT', json: {...base, contactHint: ` ${hint} `}});
    expect(saved.status).toBe(200);
    expect(saved.json.contactHint).toBe(hint);
    expect((await apiRequest(app, '/api/settings')).json.contactHint).toBe(hint);
    await apiRequest(app, '/api/settings', {method: 'PUT', json: {...base, verification: 'caller_phone'}});
    expect((await app.storage.getShop(SHOP))!.contactHint).toBe(hint);
    await apiRequest(app, '/api/settings', {method: 'PUT', json: {...base, contactHint: ''}});
    expect((await app.storage.getShop(SHOP))!.contactHint).toBeNull();
  });

  it.each([
    ['x'.repeat(121), 'must be at most 120 characters: Anna reads it aloud', 'contact_hint_too_long'],
    ['hello@shop.at\u0007', 'must be one line without control characters', 'contact_hint_one_line'],
    ['hello@shop.at\nsecond line', 'must be one line without control characters', 'contact_hint_one_line'],
    ['Mo. bis Fr. erreichbar', expect.stringMatching(/^must be one phrase: a full stop/), 'contact_hint_one_phrase'],
    ['unter 0662275124', 'must write long numbers in groups as Anna should read them, e.g. 0662 275124', 'contact_hint_digit_groups'],
    ['– … –', 'must contain a word or number', 'contact_hint_no_word'],
    [42, 'must be text or empty', 'invalid_type'],
  ])('refuses %j with a field message and a stable code, and stores nothing', async (contactHint, message, code) => {
    const before = await install();
    const res = await apiRequest(app, '/api/settings', {method: 'PUT', json: {...base, contactHint}});
    expect(res.status).toBe(422);
    expect(res.json).toEqual({error: 'invalid_fields', message: 'invalid: contactHint', fields: {contactHint: message}, codes: {contactHint: code}});
    expect(await app.storage.getShop(SHOP)).toEqual(before);
  });
});

describe('signing secret', () => {
  const escalation = () => callinaEvent({event: 'escalation.requested', intent: undefined, params: undefined, reason: 'caller_request'});

  it('shows it masked, reveals it on request and rotates it with a grace period for the previous one', async () => {
    const before = await install();
    const settings = await apiRequest(app, '/api/settings');
    expect(settings.text).not.toContain(before.secret);
    expect((await apiRequest(app, '/api/secret')).json).toEqual({secret: before.secret});

    const rotated = await apiRequest(app, '/api/secret/rotate', {method: 'POST'});
    expect(rotated.status).toBe(200);
    expect(rotated.json.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(rotated.json.secret).not.toBe(before.secret);
    expect(rotated.json.signingSecret.masked).toBe(`${rotated.json.secret.slice(0, 4)}••••••••`);
    expect(Date.parse(rotated.json.signingSecret.previousValidUntil)).toBeGreaterThan(Date.now() + 23 * 3_600_000);

    const after = (await app.storage.getShop(SHOP))!;
    expect((await postEvent(app.url, after, escalation(), {secret: before.secret})).status).toBe(200);
    expect((await postEvent(app.url, after, escalation(), {secret: rotated.json.secret})).status).toBe(200);
    expect((await postEvent(app.url, after, escalation(), {secret: 'never-the-secret-0123456789'})).status).toBe(401);
  });

  it('takes the secret Callina generated, validated', async () => {
    const before = await install();
    const short = await apiRequest(app, '/api/secret', {method: 'PUT', json: {secret: 'too short'}});
    expect(short.status).toBe(422);
    expect(short.json.fields).toEqual({secret: 'must be at least 16 characters'});
    const spaced = await apiRequest(app, '/api/secret', {method: 'PUT', json: {secret: 'has spaces in the middle of it'}});
    expect(spaced.json.fields).toEqual({secret: 'must be printable ASCII without spaces'});
    expect(await app.storage.getShop(SHOP)).toEqual(before);

    const res = await apiRequest(app, '/api/secret', {method: 'PUT', json: {secret: 'cal_live_4f1c9a7e2b8d6f3a'}});
    expect(res.status).toBe(200);
    expect(res.json.secret).toBeUndefined();
    expect(await app.storage.getShop(SHOP)).toMatchObject({secret: 'cal_live_4f1c9a7e2b8d6f3a', previousSecret: before.secret});
  });
});

describe('recent calls', () => {
  it('lists abandoned calls and escalations newest first, callers masked', async () => {
    const shop = await install();
    await postEvent(app.url, shop, callinaEvent({event: 'silence.detected', call_id: 'call_1', silence_ms: 9000, intent: undefined, params: undefined}));
    await postEvent(app.url, shop, callinaEvent({event: 'escalation.requested', call_id: 'call_2', reason: 'low_confidence', intent: undefined, params: undefined, occurred_at: new Date(Date.now() + 1000).toISOString()}));

    const res = await apiRequest(app, '/api/calls');
    expect(res.status).toBe(200);
    expect(res.json.calls).toEqual([
      {callId: 'call_2', kind: 'escalation', occurredAt: expect.any(String), caller: '+43**********89', reason: 'low_confidence', silenceMs: null, result: 'transferred'},
      {callId: 'call_1', kind: 'silence', occurredAt: expect.any(String), caller: '+43**********89', reason: null, silenceMs: 9000, result: null},
    ]);
    expect(res.text).not.toContain('660123456789');
    expect(res.text).not.toContain('Maria');
  });
});

describe('test a lookup', () => {
  it('sends a signed event through the live endpoint and shows the spoken answer and its latency', async () => {
    await install();
    // A custom-app token, so the lookup reaches Shopify without the OAuth token wiring.
    await app.storage.updateShop(SHOP, {accessToken: TEST_ACCESS_TOKEN});
    const graphql = interceptShopifyGraphql([[200, orderQueryResponse()]]);

    const res = await apiRequest(app, '/api/test-lookup', {method: 'POST', json: {orderNumber: '1001'}});

    expect(res.status).toBe(200);
    expect(res.json).toEqual({status: 200, say: expect.stringMatching(/1 0 0 1/), nextAction: 'continue', transferTo: null, latencyMs: expect.any(Number)});
    expect(res.json.latencyMs).toBeGreaterThanOrEqual(0);
    expect(res.json.latencyMs).toBeLessThan(2500);
    expect(graphql.requests).toHaveLength(1);
    expect(JSON.stringify(graphql.requests[0]!.variables)).toContain('1001');
    // A test is no caller: nothing lands in the call log or the report.
    expect(await app.storage.listCallEvents(SHOP)).toEqual([]);
    await app.report.flush();
    expect(await app.storage.getReport(SHOP, '2000-01-01', '2999-12-31')).toEqual([]);
    expect(app.logs.some((line) => line.includes('"path":"/callina/:hookId"') && line.includes('"status":200'))).toBe(true);
  });

  it('validates the order number', async () => {
    await install();
    const empty = await apiRequest(app, '/api/test-lookup', {method: 'POST', json: {orderNumber: '   '}});
    expect(empty.status).toBe(422);
    expect(empty.json.fields).toEqual({orderNumber: 'enter an order number, e.g. 1001'});
    const missing = await apiRequest(app, '/api/test-lookup', {method: 'POST', json: {}});
    expect(missing.json.fields).toEqual({orderNumber: 'is required'});
  });
});
