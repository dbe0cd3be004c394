/**
 * The words on the call path under arbitrary input: the order-number
 * normaliser with any value and any shop format, and the renderer with
 * any OrderStatus — every state, any dates (invalid ones too), any
 * carrier text, counts, zones, clocks and options — and with whatever
 * Shopify may send (unknown enum values) through toOrderStatus. Nothing
 * throws, and nothing speaks a JS value or a raw enum.
 *
 * FUZZ_RUNS cases per property (default 300; `npm run fuzz` runs 20,000).
 */
import fc from 'fast-check';
import {afterAll, describe, expect, it} from 'vitest';
import {normalizeOrderNumber} from '../../src/orders/order-number.ts';
import type {FulfillmentProgress, OrderStatus, PaymentState, Shipment, ShipmentState} from '../../src/orders/order-status.ts';
import {toOrderStatus, type OrderNode} from '../../src/shopify/order-query.ts';
import {contactHint as contactHintField} from '../../src/shops/shop-fields.ts';
import {knownCarriers} from '../../src/speech/carriers.ts';
import {LOCALES} from '../../src/speech/locale.ts';
import {
  renderOrderStatus,
  sayNotFound,
  sayReconnectNeeded,
  sayStillChecking,
  sayUnavailable,
  spellOrderNumber,
} from '../../src/speech/render-order.ts';
import {countSentences, speechProblems} from '../speech/speech-fixtures.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
/** Rendering the richest cases takes a few milliseconds each. */
const TIMEOUT = {timeout: 20_000 + RUNS * 10};
let cases = 0;
afterAll(() => console.log(`speech fuzz: ${cases} cases`));

/** What Anna must never say: a JS value, an invalid date, an enum as written in code. */
const LEAKS = /\b(undefined|null|NaN|Invalid|Infinity)\b|\[object|\b[A-Z]{2,}_[A-Z0-9_]+\b|\b[a-z]+_[a-z_]+\b/;
const JS_WORDS = /\b(undefined|null|nan|invalid|infinity|object)\b|_/i;

const FULFILLMENTS: FulfillmentProgress[] = [
  'unfulfilled', 'pending', 'open', 'in_progress', 'on_hold', 'scheduled', 'partially_fulfilled', 'fulfilled', 'restocked',
  'request_declined', 'not_required', 'unknown',
];
const PAYMENTS: PaymentState[] = ['pending', 'authorized', 'partially_paid', 'paid', 'partially_refunded', 'refunded', 'voided', 'expired', 'unknown'];
const SHIPMENT_STATES: ShipmentState[] = [
  'label_created', 'label_voided', 'confirmed', 'submitted', 'in_transit', 'out_for_delivery', 'attempted_delivery', 'delayed',
  'failure', 'not_delivered', 'delivered', 'ready_for_pickup', 'picked_up', 'fulfilled', 'canceled', 'unknown',
];

// ---------------------------------------------------------------------------
// normalizeOrderNumber

const NUMBER_WORDS = ['one', 'two', 'zero', 'oh', 'double', 'triple', 'ten', 'twenty', 'eins', 'zwo', 'null', 'doppel', 'elf', 'einundzwanzig', 'hundred', 'tausend', 'order', 'Bestellung', 'Nr.', '#', '-', 'ORD'];
const spoken = fc.oneof(
  fc.anything({withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withNullPrototype: true}),
  fc.string({unit: 'grapheme', maxLength: 250}),
  fc.string({unit: 'binary', maxLength: 250}),
  fc.double(),
  fc.integer(),
  fc.array(fc.oneof(fc.constantFrom(...NUMBER_WORDS), fc.stringMatching(/^[0-9]{1,6}$/), fc.string({maxLength: 4})), {maxLength: 30}).chain((words) =>
    fc.constantFrom(' ', '', '-', ', ').map((sep) => words.join(sep)),
  ),
);
const shopFormat = fc.record({prefix: fc.oneof(fc.constantFrom('#', 'ORD-', '', 'EN', '2024-'), fc.string({maxLength: 8})), suffix: fc.oneof(fc.constantFrom('', '-A', '/DE'), fc.string({maxLength: 8}))});

describe('normalizeOrderNumber', () => {
  it('any value, any shop format: digits (at most 15) or undefined, never a throw', TIMEOUT, () => {
    fc.assert(
      fc.property(spoken, fc.option(shopFormat, {nil: undefined}), (value, format) => {
        cases++;
        const key = normalizeOrderNumber(value, format);
        if (key !== undefined) expect(key).toMatch(/^[0-9]{1,15}$/);
      }),
      {numRuns: RUNS},
    );
  });
});

// ---------------------------------------------------------------------------
// renderOrderStatus

/** Any date, from the far past to the far future, and invalid ones. */
const anyDate = fc.oneof(
  {weight: 4, arbitrary: fc.date({min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true})},
  {weight: 1, arbitrary: fc.date({noInvalidDate: false})},
);
const nearNow = (now: Date) => fc.integer({min: -400, max: 400}).map((days) => new Date(now.getTime() + days * 86_400_000 + (days % 7) * 3_600_000));

/** A carrier as a shop may type it: names, placeholders, punctuation, scripts; but never a name that is itself a JS word. */
const TABLE_NAMES = knownCarriers().flatMap((c) => c.names);
/** Names from the carrier table as integrations write them: any case, odd spacing and punctuation. */
const tableCarrier = fc
  .tuple(fc.constantFrom(...TABLE_NAMES), fc.constantFrom('as is', 'upper', 'lower', 'dashes', 'padded'))
  .map(([name, how]) =>
    how === 'upper' ? name.toUpperCase() : how === 'lower' ? name.toLowerCase() : how === 'dashes' ? name.replace(/ /g, '-') : `  ${name} `,
  );
const carrier = fc.oneof(
  fc.constant(null),
  tableCarrier,
  fc.constantFrom('DHL Express', 'Österreichische Post', 'UPS', 'Other', 'custom', '', '   ', 'GLS. Fast!', 'La Poste / Colissimo', '順豐速運', 'DPD\nGermany'),
  fc.string({unit: 'grapheme', maxLength: 40}).filter((s) => !JS_WORDS.test(s)),
  // Placeholders a buggy integration stores as text: said as nothing at all.
  fc.constantFrom('null', 'undefined', 'NaN', 'N/A', 'none', 'NULL'),
);
const tracking = fc.oneof(fc.constant(null), fc.string({maxLength: 30}), fc.stringMatching(/^[A-Z0-9]{4,24}$/));

const shipment = (now: Date): fc.Arbitrary<Shipment> =>
  fc.record({
    state: fc.constantFrom(...SHIPMENT_STATES),
    shippedAt: fc.oneof({weight: 3, arbitrary: nearNow(now)}, {weight: 1, arbitrary: anyDate}),
    inTransitAt: fc.option(fc.oneof({weight: 3, arbitrary: nearNow(now)}, {weight: 1, arbitrary: anyDate})),
    estimatedDeliveryAt: fc.option(fc.oneof({weight: 3, arbitrary: nearNow(now)}, {weight: 1, arbitrary: anyDate})),
    deliveredAt: fc.option(fc.oneof({weight: 3, arbitrary: nearNow(now)}, {weight: 1, arbitrary: anyDate})),
    carrier,
    quantity: fc.oneof(fc.integer({min: 0, max: 20}), fc.integer()),
    trackingLast4: tracking,
  });

const orderStatus = (now: Date): fc.Arbitrary<OrderStatus> =>
  fc.record({
    name: fc.constant('#1001'),
    createdAt: fc.oneof(nearNow(now), anyDate),
    cancelledAt: fc.option(fc.oneof(nearNow(now), anyDate), {freq: 4}),
    fulfillment: fc.constantFrom(...FULFILLMENTS),
    payment: fc.constantFrom(...PAYMENTS),
    totalQuantity: fc.oneof(fc.integer({min: 0, max: 30}), fc.integer()),
    shipments: fc.array(shipment(now), {maxLength: 6}),
    phone: fc.option(fc.constantFrom('+43660123456789', '+15551234567')),
  });

/** Contact hints the settings accept (validated with the real field rule), spoken as given. */
const hint = fc
  .oneof(fc.constantFrom('hello@shop.at', 'Montag bis Freitag 9 bis 17 Uhr unter 0662 275124', 'support at shop dot com.'), fc.string({unit: 'grapheme', maxLength: 60}))
  .map((h) => contactHintField.safeParse(h))
  .filter((r) => r.success)
  .map((r) => r.data as string);

const zones = Intl.supportedValuesOf('timeZone');
const renderCase = fc
  .oneof({weight: 9, arbitrary: fc.date({min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-01-01T00:00:00Z'), noInvalidDate: true})}, {weight: 1, arbitrary: anyDate})
  .chain((now) =>
    fc.record({
      now: fc.constant(now),
      status: orderStatus(Number.isNaN(now.getTime()) ? new Date('2026-05-13T10:00:00Z') : now),
      locale: fc.constantFrom(...LOCALES),
      timeZone: fc.oneof({weight: 9, arbitrary: fc.constantFrom(...zones)}, {weight: 1, arbitrary: fc.constantFrom('Mars/Olympus_Mons', '', 'UTC+2', 'europe/vienna')}),
      spokenName: fc
        .tuple(fc.constantFrom('#', 'ORD-', '', 'EN', 'Nr. '), fc.stringMatching(/^[1-9][0-9]{0,9}$/), fc.constantFrom('', '-A', '/DE'))
        .map((parts) => parts.join('')),
      verified: fc.boolean(),
      canTransfer: fc.boolean(),
      contactHint: fc.option(hint, {nil: null}),
      stale: fc.boolean(),
    }),
  );

describe('renderOrderStatus', () => {
  it('any OrderStatus, locale, zone and clock: words, never a throw, a JS value or an enum', TIMEOUT, () => {
    fc.assert(
      fc.property(renderCase, ({status, ...options}) => {
        cases++;
        const text = renderOrderStatus(status, options);
        expect(text.trim().length).toBeGreaterThan(0);
        // The merchant's contact hint is spoken as given ("hello_world@shop.at" is no leaked enum): judge our words only.
        expect(options.contactHint ? text.replaceAll(options.contactHint.trim().replace(/[.!?\s]+$/, ''), '') : text).not.toMatch(LEAKS);
        expect(text).toContain(spellOrderNumber(options.spokenName));
        expect(countSentences(text)).toBeLessThanOrEqual(2);
      }),
      {numRuns: RUNS},
    );
  });

  it('the lookup-level answers, for any order name and option', TIMEOUT, () => {
    fc.assert(
      fc.property(fc.constantFrom(...LOCALES), fc.stringMatching(/^[0-9]{0,15}$/), fc.boolean(), (locale, name, canTransfer) => {
        cases++;
        for (const text of [
          sayNotFound(locale, {spokenName: name, canTransfer}),
          sayNotFound(locale, {spokenName: name, canTransfer, olderHidden: true, contactHint: 'hello@shop.at'}),
          sayStillChecking(locale, {canTransfer}),
          sayUnavailable(locale, {canTransfer}),
          sayReconnectNeeded(locale, {canTransfer}),
        ]) {
          expect(text).not.toMatch(LEAKS);
          expect(text).not.toMatch(/\s{2,}|\s[.,]/);
        }
      }),
      {numRuns: RUNS},
    );
  });
});

// ---------------------------------------------------------------------------
// Issue 10: order numbers, carriers, overdue

describe('issue 10: order numbers are spelled', () => {
  it('any order name: only single letters and digits, separated by single spaces', TIMEOUT, () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({unit: 'grapheme', maxLength: 30}), fc.stringMatching(/^[#A-Z]{0,4}-?[0-9]{1,10}(-[A-Z]{1,3})?$/)), (name) => {
        cases++;
        const spelled = spellOrderNumber(name);
        expect(spelled).not.toMatch(/[\p{L}\p{N}]{2}|\s{2}|^\s|\s$/u);
      }),
      {numRuns: RUNS},
    );
  });
});

const DAY = 86_400_000;
const at = (now: Date, days: number) => new Date(now.getTime() + days * DAY);
const LATE = /running late|verspätet sich|verspäten sich/;

/** Orders that are late in one of the three ways, with any carrier from the table, any zone, any option. */
const overdueCase = fc
  .record({
    now: fc.date({min: new Date('2020-01-01T00:00:00Z'), max: new Date('2040-01-01T00:00:00Z'), noInvalidDate: true}),
    kind: fc.constantFrom('estimatePassed', 'labelIdle', 'unshipped'),
    daysLate: fc.integer({min: 3, max: 120}),
    carrier: fc.oneof(tableCarrier, fc.constant(null)),
    locale: fc.constantFrom(...LOCALES),
    timeZone: fc.constantFrom('Europe/Vienna', 'America/New_York', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'UTC'),
    verified: fc.boolean(),
    canTransfer: fc.boolean(),
    contactHint: fc.option(fc.constantFrom('hello@shop.at', 'Montag bis Freitag 9 bis 17 Uhr unter 0662 275124'), {nil: null}),
  })
  .map(({now, kind, daysLate, carrier: c, ...options}) => {
    const parcel: Shipment = {
      state: kind === 'labelIdle' ? 'label_created' : 'in_transit',
      shippedAt: at(now, -daysLate - 2),
      inTransitAt: kind === 'labelIdle' ? null : at(now, -daysLate - 2),
      estimatedDeliveryAt: kind === 'estimatePassed' ? at(now, -daysLate) : null,
      deliveredAt: null, carrier: c, quantity: 1, trackingLast4: null,
    };
    const status: OrderStatus = {
      name: '#1001', createdAt: at(now, kind === 'unshipped' ? -14 - daysLate : -daysLate - 3), cancelledAt: null,
      fulfillment: kind === 'unshipped' ? 'unfulfilled' : 'fulfilled', payment: 'paid', totalQuantity: 1,
      shipments: kind === 'unshipped' ? [] : [parcel], phone: null,
    };
    return {status, options: {...options, now, spokenName: '#1001'}};
  });

describe('issue 10: lateness is admitted, with the offer of help', () => {
  it('an estimate long passed, a label without movement, an order unshipped for weeks: said plainly, help offered where possible', TIMEOUT, () => {
    fc.assert(
      fc.property(overdueCase, ({status, options}) => {
        cases++;
        const text = renderOrderStatus(status, options);
        expect(text).toMatch(LATE);
        expect(speechProblems(text, options.locale)).toEqual([]);
        if (options.canTransfer) expect(text).toMatch(/connect you with our team|verbinde ich Sie gern mit unserem Team/);
        else if (options.contactHint) expect(text).toContain(options.contactHint);
        else expect(countSentences(text)).toBe(1);
      }),
      {numRuns: RUNS},
    );
  });
});

describe('issue 10: carriers from the table read as clean German and English', () => {
  it('any table name in any spelling, any parcel state: every invariant holds, never the raw spelling in capitals', TIMEOUT, () => {
    const now = new Date('2026-05-13T10:00:00Z');
    fc.assert(
      fc.property(tableCarrier, fc.constantFrom(...SHIPMENT_STATES), fc.constantFrom(...LOCALES), (name, state, locale) => {
        cases++;
        const status: OrderStatus = {
          name: 'ORD-12345', createdAt: at(now, -3), cancelledAt: null, fulfillment: 'fulfilled', payment: 'paid', totalQuantity: 1, phone: null,
          shipments: [{state, shippedAt: at(now, -1), inTransitAt: at(now, -1), estimatedDeliveryAt: at(now, 1), deliveredAt: at(now, 0), carrier: name, quantity: 1, trackingLast4: null}],
        };
        const text = renderOrderStatus(status, {locale, timeZone: 'Europe/Vienna', now, spokenName: status.name, verified: false});
        expect(speechProblems(text, locale)).toEqual([]);
        expect(text).not.toMatch(/DHL EXPRESS|\bdhl\b|Paketdienst (DHL|UPS|GLS|DPD)\b|mit (Österreichische|Deutsche|Schweizerische) Post/);
      }),
      {numRuns: RUNS},
    );
  });
});

// ---------------------------------------------------------------------------
// Shopify's JSON → OrderStatus → words

/** Shopify's enum strings, the ones we know and ones it may add. */
const shopifyEnum = (known: string[]) => fc.oneof(fc.constantFrom(...known), fc.stringMatching(/^[A-Z][A-Z_]{2,30}$/), fc.constant(null));
const isoDate = fc.date({min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true}).map((d) => d.toISOString());

const orderNode: fc.Arbitrary<OrderNode> = fc.record({
  name: fc.constant('#1001'),
  createdAt: isoDate,
  cancelledAt: fc.option(isoDate, {freq: 4}),
  displayFulfillmentStatus: shopifyEnum(['UNFULFILLED', 'FULFILLED', 'PARTIALLY_FULFILLED', 'IN_PROGRESS', 'ON_HOLD', 'RESTOCKED', 'SCHEDULED', 'FULFILLMENT_NOT_REQUIRED']).map((v) => v ?? 'UNFULFILLED'),
  displayFinancialStatus: shopifyEnum(['PAID', 'PENDING', 'AUTHORIZED', 'PARTIALLY_REFUNDED', 'REFUNDED', 'VOIDED', 'EXPIRED']),
  currentSubtotalLineItemsQuantity: fc.integer({min: 0, max: 50}),
  fulfillments: fc.array(
    fc.record({
      status: shopifyEnum(['SUCCESS', 'CANCELLED', 'ERROR', 'FAILURE', 'OPEN', 'PENDING']),
      displayStatus: shopifyEnum(['IN_TRANSIT', 'DELIVERED', 'OUT_FOR_DELIVERY', 'ATTEMPTED_DELIVERY', 'FAILURE', 'LABEL_PRINTED', 'CONFIRMED', 'READY_FOR_PICKUP', 'PICKED_UP', 'DELAYED', 'CANCELED']),
      createdAt: isoDate,
      estimatedDeliveryAt: fc.option(isoDate),
      inTransitAt: fc.option(isoDate),
      deliveredAt: fc.option(isoDate),
      totalQuantity: fc.integer({min: 0, max: 50}),
      trackingInfo: fc.array(fc.record({company: fc.option(fc.constantFrom('DHL Express', 'UPS', 'Other')), number: fc.option(fc.stringMatching(/^[A-Z0-9]{6,20}$/))}), {maxLength: 2}),
    }),
    {maxLength: 5},
  ),
}) as fc.Arbitrary<OrderNode>;

describe('Shopify order JSON → spoken answer', () => {
  it('enum values Shopify adds later are never read out', TIMEOUT, () => {
    fc.assert(
      fc.property(orderNode, fc.constantFrom(...LOCALES), fc.boolean(), (node, locale, verified) => {
        cases++;
        const text = renderOrderStatus(toOrderStatus(node, {withPhone: false}), {
          locale, timeZone: 'Europe/Vienna', now: new Date('2026-05-13T10:00:00Z'), spokenName: node.name, verified,
        });
        expect(text).not.toMatch(LEAKS);
      }),
      {numRuns: RUNS},
    );
  });
});
