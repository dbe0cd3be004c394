import {mkdirSync} from 'node:fs';
import {resolve} from 'node:path';
import nock from 'nock';
import type {BrowserContext, Page} from 'playwright-core';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {APP_BRIDGE_URL} from '../../src/shopify-app/settings-page.ts';
import {interceptShopifyGraphql, orderQueryResponse, TEST_ACCESS_TOKEN} from '../fixtures/shopify-orders.ts';
import {launchChromium} from '../helpers/chromium.ts';
import {tempDir, type TestApp} from '../helpers/test-app.ts';
import {
  installQueryResponse,
  interceptInstallQuery,
  interceptTokenEndpoint,
  sessionToken,
  SHOP,
  shopifyOnlyThroughNock,
  startShopifyApp,
  tokenResponse,
} from './shopify-app-helpers.ts';

/**
 * Stands in for App Bridge: `shopify.idToken()` hands out a fresh session
 * token signed with the app's secret (as the admin would), and toasts are
 * recorded. Everything else App Bridge does belongs to the Shopify admin.
 */
const APP_BRIDGE_STAND_IN = `
window.shopify = {
  idToken: () => window.__testSessionToken(),
  toast: {show: (message) => (window.__toasts = [...(window.__toasts || []), message])},
};`;

let app: TestApp;
let profile: ReturnType<typeof tempDir>;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  shopifyOnlyThroughNock();
  app = await startShopifyApp();
  profile = tempDir();
  context = await launchChromium(profile.dir, {width: 900, height: 1200});
  page = context.pages()[0] ?? (await context.newPage());
  await page.exposeFunction('__testSessionToken', () => sessionToken());
  await page.route(APP_BRIDGE_URL, (route) => route.fulfill({status: 200, contentType: 'text/javascript', body: APP_BRIDGE_STAND_IN}));
  // Nothing leaves the machine: only our server answers.
  await context.route((url) => !url.href.startsWith(app.url) && url.href !== APP_BRIDGE_URL, (route) => route.abort());
}, 60_000);

afterAll(async () => {
  await context?.close();
  profile?.remove();
  nock.cleanAll();
  nock.enableNetConnect();
  await app?.close();
});

const pageUrl = () => `${app.url}/?embedded=1&shop=${SHOP}&host=${Buffer.from(`admin.shopify.com/store/anna-demo`).toString('base64url')}`;

describe('the settings page in headless Chromium', () => {
  it('installs on first load, shows the webhook URL, rejects a bad phone, saves, and keeps the values over a reload', async () => {
    // First load: the page's session token is exchanged (Shopify at the HTTP level) and the shop row is created.
    interceptTokenEndpoint([[200, tokenResponse(1)]]);
    interceptInstallQuery([[200, installQueryResponse()]]);
    await page.goto(pageUrl());
    await expect.poll(() => page.inputValue('#webhook-url')).toMatch(/\/callina\/[A-Za-z0-9_-]{24}$/);

    const shop = (await app.storage.getShop(SHOP))!;
    expect(await page.inputValue('#webhook-url')).toBe(`https://callina.example.com/callina/${shop.hookId}`);
    expect(await page.textContent('#connection-badge')).toBe('Connected');
    expect(await page.inputValue('#store-phone')).toBe('+43662275124');
    expect(await page.inputValue('#default-language')).toBe('de');
    expect(await page.textContent('#secret-value')).toBe(`${shop.secret.slice(0, 4)}••••••••`);

    await page.click('#copy-webhook');
    await expect.poll(() => page.textContent('#copy-status')).toBe('Copied');

    // A bad phone: a message at the field, nothing saved.
    await page.fill('#store-phone', '0662 12');
    await page.selectOption('#verification', 'caller_phone');
    await page.click('#save-settings');
    await page.waitForSelector('#store-phone-error:not([hidden])');
    expect(await page.textContent('#store-phone-error')).toBe('Store phone for transfers must be an international number like +43 662 275124');
    expect(await page.getAttribute('#store-phone', 'aria-invalid')).toBe('true');
    expect(await page.textContent('#settings-status')).toBe('Not saved: please correct the marked fields.');
    expect(await app.storage.getShop(SHOP)).toEqual(shop);

    // Corrected: saved, the message gone.
    await page.fill('#store-phone', '+49 30 1234567');
    await page.selectOption('#default-language', 'en');
    await page.click('#save-settings');
    await expect.poll(() => page.textContent('#settings-status')).toBe('Settings saved');
    expect(await page.isHidden('#store-phone-error')).toBe(true);
    expect(await page.evaluate(() => (window as unknown as {__toasts?: string[]}).__toasts)).toContain('Settings saved');
    expect(await app.storage.getShop(SHOP)).toMatchObject({storePhone: '+49301234567', defaultLanguage: 'en', verification: 'caller_phone'});

    // The values survive a reload (and the reload asks Shopify nothing: the shop is installed).
    await page.reload();
    await expect.poll(() => page.inputValue('#store-phone')).toBe('+49301234567');
    expect(await page.inputValue('#default-language')).toBe('en');
    expect(await page.inputValue('#verification')).toBe('caller_phone');
  }, 60_000);

  it('runs a test lookup through the live endpoint and lists recent calls; keeps a screenshot', async () => {
    await app.storage.updateShop(SHOP, {accessToken: TEST_ACCESS_TOKEN});
    const at = Date.now();
    await app.storage.recordCallEvent({shop: SHOP, callId: 'call_a', kind: 'escalation', occurredAt: new Date(at - 60_000), silenceMs: null, reason: 'caller_request', callerPhone: '+43660123456789'});
    await app.storage.recordCallEvent({shop: SHOP, callId: 'call_b', kind: 'silence', occurredAt: new Date(at - 30_000), silenceMs: 9200, reason: null, callerPhone: '+4915112345678'});
    await page.reload();
    await expect.poll(() => page.locator('#calls-body tr').count()).toBe(2);
    const rows = await page.locator('#calls-body tr').allTextContents();
    expect(rows[0]).toContain('Caller went silent');
    expect(rows[0]).toContain('+49*********78');
    expect(rows[1]).toContain('Asked for a human');
    expect(rows.join()).not.toContain('660123456789');

    interceptShopifyGraphql([[200, orderQueryResponse()]]);
    await page.fill('#order-number', '1001');
    await page.click('#run-test');
    await page.waitForSelector('#test-result:not([hidden])');
    expect(await page.textContent('#test-say')).toMatch(/^“.*1001.*”$/);
    expect(await page.textContent('#test-meta')).toMatch(/^Answered in \d+ ms · HTTP 200 · next action: continue$/);

    const dir = resolve('test-results');
    mkdirSync(dir, {recursive: true});
    await page.screenshot({path: resolve(dir, 'settings-page.png'), fullPage: true});
  }, 60_000);
});
