import nock from 'nock';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {dispatch, type HandlerTable} from '../../src/callina/dispatch.ts';
import {parseWeeklyHours} from '../../src/hours/schedule.ts';
import {createLogger} from '../../src/log.ts';
import type {ShopPatch, ShopRecord} from '../../src/storage/storage.ts';
import {interceptShopifyGraphql, orderQueryResponse, sleep, TEST_ACCESS_TOKEN} from '../fixtures/shopify-orders.ts';
import {addShop, callinaEvent, postEvent} from '../helpers/callina.ts';
import {startTestApp, type TestApp} from '../helpers/test-app.ts';

/** Vienna: Monday 10:00, Sunday 20:00, Friday 18:30 (CEST). */
const MONDAY_MORNING = new Date('2026-05-18T08:00:00Z');
const SUNDAY_EVENING = new Date('2026-05-17T18:00:00Z');
const FRIDAY_EVENING = new Date('2026-05-15T16:30:00Z');
const STORE = '+43662275124';
const AFTER_HOURS = '+436641234567';

const weekdays = () => {
  const parsed = parseWeeklyHours('Mon-Fri 09:00-17:00');
  if (!parsed.ok) throw new Error('bad schedule');
  return parsed.value;
};

let app: TestApp;
let clock = MONDAY_MORNING;
beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterAll(() => nock.enableNetConnect());
beforeEach(async () => {
  clock = MONDAY_MORNING;
  app = await startTestApp({env: {LOOKUP_BUDGET_MS: '300'}, deps: {speechNow: () => clock}});
});
afterEach(async () => {
  nock.cleanAll();
  await app.close();
});

async function shopWith(patch: ShopPatch = {}): Promise<ShopRecord> {
  const shop = await addShop(app.storage, {storePhone: STORE, timeZone: 'Europe/Vienna', accessToken: TEST_ACCESS_TOKEN});
  return (await app.storage.updateShop(shop.shop, {businessHours: weekdays(), ...patch}))!;
}

const EN = {language: 'en', caller_phone: '+14155550123'};
const DE = {caller_phone: '+43660123456789'};
const escalation = (context: object) => callinaEvent({event: 'escalation.requested', intent: undefined, params: undefined, reason: 'caller_request', context});
const lookup = (orderNumber: string, context: object) => callinaEvent({params: {order_number: orderNumber}, context});

describe('escalation by the clock', () => {
  it.each([
    ['open: the store phone, as ever', MONDAY_MORNING, {}, DE,
      {say: 'Einen Moment bitte, ich verbinde Sie mit unserem Team.', next_action: 'transfer', transfer_to: STORE}, 'transferred'],
    ['open, English', MONDAY_MORNING, {afterHoursPhone: AFTER_HOURS}, EN,
      {say: 'Let me transfer you to our team.', next_action: 'transfer', transfer_to: STORE}, 'transferred'],
    ['closed with an after-hours number: put through there, saying so', SUNDAY_EVENING, {afterHoursPhone: AFTER_HOURS}, EN,
      {say: "We're closed right now, so I'll put you through to our after-hours line.", next_action: 'transfer', transfer_to: AFTER_HOURS}, 'after_hours'],
    ['closed with an after-hours number, German', SUNDAY_EVENING, {afterHoursPhone: AFTER_HOURS}, DE,
      {say: 'Wir haben gerade geschlossen, deshalb verbinde ich Sie mit unserer Nummer für Anrufe außerhalb der Öffnungszeiten.', next_action: 'transfer', transfer_to: AFTER_HOURS}, 'after_hours'],
    ['closed without: when the team is back, German, tomorrow', SUNDAY_EVENING, {}, DE,
      {say: 'Es tut mir leid, ich kann Sie gerade nicht verbinden. Unser Team ist morgen ab 9 Uhr wieder für Sie da.', next_action: 'continue'}, 'nowhere'],
    ['closed without: English, over the weekend', FRIDAY_EVENING, {}, EN,
      {say: "I'm sorry, I can't put you through right now. Our team is back on Monday from 9 am.", next_action: 'continue'}, 'nowhere'],
    ['a closed date on a weekday: back the next working day', MONDAY_MORNING, {closedDates: ['2026-05-18']}, EN,
      {say: "I'm sorry, I can't put you through right now. Our team is back tomorrow from 9 am.", next_action: 'continue'}, 'nowhere'],
    ['never open, no after-hours number: says so', MONDAY_MORNING, {businessHours: [[], [], [], [], [], [], []]}, DE,
      {say: 'Es tut mir leid, ich kann Sie gerade nicht verbinden. Unser Team ist telefonisch gerade nicht erreichbar.', next_action: 'continue'}, 'nowhere'],
  ] as const)('%s', async (_what, at, patch, context, reply, result) => {
    clock = at;
    const shop = await shopWith(patch);
    const res = await postEvent(app.url, shop, escalation(context));
    expect(res.status).toBe(200);
    expect(res.json).toEqual(reply);
    const [event] = await app.storage.listCallEvents(shop.shop, {kinds: ['escalation']});
    expect(event).toMatchObject({kind: 'escalation', result});
  });

  it('a shop without a schedule is always open: existing shops keep today\'s behaviour at 3 am', async () => {
    clock = new Date('2026-05-17T01:00:00Z');
    const shop = await addShop(app.storage, {storePhone: STORE, timeZone: 'Europe/Vienna'});
    const res = await postEvent(app.url, shop, escalation(EN));
    expect(res.json).toEqual({say: 'Let me transfer you to our team.', next_action: 'transfer', transfer_to: STORE});
  });

  it('without any phone, closed: nowhere to go, said as today', async () => {
    clock = SUNDAY_EVENING;
    const shop = await shopWith({storePhone: null});
    const res = await postEvent(app.url, shop, escalation(EN));
    expect(res.json).toEqual({say: expect.stringContaining("can't put you through to a person"), next_action: 'continue'});
    expect((await app.storage.listCallEvents(shop.shop))[0]!.result).toBe('nowhere');
  });
});

describe('lookup fallbacks by the clock', () => {
  // No access token: the shop must reconnect the app; waiting will not fix it, so no "try again".
  it.each([
    ['open: transfer to the store', MONDAY_MORNING, {}, EN,
      {say: "I'm sorry, I can't look up your order right now. Let me transfer you to our team.", next_action: 'transfer', transfer_to: STORE}],
    ['closed with an after-hours number', SUNDAY_EVENING, {afterHoursPhone: AFTER_HOURS}, DE,
      {say: 'Es tut mir leid, ich kann Ihre Bestellung gerade nicht abrufen. Wir haben gerade geschlossen, deshalb verbinde ich Sie mit unserer Nummer für Anrufe außerhalb der Öffnungszeiten.', next_action: 'transfer', transfer_to: AFTER_HOURS}],
    ['closed without, German', SUNDAY_EVENING, {}, DE,
      {say: 'Es tut mir leid, ich kann Ihre Bestellung gerade nicht abrufen. Unser Team ist morgen ab 9 Uhr wieder für Sie da.', next_action: 'continue'}],
    ['closed without, English', FRIDAY_EVENING, {}, EN,
      {say: "I'm sorry, I can't look up your order right now. Our team is back on Monday from 9 am.", next_action: 'continue'}],
  ] as const)('unavailable, %s', async (_what, at, patch, context, reply) => {
    clock = at;
    const shop = await shopWith({accessToken: null, ...patch});
    const res = await postEvent(app.url, shop, lookup('1001', context));
    expect(res.json).toEqual(reply);
  });

  it.each([
    ['closed with an after-hours number, English', {afterHoursPhone: AFTER_HOURS}, EN,
      {say: "I'm still waiting for our order system. We're closed right now, so I'll put you through to our after-hours line.", next_action: 'transfer', transfer_to: AFTER_HOURS}],
    ['closed without, German', {}, DE,
      {say: 'Ich warte noch auf eine Antwort unseres Bestellsystems, bitte fragen Sie mich in einem Moment noch einmal. Unser Team ist morgen ab 9 Uhr wieder für Sie da.', next_action: 'continue'}],
  ] as const)('Shopify slower than the budget, %s', async (_what, patch, context, reply) => {
    clock = SUNDAY_EVENING;
    const shop = await shopWith(patch);
    interceptShopifyGraphql([async () => (await sleep(700), [200, orderQueryResponse()])]);
    const res = await postEvent(app.url, shop, lookup('1001', context));
    expect(res.json).toEqual(reply);
  });

  it.each([
    // The stand-in app lacks read_all_orders: the caller hears that only 60 days are visible.
    ['open: offers the team', MONDAY_MORNING, {}, 'I can connect you with our team, or please check the number and tell me again.'],
    ['closed with an after-hours number: still offers a person', SUNDAY_EVENING, {afterHoursPhone: AFTER_HOURS}, 'I can connect you with our team, or please check the number and tell me again.'],
    ['closed without: offers nobody', SUNDAY_EVENING, {}, 'If your order is more recent, please check the number and tell me again.'],
  ] as const)('not found, %s', async (_what, at, patch, ending) => {
    clock = at;
    const shop = await shopWith(patch);
    interceptShopifyGraphql([[200, orderQueryResponse({orders: []})], [200, orderQueryResponse({orders: []})]]);
    const res = await postEvent(app.url, shop, lookup('4242', EN));
    expect(res.json.next_action).toBe('continue');
    expect(res.json.say).toMatch(new RegExp(`${ending.replace(/[.?]/g, '\\$&')}$`));
  });
});

describe('the apology after a handler failure, by the clock', () => {
  const failing = async () => {
    throw new Error('boom');
  };
  const table = {'intent.detected': failing, 'tool.invoked': failing, 'escalation.requested': failing, 'silence.detected': failing} as HandlerTable;
  const call = (shop: ShopRecord, locale: 'en' | 'de') => ({
    event: {event: 'silence.detected', call_id: 'c', occurred_at: new Date().toISOString(), context: {}} as never,
    shop, locale, deadline: performance.now() + 1000, log: createLogger('silent'),
  });

  it.each([
    ['open', MONDAY_MORNING, {}, 'en', {say: "I'm sorry, I can't check that right now. Let me transfer you to our team.", next_action: 'transfer', transfer_to: STORE}],
    ['closed with an after-hours number', SUNDAY_EVENING, {afterHoursPhone: AFTER_HOURS}, 'en',
      {say: "I'm sorry, I can't check that right now. We're closed right now, so I'll put you through to our after-hours line.", next_action: 'transfer', transfer_to: AFTER_HOURS}],
    ['closed without', SUNDAY_EVENING, {}, 'de',
      {say: 'Es tut mir leid, das kann ich gerade nicht prüfen. Unser Team ist morgen ab 9 Uhr wieder für Sie da.', next_action: 'continue'}],
  ] as const)('%s', async (_what, at, patch, locale, reply) => {
    const shop = await shopWith(patch);
    const answer = await dispatch(table, call(shop, locale), () => at);
    expect(answer).toMatchObject({reply, outcome: 'handler_error'});
  });
});
