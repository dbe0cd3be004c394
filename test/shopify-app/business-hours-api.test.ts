import nock from 'nock';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
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

async function install(shop = SHOP) {
  interceptTokenEndpoint([[200, tokenResponse(1)]], shop);
  interceptInstallQuery([[200, installQueryResponse()]], shop);
  const res = await apiRequest(app, '/api/settings', {token: sessionToken({shop})});
  expect(res.status).toBe(200);
  return (await app.storage.getShop(shop))!;
}

const BASE = {storePhone: '+43662275124', defaultLanguage: 'de', verification: 'none'};

beforeAll(() => shopifyOnlyThroughNock());
afterAll(() => nock.enableNetConnect());
beforeEach(async () => {
  app = await startShopifyApp();
});
afterEach(async () => {
  nock.cleanAll();
  await app.close();
});

describe('business hours in the settings API', () => {
  it('saves hours, closed dates and the after-hours phone as written, shows them canonical, and leaves them alone when absent', async () => {
    await install();
    const res = await apiRequest(app, '/api/settings', {
      method: 'PUT',
      json: {...BASE, businessHours: 'mon-fri 9:00-17:00; Sat 10-13', closedDates: '2026-12-25, 2026-12-24', afterHoursPhone: '0043 664 123 4567'},
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({businessHours: 'Mon-Fri 09:00-17:00, Sat 10:00-13:00', closedDates: ['2026-12-24', '2026-12-25'], afterHoursPhone: '+436641234567', openNow: expect.any(Boolean)});
    expect(await app.storage.getShop(SHOP)).toMatchObject({closedDates: ['2026-12-24', '2026-12-25'], afterHoursPhone: '+436641234567'});

    const untouched = await apiRequest(app, '/api/settings', {method: 'PUT', json: {...BASE, verification: 'caller_phone'}});
    expect(untouched.json).toMatchObject({businessHours: 'Mon-Fri 09:00-17:00, Sat 10:00-13:00', afterHoursPhone: '+436641234567', verification: 'caller_phone'});

    const cleared = await apiRequest(app, '/api/settings', {method: 'PUT', json: {...BASE, businessHours: '', closedDates: '', afterHoursPhone: ''}});
    expect(cleared.json).toMatchObject({businessHours: 'always', closedDates: [], afterHoursPhone: null, openNow: true});
  });

  it.each([
    [{businessHours: 'Mon-Fri 09:00-25:00'}, 'businessHours', 'hours_time_invalid', '25:00'],
    [{businessHours: 'Mox-Fri 09:00-17:00'}, 'businessHours', 'hours_day_unknown', 'Mox'],
    [{businessHours: 'Mon-Fri 09:00-17:00, Sat'}, 'businessHours', 'hours_time_missing', 'Sat'],
    [{businessHours: 'Mon 09:00-09:00'}, 'businessHours', 'hours_range_empty', '09:00-09:00'],
    [{businessHours: 42}, 'businessHours', 'invalid_type', undefined],
    [{closedDates: '2026-12-24, 2026-02-30'}, 'closedDates', 'date_invalid', '2026-02-30'],
    [{afterHoursPhone: '0664 12'}, 'afterHoursPhone', 'phone_invalid', undefined],
  ])('refuses %j with a stable code and the part at fault, and changes nothing', async (field, name, code, part) => {
    const before = await install();
    const res = await apiRequest(app, '/api/settings', {method: 'PUT', json: {...BASE, ...field}});
    expect(res.status).toBe(422);
    expect(res.json.error).toBe('invalid_fields');
    expect(res.json.codes).toEqual({[name]: code});
    expect(typeof res.json.fields[name]).toBe('string');
    expect(res.json.parts?.[name]).toBe(part);
    expect(await app.storage.getShop(SHOP)).toEqual(before);
  });

  it('codes every field at once, with missing fields as required', async () => {
    await install();
    const res = await apiRequest(app, '/api/settings', {method: 'PUT', json: {defaultLanguage: 'fr', verification: 'none', businessHours: 'Mon 9-5x'}});
    expect(res.json.codes).toEqual({storePhone: 'required', defaultLanguage: 'invalid_choice', businessHours: 'hours_time_invalid'});
  });

  it('will not read hours without the shop\'s time zone', async () => {
    await install();
    await app.storage.updateShop(SHOP, {timeZone: null});
    const before = await app.storage.getShop(SHOP);
    const res = await apiRequest(app, '/api/settings', {method: 'PUT', json: {...BASE, businessHours: 'Mon-Fri 09:00-17:00'}});
    expect(res.status).toBe(422);
    expect(res.json.codes).toEqual({businessHours: 'time_zone_unknown'});
    expect(await app.storage.getShop(SHOP)).toEqual(before);
    // "always" needs no zone.
    expect((await apiRequest(app, '/api/settings', {method: 'PUT', json: {...BASE, businessHours: 'always'}})).status).toBe(200);
  });
});

describe('GET /api/report', () => {
  it('answers the last N local days, oldest first, every day present, for the token\'s shop only', async () => {
    await install();
    await install('other-shop.myshopify.com');
    const today = new Intl.DateTimeFormat('en-CA', {timeZone: 'Europe/Vienna'}).format(new Date());
    await app.storage.addToReport([
      {shop: SHOP, day: today, counts: {ordersFound: 3, foundByCaller: 2, transfers: 1}},
      {shop: 'other-shop.myshopify.com', day: today, counts: {ordersFound: 99}},
    ]);
    const week = await apiRequest(app, '/api/report?days=7');
    expect(week.status).toBe(200);
    expect(week.json.timeZone).toBe('Europe/Vienna');
    expect(week.json.days).toHaveLength(7);
    expect(week.json.days.at(-1)).toEqual({day: today, ordersFound: 3, foundByCaller: 2, ordersNotFound: 0, noNumber: 0, fallbacks: 0, transfers: 1, afterHours: 0, silences: 0});
    expect(week.json.days[0].ordersFound).toBe(0);
    expect(week.json.days.map((d: {day: string}) => d.day)).toEqual([...week.json.days.map((d: {day: string}) => d.day)].sort());
    expect((await apiRequest(app, '/api/report')).json.days).toHaveLength(30);
    expect((await apiRequest(app, '/api/report?days=90')).json.days).toHaveLength(90);
  });

  it.each([['0', 'too_short'], ['91', 'too_long'], ['abc', 'invalid_type'], ['2.5', 'invalid_type'], ['', 'too_short']])('refuses days=%j with 400 and a code', async (days, code) => {
    await install();
    const res = await apiRequest(app, `/api/report?days=${days}`);
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({error: 'invalid_query', fields: {days: expect.any(String)}, codes: {days: code}});
  });

  it('needs a session token', async () => {
    expect((await apiRequest(app, '/api/report', {token: null})).status).toBe(401);
  });
});

describe('the page in the merchant\'s language', () => {
  const page = async (locale?: string) => {
    const query = locale === undefined ? '' : `&locale=${encodeURIComponent(locale)}`;
    const html = await (await fetch(`${app.url}/?embedded=1&shop=${SHOP}${query}`)).text();
    const text = JSON.parse(/<script type="application\/json" id="page-text">([^<]*)<\/script>/.exec(html)![1]!);
    return {html, text};
  };

  it.each([['de', 'de'], ['de-AT', 'de'], ['de_CH', 'de'], ['DE', 'de'], ['en', 'en'], ['en-US', 'en'], ['fr', 'en'], ['deutsch', 'en'], [undefined, 'en']])(
    'locale %j gives the page in %s',
    async (locale, lang) => {
      const {html, text} = await page(locale);
      expect(html).toContain(`<html lang="${lang}">`);
      expect(text.lang).toBe(lang);
      expect(html).toContain(lang === 'de' ? '<label for="business-hours">Geschäftszeiten</label>' : '<label for="business-hours">Business hours</label>');
      expect(html).not.toMatch(/\{\{/);
    },
  );

  it('German and English tables have the same keys, and every German word differs where a word is written', async () => {
    const [{text: de}, {text: en}] = [await page('de'), await page('en')];
    expect(Object.keys(de).sort()).toEqual(Object.keys(en).sort());
    const same = Object.keys(en).filter((k) => en[k] === de[k]);
    // Only what reads the same in both languages.
    expect(same).toEqual(['shop']);
  });
});
