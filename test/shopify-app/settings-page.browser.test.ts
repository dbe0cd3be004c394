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
    await expect.poll(() => page.inputValue('#webhook-url'), {timeout: 10_000}).toMatch(/\/callina\/[A-Za-z0-9_-]{24}$/);

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

    // Issue 10: a contact hint that would break Anna's sentence gets its own message.
    await page.fill('#store-phone', '+49 30 1234567');
    await page.fill('#contact-hint', 'Mo. bis Fr. 9 bis 17 Uhr');
    await page.click('#save-settings');
    await page.waitForSelector('#contact-hint-error:not([hidden])');
    expect(await page.textContent('#contact-hint-error')).toMatch(/^Contact for callers must be one phrase/);
    expect(await app.storage.getShop(SHOP)).toEqual(shop);

    // Corrected: saved, the message gone.
    await page.fill('#contact-hint', 'Montag bis Freitag 9 bis 17 Uhr unter 030 123 4567');
    await page.selectOption('#default-language', 'en');
    await page.click('#save-settings');
    await expect.poll(() => page.textContent('#settings-status')).toBe('Settings saved');
    expect(await page.isHidden('#store-phone-error')).toBe(true);
    expect(await page.evaluate(() => (window as unknown as {__toasts?: string[]}).__toasts)).toContain('Settings saved');
    expect(await app.storage.getShop(SHOP)).toMatchObject({
      storePhone: '+49301234567', defaultLanguage: 'en', verification: 'caller_phone', contactHint: 'Montag bis Freitag 9 bis 17 Uhr unter 030 123 4567',
    });
    expect(await page.isHidden('#contact-hint-error')).toBe(true);

    // The values survive a reload (and the reload asks Shopify nothing: the shop is installed).
    await page.reload();
    await expect.poll(() => page.inputValue('#store-phone')).toBe('+49301234567');
    expect(await page.inputValue('#default-language')).toBe('en');
    expect(await page.inputValue('#verification')).toBe('caller_phone');
    expect(await page.inputValue('#contact-hint')).toBe('Montag bis Freitag 9 bis 17 Uhr unter 030 123 4567');
    // Issue 9 defect 8: the page says exactly what verification does.
    expect(await page.textContent('#verification-help')).toMatch(/Payment, refunds and the tracking number's last digits are said only to a caller whose phone number matches/);
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
    expect(await page.textContent('#test-say')).toMatch(/^“.*1 0 0 1.*”$/);
    expect(await page.textContent('#test-meta')).toMatch(/^Answered in \d+ ms · HTTP 200 · next action: continue$/);

    const dir = resolve('test-results');
    mkdirSync(dir, {recursive: true});
    await page.screenshot({path: resolve(dir, 'settings-page.png'), fullPage: true});
  }, 60_000);
});

/** A month of calls, today last, in the shop's zone (Vienna, from the install query). */
async function seedReport() {
  const today = new Intl.DateTimeFormat('en-CA', {timeZone: 'Europe/Vienna'}).format(new Date());
  const day = (back: number) => new Date(Date.parse(`${today}T12:00:00Z`) - back * 86_400_000).toISOString().slice(0, 10);
  await app.storage.addToReport([
    {shop: SHOP, day: day(0), counts: {ordersFound: 7, foundByCaller: 2, ordersNotFound: 1, transfers: 2, afterHours: 1, silences: 1}},
    {shop: SHOP, day: day(1), counts: {ordersFound: 4, noNumber: 2, fallbacks: 1}},
    {shop: SHOP, day: day(9), counts: {ordersFound: 3, afterHours: 2}},
  ]);
  return day;
}

async function screenshot(name: string) {
  const dir = resolve('test-results');
  mkdirSync(dir, {recursive: true});
  await page.screenshot({path: resolve(dir, name), fullPage: true});
}

describe('business hours and the call report, in both languages', () => {
  it('English: a bad range is named at its field, the corrected hours are saved, the report is drawn; screenshot', async () => {
    const day = await seedReport();
    await page.goto(pageUrl() + '&locale=en-US');
    await expect.poll(() => page.locator('#report-chart rect').count()).toBeGreaterThan(0);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.locator('#report-body tr').count()).toBe(3);
    expect(await page.locator('#report-head th').allTextContents()).toEqual(['Day', 'Orders found', 'Found by caller ID or email', 'Not found', 'No number understood', 'Shopify slow or down', 'Put through', 'After hours', 'Silences']);
    const newest = await page.locator('#report-body tr').first().locator('td').allTextContents();
    expect(newest.slice(1)).toEqual(['7', '2', '1', '0', '0', '2', '1', '1']);
    expect(await page.locator('#report-chart rect[data-series="ordersFound"]').count()).toBe(3);
    expect(await page.locator('#report-chart rect[data-series="foundByCaller"]').count()).toBe(1);
    expect(await page.textContent('#report-legend')).toContain('Found by caller ID or email');
    expect(day(0)).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    await page.fill('#business-hours', 'Mon-Fri 09:00-25:00');
    await page.fill('#after-hours-phone', '+43 664 1234567');
    await page.click('#save-settings');
    await page.waitForSelector('#business-hours-error:not([hidden])');
    expect(await page.textContent('#business-hours-error')).toBe('Business hours "25:00" is not a time like 09:00 (00:00 to 24:00)');
    expect(await page.isHidden('#after-hours-phone-error')).toBe(true);
    expect((await app.storage.getShop(SHOP))!.afterHoursPhone).toBeNull();

    await page.fill('#business-hours', 'Mon-Fri 9-17, Sat 10-13');
    await page.fill('#closed-dates', '2026-12-25 2026-12-24');
    await page.click('#save-settings');
    await expect.poll(() => page.textContent('#settings-status')).toBe('Settings saved');
    expect(await page.inputValue('#business-hours')).toBe('Mon-Fri 09:00-17:00, Sat 10:00-13:00');
    expect(await page.inputValue('#closed-dates')).toBe('2026-12-24, 2026-12-25');
    expect(await page.textContent('#open-badge')).toMatch(/^(Open now|Closed now)$/);
    expect(await app.storage.getShop(SHOP)).toMatchObject({afterHoursPhone: '+436641234567', closedDates: ['2026-12-24', '2026-12-25']});
    await screenshot('settings-page-en.png');
  }, 60_000);

  it('German: labels, help, errors from their codes and the report all in German; screenshot', async () => {
    await page.goto(pageUrl() + '&locale=de');
    await expect.poll(() => page.locator('#report-chart rect').count()).toBeGreaterThan(0);
    expect(await page.getAttribute('html', 'lang')).toBe('de');
    expect(await page.textContent('h1')).toBe('Callina Bestellauskunft');
    expect(await page.textContent('label[for="after-hours-phone"]')).toBe('Nummer außerhalb der Geschäftszeiten');
    await expect.poll(() => page.textContent('#connection-badge')).toBe('Verbunden');
    expect(await page.locator('#report-head th').allTextContents()).toEqual(['Tag', 'Bestellungen gefunden', 'Über Anrufernummer oder E-Mail gefunden', 'Nicht gefunden', 'Keine Nummer verstanden', 'Shopify langsam oder gestört', 'Weiterverbunden', 'Außerhalb der Geschäftszeiten', 'Stille']);
    expect(await page.textContent('#report-legend')).toContain('Über Anrufernummer oder E-Mail gefunden');

    await page.fill('#business-hours', 'Mo-Fr 09:00-17:00');
    await page.fill('#closed-dates', '2026-02-30');
    await page.fill('#after-hours-phone', '0664 12');
    await page.click('#save-settings');
    await page.waitForSelector('#business-hours-error:not([hidden])');
    expect(await page.textContent('#business-hours-error')).toBe('Geschäftszeiten „Mo“ ist kein Tag: verwenden Sie Mon, Tue, Wed, Thu, Fri, Sat, Sun');
    expect(await page.textContent('#closed-dates-error')).toBe('Schließtage „2026-02-30“ ist kein Datum wie 2026-12-24');
    expect(await page.textContent('#after-hours-phone-error')).toBe('Nummer außerhalb der Geschäftszeiten muss eine internationale Nummer sein, z. B. +43 662 275124');
    expect(await page.textContent('#settings-status')).toBe('Nicht gespeichert: Bitte korrigieren Sie die markierten Felder.');
    await screenshot('settings-page-de.png');

    await page.fill('#business-hours', 'Mon-Fri 08:00-18:00');
    await page.fill('#closed-dates', '');
    await page.fill('#after-hours-phone', '');
    await page.click('#save-settings');
    await expect.poll(() => page.textContent('#settings-status')).toBe('Einstellungen gespeichert');
    expect(await app.storage.getShop(SHOP)).toMatchObject({closedDates: [], afterHoursPhone: null});
  }, 60_000);
});
