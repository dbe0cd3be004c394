/**
 * Fault drills: every way Shopify fails, on a cold cache and with an
 * expired answer in the cache, through the real app over HTTP. Each
 * drill asserts what a caller on the phone gets — an HTTP 200 within the
 * budget (+ 50 ms), words that fit the situation, the right next action —
 * that nothing rejects unhandled, and that the next call is served
 * normally once Shopify is back.
 */
import nock from 'nock';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {
  connectionReset,
  INVALID_TOKEN_BODY,
  orderNode,
  orderQueryResponse,
  sleep,
  TEST_ACCESS_TOKEN,
  TEST_SHOP,
  throttledResponse,
} from '../fixtures/shopify-orders.ts';
import {addShop, callinaEvent, postEvent} from '../helpers/callina.ts';
import {startTestApp, type TestApp} from '../helpers/test-app.ts';
import type {ShopRecord} from '../../src/storage/storage.ts';
import {ANSWER_SLACK_MS} from '../helpers/answer-slack.ts';

const BUDGET_MS = 300;
/** Our own timeout of one Shopify request: longer than the budget, as in production. */
const SHOPIFY_TIMEOUT_MS = 600;
const STORE_PHONE = '+43662275124';
/** Friday 2026-05-08 in Vienna: the fixture's parcel left on Thursday and arrives on Monday. */
const NOW = new Date('2026-05-08T14:32:55Z');
const ENGLISH_CALLER = {caller_phone: '+15551234567'};

const spelled = (n: number) => String(n).split('').join(' ');
const shipped = (n: number) => `Your order ${spelled(n)} was shipped yesterday with DHL Express and should arrive on Monday.`;
/** An expired answer, served while Shopify fails, says so. */
const shippedAsOfLastUpdate = (n: number) =>
  `Your order ${spelled(n)} was shipped yesterday with DHL Express and should arrive on Monday, as of the last update.`;
/** The words for "Shopify cannot be reached" and "Shopify is too slow", with and without a person to take over. */
const UNAVAILABLE = /^I'm sorry, I can't reach our order system right now\./;
const STILL_WAITING = /^I'm still waiting for our order system\./;
/** Access revoked: waiting will not help, so no "try again later". */
const RECONNECT = /^I'm sorry, I can't look up your order right now\./;
const HANDS_OVER = /Let me transfer you to our team\.$/;

type Fault = {
  name: string;
  /** Makes every request to the shop's GraphQL endpoint fail this way until nock is cleaned. */
  install(interceptor: nock.Interceptor): void;
  /** What a caller hears when there is nothing cached. */
  coldWords: RegExp;
  /** Whether an expired answer may still be spoken (not once the merchant revoked our access). */
  speaksStale: boolean;
};

/** Hanging replies wait here, so none outlives its test by more than the cleanup. */
let releaseHanging: () => void = () => {};
let hanging = new Promise<void>((resolve) => (releaseHanging = resolve));

const FAULTS: Fault[] = [
  {
    name: 'hanging (longer than SHOPIFY_TIMEOUT_MS)',
    install: (scope) =>
      scope.reply(async () => {
        await Promise.race([hanging, sleep(5 * SHOPIFY_TIMEOUT_MS)]);
        return [200, JSON.stringify(orderQueryResponse())];
      }),
    coldWords: STILL_WAITING,
    speaksStale: true,
  },
  {name: 'HTTP 500', install: (scope) => scope.reply(500, {errors: 'Internal Server Error'}), coldWords: UNAVAILABLE, speaksStale: true},
  {name: 'HTTP 502', install: (scope) => scope.reply(502, '<html>Bad Gateway</html>', {'Content-Type': 'text/html'}), coldWords: UNAVAILABLE, speaksStale: true},
  {name: 'HTTP 503', install: (scope) => scope.reply(503, {errors: 'Service Unavailable'}), coldWords: UNAVAILABLE, speaksStale: true},
  {name: 'connection reset', install: (scope) => scope.replyWithError(connectionReset()), coldWords: UNAVAILABLE, speaksStale: true},
  {
    name: 'THROTTLED (bucket refills after the budget)',
    install: (scope) => scope.reply(200, throttledResponse({requestedQueryCost: 212, currentlyAvailable: 12, restoreRate: 100})),
    coldWords: UNAVAILABLE,
    speaksStale: true,
  },
  {name: 'malformed JSON', install: (scope) => scope.reply(200, '{"data": {"shop": ', {'Content-Type': 'application/json'}), coldWords: UNAVAILABLE, speaksStale: true},
  // A revoked token: the merchant uninstalled the app or rotated the token. Their orders are no longer ours to read out.
  {name: 'revoked token (401)', install: (scope) => scope.reply(401, INVALID_TOKEN_BODY), coldWords: RECONNECT, speaksStale: false},
];

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);

let app: TestApp;
let shop: ShopRecord;
/** Requests the fault made Shopify answer (the interceptor counts them). */
let faultRequests = 0;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  process.on('unhandledRejection', onUnhandled);
  // One ordinary call first: the budget is about a running service, not about loading its modules.
  await start(STORE_PHONE);
  healthyShopify(1000);
  expect((await ask(1000)).json.say).toBe(shipped(1000));
  await app.close();
});
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
  nock.enableNetConnect();
});
afterEach(async () => {
  nock.cleanAll();
  releaseHanging();
  hanging = new Promise<void>((resolve) => (releaseHanging = resolve));
  await app.close();
});

async function start(storePhone: string | null): Promise<void> {
  app = await startTestApp({
    env: {LOOKUP_BUDGET_MS: String(BUDGET_MS), SHOPIFY_TIMEOUT_MS: String(SHOPIFY_TIMEOUT_MS), ORDER_TTL_ACTIVE_SECONDS: '1'},
    deps: {speechNow: () => NOW},
  });
  shop = await addShop(app.storage, {shop: TEST_SHOP, accessToken: TEST_ACCESS_TOKEN, storePhone});
}

const ask = (orderNumber: number) => postEvent(app.url, shop, callinaEvent({params: {order_number: String(orderNumber)}, context: ENGLISH_CALLER}));

/** Shopify answering one request for order #n normally. */
function healthyShopify(n: number): void {
  nock(`https://${TEST_SHOP}`)
    .post(/^\/admin\/api\/[^/]+\/graphql\.json$/)
    .reply(200, orderQueryResponse({orders: [orderNode({name: `#${n}`})]}));
}

function failingShopify(fault: Fault): void {
  faultRequests = 0;
  const scope = nock(`https://${TEST_SHOP}`).persist();
  scope.on('request', () => faultRequests++);
  fault.install(scope.post(/^\/admin\/api\/[^/]+\/graphql\.json$/));
}

const failuresLogged = () => app.logs.filter((line) => line.includes('"msg":"Shopify lookup failed"')).length;

async function waitFor(condition: () => boolean, timeoutMs = 2 * SHOPIFY_TIMEOUT_MS): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > until) throw new Error('timed out waiting for the drill to settle');
    await sleep(10);
  }
}

/** The answer any drill must give: a 200 in time, no unhandled rejection later. */
function expectInTime(res: {status: number; ms: number}): void {
  expect(res.status).toBe(200);
  expect(res.ms).toBeLessThan(BUDGET_MS + ANSWER_SLACK_MS);
}

/** Shopify is back: a new order is looked up and spoken; the background work of the drill settles without a stray rejection. */
async function expectNextCallServed(next: number): Promise<void> {
  nock.cleanAll();
  healthyShopify(next);
  const res = await ask(next);
  expect(res.status).toBe(200);
  expect(res.json).toEqual({say: shipped(next), next_action: 'continue'});
  // Every Shopify request the drill started has ended (our own timeout ends a hanging one) and was logged.
  await waitFor(() => failuresLogged() >= faultRequests);
  expect(unhandled).toEqual([]);
  expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
}

describe.each(FAULTS)('Shopify fault: $name', (fault) => {
  it('cold cache: an apology in time and a transfer to the store', async () => {
    await start(STORE_PHONE);
    failingShopify(fault);
    const res = await ask(1001);
    expectInTime(res);
    expect(res.json).toEqual({say: expect.stringMatching(fault.coldWords), next_action: 'transfer', transfer_to: STORE_PHONE});
    expect(res.json.say).toMatch(HANDS_OVER);
    expect(faultRequests).toBeGreaterThanOrEqual(1);
    await expectNextCallServed(1002);
  });

  it('cold cache, no store phone: the caller stays with Anna and is told what to do', async () => {
    await start(null);
    failingShopify(fault);
    const res = await ask(1001);
    expectInTime(res);
    expect(res.json).toEqual({say: expect.stringMatching(fault.coldWords), next_action: 'continue'});
    expect(res.json.say).not.toMatch(/transfer|connect you/i);
    // Issue 10, false advice: "try again" only where waiting can help.
    if (fault.coldWords === RECONNECT) expect(res.json.say).not.toMatch(/again|later/i);
    else expect(res.json.say).toMatch(/again/i);
    await expectNextCallServed(1002);
  });

  it(`expired answer in the cache: ${fault.speaksStale ? 'the last known status is spoken' : 'not spoken; a transfer instead'}`, async () => {
    await start(STORE_PHONE);
    healthyShopify(1001);
    expect((await ask(1001)).json.say).toBe(shipped(1001));
    await sleep(1_050); // ORDER_TTL_ACTIVE_SECONDS=1: the answer has expired, and stays in the cache as a fallback

    failingShopify(fault);
    const res = await ask(1001);
    expectInTime(res);
    expect(faultRequests).toBeGreaterThanOrEqual(1); // it was expired: Shopify was asked
    if (fault.speaksStale) {
      expect(res.json).toEqual({say: shippedAsOfLastUpdate(1001), next_action: 'continue'});
    } else {
      expect(res.json).toEqual({say: expect.stringMatching(RECONNECT), next_action: 'transfer', transfer_to: STORE_PHONE});
      expect((await app.storage.getShop(TEST_SHOP))!.connection).toBe('needs_reconnect');
    }
    await expectNextCallServed(1002);
  });
});
