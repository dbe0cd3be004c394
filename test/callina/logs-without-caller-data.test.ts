/**
 * The logger has no redaction pass (it cost a fifth of a warm call's CPU):
 * callers' data stays out of the logs because it is never handed to the
 * logger. This drives every kind of call, good and bad, with a caller's
 * number, name and order data, and reads every log line.
 */
import nock from 'nock';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {connectionReset, interceptShopifyGraphql, orderNode, orderQueryResponse, TEST_ACCESS_TOKEN, TEST_SHOP} from '../fixtures/shopify-orders.ts';
import {addShop, callinaEvent, postEvent} from '../helpers/callina.ts';
import {startTestApp, type TestApp} from '../helpers/test-app.ts';

const CALLER = {caller_phone: '+43660123456789', caller_name: 'Maria Steinhauser'};
const ORDER_PHONE = '+43660987654321';
let app: TestApp;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  app = await startTestApp({env: {LOOKUP_BUDGET_MS: '500'}});
});
afterAll(async () => {
  nock.cleanAll();
  nock.enableNetConnect();
  await app.close();
});

it('no caller number, name, order phone, secret, token or hook id reaches the log, whatever the call', async () => {
  const shop = await addShop(app.storage, {shop: TEST_SHOP, accessToken: TEST_ACCESS_TOKEN, storePhone: '+43662275124', verification: 'caller_phone'});
  const lookup = (n: string) => callinaEvent({params: {order_number: n}, context: CALLER});
  interceptShopifyGraphql([
    [200, orderQueryResponse({orders: [orderNode({phone: ORDER_PHONE})]})],
    [200, orderQueryResponse({orders: []})],
    [500, {errors: 'Internal Server Error'}],
    [500, {errors: 'Internal Server Error'}],
  ]);
  nock(`https://${TEST_SHOP}`).post(/graphql\.json$/).replyWithError(connectionReset());

  expect((await postEvent(app.url, shop, lookup('1001'))).status).toBe(200);
  expect((await postEvent(app.url, shop, lookup('1002'))).status).toBe(200);
  expect((await postEvent(app.url, shop, lookup('1003'))).status).toBe(200);
  expect((await postEvent(app.url, shop, lookup('1004'))).status).toBe(200);
  expect((await postEvent(app.url, shop, lookup('1005'), {secret: 'a-wrong-secret-0123456789'})).status).toBe(401);
  expect((await postEvent(app.url, shop, {...lookup('1006'), call_id: 42})).status).toBe(400);
  expect((await postEvent(app.url, shop, '{"context": {"caller_phone": "+43660123456789", "caller_name": "Maria Steinhauser"}')).status).toBe(400);
  expect((await postEvent(app.url, shop, callinaEvent({event: 'silence.detected', intent: undefined, params: undefined, silence_ms: 9000, context: CALLER}))).status).toBe(200);

  const all = app.logs.join('\n');
  expect(app.logs.length).toBeGreaterThanOrEqual(8);
  expect(all).toContain('+43**********89'); // the masked number is there, so the lines are the calls'
  for (const secret of ['660123456789', 'Steinhauser', 'Maria', '660987654321', shop.secret, shop.hookId, TEST_ACCESS_TOKEN]) {
    expect(all).not.toContain(secret);
  }
});
