import nock from 'nock';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {
  fulfillmentNode,
  interceptShopifyGraphql,
  orderNode,
  orderQueryResponse,
  TEST_ACCESS_TOKEN,
  TEST_SHOP,
} from '../fixtures/shopify-orders.ts';
import {addShop, callinaEvent, postEvent} from '../helpers/callina.ts';
import {startTestApp, type TestApp} from '../helpers/test-app.ts';
import {dispatch, type HandlerTable} from '../../src/callina/dispatch.ts';
import {parseWeeklyHours} from '../../src/hours/schedule.ts';
import {createLogger} from '../../src/log.ts';
import type {ShopRecord} from '../../src/storage/storage.ts';

/**
 * Issue 10 and issue 9 defect 8 through the real endpoint: Shopify answers
 * through nock with realistic payloads, the shop's settings come from
 * SQLite, and what the caller hears is read from the HTTP reply.
 */

/** Friday 2026-05-08, 16:32 in Vienna. */
const NOW = new Date('2026-05-08T14:32:55Z');
const ORDER_PHONE = '+43 660 1234567';
const MONEY = /payment|refund|charged|amount|Zahlung|erstattet|abgebucht|Betrag/i;

let app: TestApp;
let shop: ShopRecord;

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterAll(() => nock.enableNetConnect());

beforeEach(async () => {
  app = await startTestApp({deps: {speechNow: () => NOW}});
  shop = await addShop(app.storage, {shop: TEST_SHOP, accessToken: TEST_ACCESS_TOKEN, storePhone: '+43662275124'});
});
afterEach(async () => {
  nock.cleanAll();
  await app.close();
});

const ask = (context: Record<string, unknown>, orderNumber = '1001') =>
  postEvent(app.url, shop, callinaEvent({params: {order_number: orderNumber}, context}));

/** Cancelled yesterday, paid, not refunded: money a stranger must not hear about. */
const cancelledPaid = () =>
  orderQueryResponse({
    orders: [orderNode({phone: ORDER_PHONE, cancelledAt: '2026-05-07T09:00:00Z', displayFinancialStatus: 'PAID', displayFulfillmentStatus: 'UNFULFILLED', fulfillments: []})],
  });

describe('issue 9 defect 8: what "caller verification" means', () => {
  it('caller_phone, number does not match: the status, no payment details, and a transfer offered for payment questions', async () => {
    shop = (await app.storage.updateShop(TEST_SHOP, {verification: 'caller_phone'}))!;
    interceptShopifyGraphql([[200, cancelledPaid()]]);
    const stranger = await ask({caller_phone: '+436609999999', language: 'en'});
    expect(stranger.json.say).toBe('Your order 1 0 0 1 was cancelled yesterday. For questions about the payment, I can connect you with our team.');
    expect(stranger.json.say.replace(/For questions about the payment[^.]*\./, '')).not.toMatch(MONEY);
  });

  it('caller_phone, number matches: the payment state too', async () => {
    shop = (await app.storage.updateShop(TEST_SHOP, {verification: 'caller_phone'}))!;
    interceptShopifyGraphql([[200, cancelledPaid()]]);
    const owner = await ask({caller_phone: '+436601234567', language: 'de'});
    expect(owner.json.say).toBe('Ihre Bestellung 1 0 0 1 wurde gestern storniert. Die Zahlung wurde Ihnen noch nicht erstattet.');
  });

  it('caller_phone: "0043 …" and "+43 …" are one number, so the owner dialling the international prefix is verified too', async () => {
    shop = (await app.storage.updateShop(TEST_SHOP, {verification: 'caller_phone'}))!;
    interceptShopifyGraphql([[200, cancelledPaid()], [200, cancelledPaid()], [200, cancelledPaid()]]);
    const verified = 'Ihre Bestellung 1 0 0 1 wurde gestern storniert. Die Zahlung wurde Ihnen noch nicht erstattet.';
    // The order's phone is "+43 660 1234567"; the carrier delivers the caller's number in either spelling.
    expect((await ask({caller_phone: '00436601234567', language: 'de'})).json.say).toBe(verified);
    expect((await ask({caller_phone: '0043 660 123 4567', language: 'de'})).json.say).toBe(verified);
    // A national number has no country: it is not guessed, so the caller is not verified.
    expect((await ask({caller_phone: '0660 1234567', language: 'de'})).json.say).toBe(
      'Ihre Bestellung 1 0 0 1 wurde gestern storniert. Bei Fragen zur Zahlung verbinde ich Sie gern mit unserem Team.',
    );
  });

  it('mode none: nobody is verified, so nobody hears payment details, and without a phone nothing is offered', async () => {
    shop = (await app.storage.updateShop(TEST_SHOP, {storePhone: null}))!;
    interceptShopifyGraphql([[200, cancelledPaid()]]);
    const res = await ask({caller_phone: '+436601234567', language: 'en'});
    expect(res.json.say).toBe('Your order 1 0 0 1 was cancelled yesterday.');
  });
});

describe('issue 10: the merchant\'s contact hint, spoken as given', () => {
  const hint = 'Montag bis Freitag 9 bis 17 Uhr unter 0662 275124';

  it('offered with a problem when no transfer is possible', async () => {
    shop = (await app.storage.updateShop(TEST_SHOP, {storePhone: null, contactHint: hint}))!;
    interceptShopifyGraphql([[200, orderQueryResponse({orders: [orderNode({fulfillments: [fulfillmentNode({displayStatus: 'FAILURE', trackingInfo: [{company: 'Österreichische Post', number: null}]})]})]})]]);
    const res = await ask({caller_phone: '+436601234567'});
    expect(res.json).toEqual({
      say: `Leider konnte die Österreichische Post Ihre Bestellung 1 0 0 1 nicht zustellen. Unser Team hilft Ihnen gern weiter: ${hint}.`,
      next_action: 'continue',
    });
  });

  it('offered by an escalation without a store phone', async () => {
    shop = (await app.storage.updateShop(TEST_SHOP, {storePhone: null, contactHint: 'hello@shop.at'}))!;
    const res = await postEvent(app.url, shop, callinaEvent({event: 'escalation.requested', intent: undefined, params: undefined, context: {language: 'en'}}));
    expect(res.json).toEqual({
      say: "I'm sorry, I can't put you through to a person right now. Our team is happy to help: hello@shop.at.",
      next_action: 'continue',
    });
  });
});

describe('issues 10 and 12: the contact hint while the shop is closed, in "our" voice', () => {
  /** Open Mon–Fri 9–17, but today (Friday 8 May) is a closed date: back on Monday at 9, nobody to put through to. */
  const closedToday = async (contactHint: string) => {
    const hours = parseWeeklyHours('Mon-Fri 09:00-17:00');
    if (!hours.ok) throw new Error('bad schedule');
    shop = (await app.storage.updateShop(TEST_SHOP, {businessHours: hours.value, closedDates: ['2026-05-08'], contactHint}))!;
  };

  it('a caller who asks for a person hears when the team is back and the hint, in two sentences', async () => {
    await closedToday('hello@shop.at');
    const res = await postEvent(app.url, shop, callinaEvent({event: 'escalation.requested', intent: undefined, params: undefined, context: {language: 'en'}}));
    expect(res.json).toEqual({
      say: "I'm sorry, I can't put you through right now. Our team is back on Monday from 9 am, and you can also reach us here: hello@shop.at.",
      next_action: 'continue',
    });
  });

  it('a lookup that cannot be answered (the shop must reconnect): no "try again", when the team is back, and the hint', async () => {
    await closedToday('Montag bis Freitag 9 bis 17 Uhr unter 0662 275124');
    shop = (await app.storage.updateShop(TEST_SHOP, {accessToken: null, connection: 'needs_reconnect'}))!;
    const res = await ask({language: 'de'});
    expect(res.json).toEqual({
      say: 'Es tut mir leid, ich kann Ihre Bestellung gerade nicht abrufen. Unser Team ist am Montag ab 9 Uhr wieder für Sie da, und Sie erreichen uns auch so: Montag bis Freitag 9 bis 17 Uhr unter 0662 275124.',
      next_action: 'continue',
    });
  });

  it('the apology after a handler failure carries the hint too', async () => {
    await closedToday('hello@shop.at');
    const failing = async () => {
      throw new Error('boom');
    };
    const table = {'intent.detected': failing, 'tool.invoked': failing, 'escalation.requested': failing, 'silence.detected': failing} as HandlerTable;
    const event = {event: 'intent.detected', call_id: 'c', occurred_at: NOW.toISOString(), context: {}} as never;
    const answer = await dispatch(table, {event, shop, locale: 'en', deadline: performance.now() + 1000, log: createLogger('silent')}, () => NOW);
    expect(answer.reply).toEqual({
      say: "I'm sorry, I can't check that right now. Our team is back on Monday from 9 am, and you can also reach us here: hello@shop.at.",
      next_action: 'continue',
    });
  });
});

describe('issue 10: false advice', () => {
  it('not found, and the app lacks read_all_orders: older orders cannot be looked up here, the team is offered', async () => {
    interceptShopifyGraphql([[200, orderQueryResponse({orders: []})], [200, orderQueryResponse({orders: []})]]);
    const res = await ask({language: 'en'}, '4711');
    expect(res.json.say).toBe(
      "I couldn't find an order with the number 4 7 1 1, but I can only see orders from the last 60 days. For an older order, I can connect you with our team, or please check the number and tell me again.",
    );
  });

  it('not found, and the app reads all orders: just "please check the number"', async () => {
    const scopes = ['read_orders', 'read_all_orders'];
    interceptShopifyGraphql([[200, orderQueryResponse({orders: [], scopes})], [200, orderQueryResponse({orders: [], scopes})]]);
    const res = await ask({language: 'en'}, '4711');
    expect(res.json.say).toBe("I couldn't find an order with the number 4 7 1 1. Please check the number and tell me again, or I can connect you with our team.");
  });

  it('a shop that must reconnect is not told to "try again later"', async () => {
    shop = (await app.storage.updateShop(TEST_SHOP, {accessToken: null, connection: 'needs_reconnect', storePhone: null}))!;
    const res = await ask({language: 'de'});
    expect(res.json).toEqual({say: 'Es tut mir leid, ich kann Ihre Bestellung gerade nicht abrufen.', next_action: 'continue'});
  });
});

describe('issue 10: dates for callers from +1 numbers', () => {
  it('an American caller hears the month first', async () => {
    interceptShopifyGraphql([[200, orderQueryResponse({orders: [orderNode({fulfillments: [fulfillmentNode({estimatedDeliveryAt: '2026-05-28T16:00:00Z'})]})]})]]);
    const res = await ask({caller_phone: '+15551234567'});
    expect(res.json.say).toBe('Your order 1 0 0 1 was shipped yesterday with DHL Express and should arrive on May 28.');
  });

  it('"en" with a +1 number is American too; with a +44 number British', async () => {
    const answer = () => orderQueryResponse({orders: [orderNode({fulfillments: [fulfillmentNode({estimatedDeliveryAt: '2026-05-28T16:00:00Z'})]})]});
    interceptShopifyGraphql([[200, answer()]]);
    expect((await ask({caller_phone: '+15551234567', language: 'en'})).json.say).toMatch(/on May 28\.$/);
    expect((await ask({caller_phone: '+447700900123', language: 'en'})).json.say).toMatch(/on 28 May\.$/);
  });
});
