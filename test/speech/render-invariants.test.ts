import {describe, expect, it} from 'vitest';
import type {
  FulfillmentProgress,
  OrderStatus,
  PaymentState,
  Shipment,
  ShipmentState,
} from '../../src/orders/order-status.ts';
import {LOCALES, type Locale} from '../../src/speech/locale.ts';
import {orderPhrases} from '../../src/speech/order-phrases.ts';
import {renderOrderStatus} from '../../src/speech/render-order.ts';
import {DAY, order, parcel, speechProblems} from './speech-fixtures.ts';

/**
 * Every state × every locale × dates around DST, the year end and the date
 * line: whatever the order looks like, Anna says at most two clean
 * sentences in the caller's language and nothing private.
 */

const FULFILLMENTS: FulfillmentProgress[] = [
  'unfulfilled', 'pending', 'open', 'in_progress', 'on_hold', 'scheduled', 'partially_fulfilled',
  'fulfilled', 'restocked', 'request_declined', 'not_required', 'unknown',
];
const PAYMENTS: PaymentState[] = [
  'pending', 'authorized', 'partially_paid', 'paid', 'partially_refunded', 'refunded', 'voided', 'expired', 'unknown',
];
const SHIPMENT_STATES: ShipmentState[] = [
  'label_created', 'label_voided', 'confirmed', 'submitted', 'in_transit', 'out_for_delivery',
  'attempted_delivery', 'delayed', 'failure', 'not_delivered', 'delivered', 'ready_for_pickup',
  'picked_up', 'fulfilled', 'canceled', 'unknown',
];

const ZONES = ['Europe/Vienna', 'America/New_York', 'Pacific/Kiritimati', 'Pacific/Pago_Pago'];
const CLOCKS = [
  new Date('2026-05-13T10:00:00Z'), // an ordinary Wednesday
  new Date('2026-03-29T22:30:00Z'), // just after Vienna's 23-hour day
  new Date('2026-11-01T05:30:00Z'), // New York's 25-hour day
  new Date('2026-12-31T23:30:00Z'), // already 2027 in Vienna, still 2026 in New York
];

const INVALID = new Date(Number.NaN);

/** shipped / estimate / delivered, in days from the clock (null: missing, NaN: invalid). */
const DATE_PROFILES: [number | null, number | null, number | null][] = [
  [-1, 1, null],
  [-4, null, -1],
  [-30, -20, -20],
  [-400, 300, -399],
  [0, 0, 0],
  [1, 8, null], // the shop's clock is ahead of ours
  [Number.NaN, Number.NaN, Number.NaN],
];

const TRACKING = '4711';
const CARRIERS = ['DHL', null, 'Other'];

function dateAt(now: Date, days: number | null): Date | null {
  if (days === null) return null;
  return Number.isNaN(days) ? INVALID : new Date(now.getTime() + days * DAY);
}

function parcelsFor(state: ShipmentState, now: Date): Shipment[] {
  // Carriers rotate through the profiles: every profile and every carrier, not every pair.
  return DATE_PROFILES.map(([shipped, estimate, delivered], i) =>
    parcel({
      state,
      carrier: CARRIERS[i % CARRIERS.length] ?? null,
      quantity: 1,
      trackingLast4: TRACKING,
      shippedAt: dateAt(now, shipped) ?? INVALID,
      estimatedDeliveryAt: dateAt(now, estimate),
      deliveredAt: dateAt(now, delivered),
    }),
  );
}

/** [verified, canTransfer]. */
const OPTION_PAIRS = [[false, false], [false, true], [true, false], [true, true]] as const;

/** Words about money: issue 9 defect 8 / issue 10, only a verified caller hears them. */
const MONEY_WORDS = /payment|refund|charged|amount|reserved|Zahlung|erstattet|abgebucht|Betrag|reserviert/i;

interface Checked {
  status: OrderStatus;
  now: Date;
}

/** Renders every variant of the options and returns what broke (empty when all is well). */
function problemsFor(cases: Checked[], locale: Locale): string[] {
  const problems: string[] = [];
  for (const {status, now} of cases) {
    for (const timeZone of ZONES) {
      for (const [verified, canTransfer] of OPTION_PAIRS) {
        const spokenName = 'ORD-12345';
        const text = renderOrderStatus(status, {locale, timeZone, now, spokenName, verified, canTransfer});
        const where = `${timeZone} ${now.toISOString()} verified=${verified}`;
        problems.push(...speechProblems(text, locale).map((p) => `${where}: ${p}`));
        if (!text.includes('O R D 1 2 3 4 5')) problems.push(`${where}: order number not spelled: ${text}`);
        const offer = orderPhrases(locale).paymentOffer(true) ?? '';
        if (!verified && MONEY_WORDS.test(text.replace(offer, ''))) problems.push(`${where}: money to an unverified caller: ${text}`);
        if (!canTransfer && /connect you|verbinde ich Sie/.test(text)) problems.push(`${where}: a transfer offered without a phone: ${text}`);
        if (!verified && /4 7 1 1|4711/.test(text)) problems.push(`${where}: tracking to an unverified caller: ${text}`);
        if (/\bOther\b/.test(text)) problems.push(`${where}: placeholder carrier spoken: ${text}`);
      }
    }
  }
  return problems;
}

describe.each(LOCALES.map((locale) => [locale] as const))('invariants in %s', (locale) => {
  it.each(FULFILLMENTS.map((f) => [f] as const))('no parcel, fulfillment %s × every payment, cancelled or not', (fulfillment) => {
    const cases = CLOCKS.flatMap((now) =>
      PAYMENTS.flatMap((payment) =>
        [null, new Date(now.getTime() - 2 * DAY), INVALID].map((cancelledAt) => ({
          now,
          status: order({fulfillment, payment, cancelledAt, shipments: []}),
        })),
      ),
    );
    expect(problemsFor(cases, locale)).toEqual([]);
  });

  it.each(SHIPMENT_STATES.map((s) => [s] as const))('one parcel %s × dates × carriers × order states', (state) => {
    const cases = CLOCKS.flatMap((now) =>
      parcelsFor(state, now).flatMap((p) =>
        (['fulfilled', 'partially_fulfilled'] as const).flatMap((fulfillment) =>
          (['paid', 'partially_refunded'] as const).map((payment) => ({
            now,
            status: order({fulfillment, payment, totalQuantity: 3, shipments: [p]}),
          })),
        ),
      ),
    );
    expect(problemsFor(cases, locale)).toEqual([]);
  });

  it.each(SHIPMENT_STATES.map((s) => [s] as const))('%s next to every other parcel state', (state) => {
    const now = CLOCKS[0] ?? new Date();
    const [first] = parcelsFor(state, now);
    const cases = SHIPMENT_STATES.flatMap((other) =>
      parcelsFor(other, now)
        .slice(0, 2)
        .flatMap((second) =>
          (['fulfilled', 'partially_fulfilled'] as const).map((fulfillment) => ({
            now,
            status: order({fulfillment, totalQuantity: 5, shipments: first ? [first, second, second] : [second]}),
          })),
        ),
    );
    expect(problemsFor(cases, locale)).toEqual([]);
  });
});
