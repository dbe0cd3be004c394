/**
 * npm run demo — a scripted phone call against the real service on its
 * embedded defaults (SQLite under ./data/demo, no network, no Shopify
 * account). Shopify is answered at the HTTP level by nock, exactly as in
 * the tests; everything between Callina's request and the spoken answer is
 * the production code path.
 */
import {createServer} from 'node:http';
import {createHmac} from 'node:crypto';
import {rmSync} from 'node:fs';
import nock from 'nock';
import {createApp} from '../src/app.ts';
import {CallReport} from '../src/callina/call-report.ts';
import {loadConfig} from '../src/config.ts';
import {createLogger} from '../src/log.ts';
import {parseWeeklyHours} from '../src/hours/schedule.ts';
import {localIsoDate} from '../src/hours/zoned-time.ts';
import {registerShop} from '../src/shops/shop-registry.ts';
import {openStorage} from '../src/storage/open-storage.ts';
import {callerOrder, customerNode, customersByPhoneResponse, ordersByEmailResponse} from '../test/fixtures/shopify-customers.ts';
import {fulfillmentNode, orderNode, orderQueryResponse, type OrderNodeJson} from '../test/fixtures/shopify-orders.ts';

const SHOP = 'anna-demo.myshopify.com';
const DATA_DIR = './data/demo';
const DAY = 86_400_000;
const at = (days: number, hour = 10) => new Date(Math.floor(Date.now() / DAY) * DAY + days * DAY + hour * 3_600_000).toISOString();

/** The demo shop's orders, dated relative to today so the answers read naturally. */
const ORDERS: Record<string, OrderNodeJson> = {
  '12345': orderNode({
    name: 'ORD-12345',
    fulfillments: [fulfillmentNode({displayStatus: 'IN_TRANSIT', createdAt: at(-1), estimatedDeliveryAt: at(1, 14), trackingInfo: [{company: 'Österreichische Post', number: '1042003412345'}]})],
  }),
  '12346': orderNode({
    name: 'ORD-12346',
    fulfillments: [fulfillmentNode({displayStatus: 'DELIVERED', createdAt: at(-4), deliveredAt: at(-1, 11), trackingInfo: [{company: 'DHL', number: '00340434161234567'}]})],
  }),
  '12347': orderNode({name: 'ORD-12347', displayFulfillmentStatus: 'UNFULFILLED', fulfillments: []}),
  '12348': orderNode({
    name: 'ORD-12348',
    displayFulfillmentStatus: 'PARTIALLY_FULFILLED',
    currentSubtotalLineItemsQuantity: 3,
    fulfillments: [fulfillmentNode({displayStatus: 'OUT_FOR_DELIVERY', createdAt: at(-2), totalQuantity: 2})],
  }),
  '12349': orderNode({name: 'ORD-12349', cancelledAt: at(-3), displayFinancialStatus: 'REFUNDED', displayFulfillmentStatus: 'UNFULFILLED', fulfillments: []}),
};
/** Callers without an order number: a German customer found by the number they call from, an English one by e-mail. */
const GERMAN_PHONE = '+4915112345678';
const SAM_EMAIL = 'sam.lee@example.com';
const DEMO_SHOP_FORMAT = {orderNumberFormatPrefix: 'ORD-', ianaTimezone: 'Europe/Vienna'};
function callerAnswer(query: string): object | undefined {
  if (query === `phone:"${GERMAN_PHONE}"`) {
    const parcel = fulfillmentNode({displayStatus: 'OUT_FOR_DELIVERY', createdAt: at(-1), estimatedDeliveryAt: at(0, 17), trackingInfo: [{company: 'DPD', number: '01505012345678'}]});
    return customersByPhoneResponse([customerNode(207119551, GERMAN_PHONE, [callerOrder({name: 'ORD-12351', createdAt: at(-3), fulfillments: [parcel]})])], DEMO_SHOP_FORMAT);
  }
  if (query.startsWith('phone:')) return customersByPhoneResponse([], DEMO_SHOP_FORMAT);
  if (query === `email:"${SAM_EMAIL}"`) {
    return ordersByEmailResponse(
      [
        callerOrder({name: 'ORD-12353', email: SAM_EMAIL, createdAt: at(-1), displayFulfillmentStatus: 'UNFULFILLED', fulfillments: []}),
        callerOrder({name: 'ORD-12352', email: SAM_EMAIL, createdAt: at(-6), fulfillments: [fulfillmentNode({createdAt: at(-5), estimatedDeliveryAt: at(2, 12)})]}),
      ],
      DEMO_SHOP_FORMAT,
    );
  }
  return query.startsWith('email:') ? ordersByEmailResponse([], DEMO_SHOP_FORMAT) : undefined;
}

/** This one makes Shopify answer slower than the caller's budget. */
const SLOW_ORDER = '12350';

function simulateShopify(): void {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  nock(`https://${SHOP}`)
    .persist()
    .post(/\/admin\/api\/2026-10\/graphql\.json$/)
    .reply(async (request: Request) => {
      const {variables} = (await request.json()) as {variables: {query: string}};
      const byCaller = callerAnswer(variables.query);
      if (byCaller) return [200, JSON.stringify(byCaller), {'Content-Type': 'application/json'}];
      const key = /(\d+)"?$/.exec(variables.query)?.[1] ?? '';
      if (key === SLOW_ORDER) await new Promise((r) => setTimeout(r, 2600));
      const order = ORDERS[key] ?? (key === SLOW_ORDER ? orderNode({name: `ORD-${SLOW_ORDER}`}) : undefined);
      const body = orderQueryResponse({shop: {orderNumberFormatPrefix: 'ORD-', ianaTimezone: 'Europe/Vienna'}, orders: order ? [order] : []});
      return [200, JSON.stringify(body), {'Content-Type': 'application/json'}];
    });
}

interface Turn {
  caller: string;
  says: string;
  event: Record<string, unknown>;
  /** Wait this long first (Callina retries a timed-out event after its own 2.5 s). */
  pauseMs?: number;
  /** The merchant changes a setting first; returns what to print about it. */
  before?: (storage: Storage) => Promise<string>;
}

type Storage = Awaited<ReturnType<typeof openStorage>>;

/** Today is a holiday in Vienna: the team is back tomorrow at 9, whatever the hour the demo runs. */
async function closedToday(storage: Storage): Promise<string> {
  const hours = parseWeeklyHours('Mon-Sun 09:00-17:00');
  if (!hours.ok) throw new Error(hours.error.message);
  const today = localIsoDate(new Date(), 'Europe/Vienna');
  await storage.updateShop(SHOP, {timeZone: 'Europe/Vienna', businessHours: hours.value, closedDates: [today]});
  return `(the merchant sets business hours Mon-Sun 09:00-17:00 and closes today, ${today})`;
}

async function afterHoursLine(storage: Storage): Promise<string> {
  await storage.updateShop(SHOP, {afterHoursPhone: '+436641234567'});
  return '(the merchant adds an after-hours phone, +43 664 1234567)';
}

const english = {caller_phone: '+14155550123'};
const austrian = {caller_phone: '+43660123456789'};
const lookup = (orderNumber: string, context: object) => ({event: 'intent.detected', intent: 'lookup_order', params: {order_number: orderNumber}, context});

const SCRIPT: Turn[] = [
  {caller: 'English caller', says: 'Where is my order ORD-12345?', event: lookup('ORD-12345', english)},
  {caller: 'English caller', says: 'And ORD-12345 again?', event: lookup('ord 12345', english)},
  {caller: 'English caller', says: 'What about one two three four six?', event: lookup('one two three four six', english)},
  {caller: 'Austrian caller', says: 'Wo ist meine Bestellung ORD-12345?', event: lookup('ORD-12345', austrian)},
  {caller: 'Austrian caller', says: 'Und Bestellung eins zwo drei vier sieben?', event: lookup('eins zwo drei vier sieben', austrian)},
  {caller: 'Austrian caller', says: 'Und 12348?', event: {...lookup('12348', austrian), event: 'tool.invoked', tool: 'lookup_order', intent: undefined}},
  {caller: 'Austrian caller', says: 'Was ist mit ORD-12349?', event: lookup('ORD-12349', austrian)},
  {caller: 'English caller', says: 'My order is 99999.', event: lookup('99999', english)},
  {caller: 'German caller', says: 'Ich habe meine Bestellnummer nicht zur Hand.', event: lookup('', {caller_phone: GERMAN_PHONE})},
  {
    caller: 'English caller',
    says: "I don't have the number. My email is sam dot lee at example dot com.",
    event: {event: 'tool.invoked', tool: 'lookup_order', params: {email: 'sam dot lee at example dot com'}, context: english},
  },
  {caller: 'English caller', says: 'Order 12350, please.', event: lookup('12350', english)},
  {caller: 'Callina', says: '(retries the same question after its 2.5 s timeout)', event: lookup('12350', english), pauseMs: 700},
  {caller: 'English caller', says: '(silence)', event: {event: 'silence.detected', silence_ms: 9400, context: english}},
  {caller: 'Austrian caller', says: 'Kann ich bitte mit jemandem sprechen?', event: {event: 'escalation.requested', reason: 'caller_request', context: austrian}},
  {caller: 'Austrian caller', says: 'Kann ich bitte mit jemandem sprechen?', event: {event: 'escalation.requested', reason: 'caller_request', context: austrian}, before: closedToday},
  {caller: 'English caller', says: 'Can I talk to someone, please?', event: {event: 'escalation.requested', reason: 'caller_request', context: english}, before: afterHoursLine},
];

async function main(): Promise<void> {
  rmSync(DATA_DIR, {recursive: true, force: true});
  const config = loadConfig({...process.env, DATABASE_URL: `sqlite:${DATA_DIR}/callina.sqlite`, LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent'});
  const log = createLogger(config.logLevel);
  const storage = await openStorage({databaseUrl: config.databaseUrl, encryptionKey: config.encryptionKey, log});
  const shop = await registerShop(storage, {shop: SHOP, accessToken: 'shpat_demo_custom_app_token', storePhone: '+43662275124', defaultLanguage: 'de'});
  simulateShopify();

  const report = new CallReport({storage, log});
  const server = createServer(createApp({config, storage, log, report}).callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as {port: number};
  const url = `http://127.0.0.1:${port}/callina/${shop.hookId}`;

  console.log(`Demo shop ${SHOP} (Europe/Vienna, store phone +43 662 275124); budget ${config.lookupBudgetMs} ms.`);
  console.log(`Callina posts signed events to ${url.replace(shop.hookId, '<hook id>')}\n`);
  let n = 0;
  for (const turn of SCRIPT) {
    if (turn.pauseMs) await new Promise((r) => setTimeout(r, turn.pauseMs));
    if (turn.before) console.log(`${await turn.before(storage)}\n`);
    const body = JSON.stringify({call_id: `call_demo_${++n}`, occurred_at: new Date().toISOString(), ...turn.event});
    const signature = `sha256=${createHmac('sha256', shop.secret).update(body).digest('hex')}`;
    const started = performance.now();
    const res = await fetch(url, {method: 'POST', headers: {'content-type': 'application/json', 'x-callina-signature': signature}, body});
    const reply = (await res.json()) as {say?: string; next_action: string; transfer_to?: string};
    const ms = (performance.now() - started).toFixed(1);
    console.log(`${turn.caller}: ${turn.says}`);
    console.log(`  → ${turn.event.event}${turn.event.intent ? ` ${turn.event.intent}` : ''}${turn.event.tool ? ` ${turn.event.tool}` : ''}`);
    console.log(`  Anna: ${reply.say ?? '(keeps listening)'}`);
    console.log(`  next: ${reply.next_action}${reply.transfer_to ? ` to ${reply.transfer_to}` : ''} · HTTP ${res.status} · ${ms} ms\n`);
  }
  const events = await storage.listCallEvents(SHOP);
  console.log(`Recorded for the merchant: ${events.map((e) => `${e.kind}${e.result ? ` → ${e.result}` : ''} (${e.callerPhoneMasked})`).join(', ')}`);
  await report.close();
  const [today] = await storage.getReport(SHOP, localIsoDate(new Date(), 'Europe/Vienna'), localIsoDate(new Date(), 'Europe/Vienna'));
  console.log(`Today's call report: ${JSON.stringify(today ?? {})}`);

  server.closeAllConnections();
  server.close();
  await storage.close();
  nock.cleanAll();
  nock.restore();
}

await main();
