import type {OrderStatus, Shipment} from '../orders/order-status.ts';
import {sayCallerOrders, type CallerSource} from './caller-lookup-phrases.ts';
import {sayAfterHoursTransfer, sayClosedNow, sayLeadThenTeamBack, type HandoffLead} from './hours-phrases.ts';
import type {Locale} from './locale.ts';
import {phrase, sayNoTransfer} from './phrases.ts';
import {
  renderOrderStatus,
  sayNoOrderNumber,
  sayNotFound,
  sayReconnectNeeded,
  sayStillChecking,
  sayUnavailable,
  type RenderOptions,
} from './render-order.ts';

/**
 * Every situation Anna has words for, as one list: the source of the
 * generated speech table (docs/speech.md, `npm run speech-table`), whose
 * test fails when a wording changed and the table was not regenerated, so
 * every wording change shows up in review as a diff of sentences.
 *
 * To add sentences, append entries to SPEECH_SITUATIONS: a group, a name,
 * and `say(locale, clock)`.
 */

export interface SpeechClock {
  /** The shop's zone. */
  timeZone: string;
  now: Date;
}

export interface SpeechSituation {
  /** Section of the table, e.g. "Shipped", "Lookup answers". */
  group: string;
  /** What is going on, as a reviewer reads it. Unique. */
  name: string;
  say(locale: Locale, clock: SpeechClock): string;
}

/** The table's pinned clock: Wednesday 13 May 2026, 12:00 in Vienna. */
export const TABLE_CLOCK: SpeechClock = Object.freeze({timeZone: 'Europe/Vienna', now: new Date('2026-05-13T10:00:00Z')});
/** The locales of the table (plain "de" speaks as de-DE). */
export const TABLE_LOCALES: readonly Locale[] = ['en', 'en-US', 'de-DE', 'de-AT', 'de-CH'];

const DAY = 86_400_000;
const HOUR = 3_600_000;
const HINT_EN = 'hello@shop.at';
const HINT_DE = 'Montag bis Freitag 9 bis 17 Uhr unter 0662 275124';

type Days = (offset: number) => Date;
type OrderOptions = Partial<Pick<RenderOptions, 'verified' | 'canTransfer' | 'contactHint' | 'stale' | 'spokenName'>>;

function orderOf(overrides: Partial<OrderStatus>): OrderStatus {
  return {
    name: '#1001', createdAt: new Date(0), cancelledAt: null, fulfillment: 'fulfilled', payment: 'paid',
    totalQuantity: 3, shipments: [], phone: null, ...overrides,
  };
}

/** A parcel in transit with DHL: handed over yesterday, expected tomorrow. */
function parcelOf(d: Days, overrides: Partial<Shipment> = {}): Shipment {
  return {
    state: 'in_transit', shippedAt: d(-1), inTransitAt: d(-1), estimatedDeliveryAt: d(1), deliveredAt: null,
    carrier: 'DHL', quantity: 3, trackingLast4: '4711', ...overrides,
  };
}

/** A situation about one order; `build` gets day offsets from the clock, in whole days. */
function order(group: string, name: string, build: (d: Days) => Partial<OrderStatus>, options: OrderOptions = {}): SpeechSituation {
  return {
    group,
    name,
    say: (locale, clock) => {
      const d: Days = (offset) => new Date(clock.now.getTime() + offset * DAY);
      const status = orderOf({createdAt: d(-3), ...build(d)});
      const contactHint = options.contactHint && locale.startsWith('de') ? HINT_DE : options.contactHint;
      return renderOrderStatus(status, {
        locale, timeZone: clock.timeZone, now: clock.now, spokenName: status.name, verified: false, ...options, contactHint,
      });
    },
  };
}

const fixed = (group: string, name: string, say: (locale: Locale) => string): SpeechSituation => ({group, name, say});
const hintFor = (locale: Locale): string => (locale.startsWith('de') ? HINT_DE : HINT_EN);

/**
 * When the team is next reachable: `days` and `hours` from the clock's now
 * (noon in the shop's zone at the table's clock), or never (null).
 */
type Opening = {days: number; hours: number} | null;
const nextReachable = (clock: SpeechClock, at: Opening) => ({
  next: at && new Date(clock.now.getTime() + at.days * DAY + at.hours * HOUR),
  timeZone: clock.timeZone,
  now: clock.now,
});
const TOMORROW_9AM: Opening = {days: 1, hours: -3};

/** Nobody takes the call now: `lead` (or, for an escalation, "can't put you through"), then when the team is back. */
function closed(name: string, lead: HandoffLead | 'escalation', at: Opening, withHint = false): SpeechSituation {
  return {
    group: HOURS,
    name,
    say: (locale, clock) => {
      const hint = withHint ? hintFor(locale) : null;
      const when = nextReachable(clock, at);
      return lead === 'escalation' ? sayClosedNow(locale, when, hint) : sayLeadThenTeamBack(locale, lead, when, hint);
    },
  };
}

/** Found by caller ID: `build` gets day offsets from the clock and returns the caller's current orders, newest first. */
function callerOrders(
  name: string,
  source: CallerSource,
  build: (d: Days) => Partial<OrderStatus>[],
  options: {canTransfer?: boolean; contactHint?: boolean; stale?: boolean} = {},
): SpeechSituation {
  return {
    group: CALLER,
    name,
    say: (locale, clock) => {
      const d: Days = (offset) => new Date(clock.now.getTime() + offset * DAY);
      const orders = build(d).map((o) => orderOf({createdAt: d(-3), ...o}));
      return sayCallerOrders(orders, {
        locale, timeZone: clock.timeZone, now: clock.now, source, canTransfer: options.canTransfer ?? false,
        contactHint: options.contactHint ? hintFor(locale) : null, stale: options.stale ?? false,
      });
    },
  };
}

const SHIPPED = 'Shipped';
const PROBLEMS = 'Problems and lateness';
const NOT_SHIPPED = 'Not shipped yet';
const MONEY = 'Cancelled, refunded, payment';
const PARCELS = 'Several parcels';
const NUMBERS = 'Order numbers, carriers, verification';
const LOOKUP = 'Lookup answers';
const CALL = 'Around the call';
const HOURS = 'Business hours: closed, after hours';
const CALLER = 'Caller ID: orders found without an order number';

export const SPEECH_SITUATIONS: SpeechSituation[] = [
  // Shipped and on the way
  order(SHIPPED, 'in transit, estimate tomorrow', (d) => ({shipments: [parcelOf(d)]})),
  order(SHIPPED, 'in transit, no carrier given', (d) => ({shipments: [parcelOf(d, {carrier: null})]})),
  order(SHIPPED, 'in transit, no estimate', (d) => ({shipments: [parcelOf(d, {shippedAt: d(-2), inTransitAt: d(-2), estimatedDeliveryAt: null})]})),
  order(SHIPPED, 'in transit, the carrier has not said when it got the parcel', (d) => ({shipments: [parcelOf(d, {inTransitAt: null})]})),
  order(SHIPPED, 'estimate on a weekday this week', (d) => ({shipments: [parcelOf(d, {estimatedDeliveryAt: d(4)})]})),
  order(SHIPPED, 'estimate three weeks ahead', (d) => ({shipments: [parcelOf(d, {estimatedDeliveryAt: d(20)})]})),
  order(SHIPPED, 'marked as shipped without tracking, Österreichische Post', (d) => ({
    shipments: [parcelOf(d, {state: 'fulfilled', shippedAt: d(-10), inTransitAt: null, estimatedDeliveryAt: null, carrier: 'Österreichische Post'})],
  })),
  order(SHIPPED, 'out for delivery ("DHL EXPRESS" as an integration writes it)', (d) => ({
    shipments: [parcelOf(d, {state: 'out_for_delivery', carrier: 'DHL EXPRESS', estimatedDeliveryAt: d(0)})],
  })),
  order(SHIPPED, 'packed, label printed today', (d) => ({shipments: [parcelOf(d, {state: 'label_created', shippedAt: d(0), inTransitAt: null})]})),
  order(SHIPPED, 'with the warehouse', (d) => ({shipments: [parcelOf(d, {state: 'confirmed', shippedAt: d(0), inTransitAt: null})]})),
  order(SHIPPED, 'delivered today', (d) => ({shipments: [parcelOf(d, {state: 'delivered', deliveredAt: d(0)})]})),
  order(SHIPPED, 'delivered in January (Jänner in Austria)', () => ({
    shipments: [{...parcelOf(() => new Date('2026-01-18T10:00:00Z')), state: 'delivered', deliveredAt: new Date('2026-01-20T10:00:00Z')}],
  })),
  order(SHIPPED, 'delivered last December (another year, months ago)', () => ({
    shipments: [{...parcelOf(() => new Date('2025-12-20T10:00:00Z')), state: 'delivered', deliveredAt: new Date('2025-12-22T10:00:00Z')}],
  })),
  order(SHIPPED, 'ready for pickup', (d) => ({shipments: [parcelOf(d, {state: 'ready_for_pickup'})]})),
  order(SHIPPED, 'picked up yesterday', (d) => ({shipments: [parcelOf(d, {state: 'picked_up', deliveredAt: d(-1)})]})),

  // Something wrong
  order(PROBLEMS, 'delivery attempted ("dhl")', (d) => ({shipments: [parcelOf(d, {state: 'attempted_delivery', carrier: 'dhl'})]})),
  order(PROBLEMS, 'delayed, no new estimate, nobody to transfer to', (d) => ({
    shipments: [parcelOf(d, {state: 'delayed', shippedAt: d(-4), inTransitAt: d(-4), estimatedDeliveryAt: null})],
  })),
  order(PROBLEMS, 'delayed with a new estimate, transfer possible', (d) => ({
    shipments: [parcelOf(d, {state: 'delayed', estimatedDeliveryAt: d(2)})],
  }), {canTransfer: true}),
  order(PROBLEMS, 'delivery failed, Deutsche Post, contact hint', (d) => ({
    shipments: [parcelOf(d, {state: 'failure', carrier: 'Deutsche Post (DE)'})],
  }), {contactHint: HINT_EN}),
  order(PROBLEMS, 'delivery failed, unknown carrier name, transfer possible', (d) => ({
    shipments: [parcelOf(d, {state: 'not_delivered', carrier: 'Blitzkurier'})],
  }), {canTransfer: true}),
  order(PROBLEMS, 'overdue: estimate passed two weeks ago, transfer possible', (d) => ({
    createdAt: d(-20), shipments: [parcelOf(d, {shippedAt: d(-18), inTransitAt: d(-18), estimatedDeliveryAt: d(-14)})],
  }), {canTransfer: true}),
  order(PROBLEMS, 'overdue: label printed ten days ago, no movement, contact hint', (d) => ({
    createdAt: d(-11), shipments: [parcelOf(d, {state: 'label_created', shippedAt: d(-10), inTransitAt: null, estimatedDeliveryAt: null})],
  }), {contactHint: HINT_EN}),
  order(PROBLEMS, 'overdue: not shipped 40 days after the order, no way to reach the team', (d) => ({
    createdAt: d(-40), fulfillment: 'unfulfilled',
  })),

  // Not shipped yet
  order(NOT_SHIPPED, 'being prepared', () => ({fulfillment: 'unfulfilled'})),
  order(NOT_SHIPPED, 'scheduled for later', () => ({fulfillment: 'scheduled'})),
  order(NOT_SHIPPED, 'on hold, transfer possible', () => ({fulfillment: 'on_hold'}), {canTransfer: true}),
  order(NOT_SHIPPED, 'declined by the fulfilment service, contact hint', () => ({fulfillment: 'request_declined'}), {contactHint: HINT_EN}),
  order(NOT_SHIPPED, 'nothing to ship', () => ({fulfillment: 'not_required'})),
  order(NOT_SHIPPED, 'marked shipped, no parcel details', () => ({fulfillment: 'fulfilled'})),
  order(NOT_SHIPPED, 'marked partly shipped, no parcel details', () => ({fulfillment: 'partially_fulfilled'})),
  order(NOT_SHIPPED, 'status Shopify added later', () => ({fulfillment: 'unknown'}), {canTransfer: true}),

  // Money: only a verified caller hears it
  order(MONEY, 'payment not arrived, verified caller', () => ({fulfillment: 'unfulfilled', payment: 'pending'}), {verified: true}),
  order(MONEY, 'payment not arrived, unverified caller, transfer possible', () => ({fulfillment: 'unfulfilled', payment: 'pending'}), {canTransfer: true}),
  order(MONEY, 'payment not arrived, unverified caller, no transfer', () => ({fulfillment: 'unfulfilled', payment: 'pending'})),
  order(MONEY, 'payment incomplete, verified caller', () => ({fulfillment: 'open', payment: 'partially_paid'}), {verified: true}),
  order(MONEY, 'payment failed, verified caller, transfer possible', () => ({fulfillment: 'pending', payment: 'expired'}), {verified: true, canTransfer: true}),
  order(MONEY, 'payment failed, unverified caller, contact hint', () => ({fulfillment: 'pending', payment: 'expired'}), {contactHint: HINT_EN}),
  order(MONEY, 'payment cancelled, verified caller', () => ({fulfillment: 'unfulfilled', payment: 'voided'}), {verified: true}),
  order(MONEY, 'amount reserved, verified caller', () => ({fulfillment: 'in_progress', payment: 'authorized'}), {verified: true}),
  order(MONEY, 'cancelled and refunded, verified caller', (d) => ({cancelledAt: d(-1), payment: 'refunded', fulfillment: 'unfulfilled'}), {verified: true}),
  order(MONEY, 'cancelled, not refunded yet, verified caller', (d) => ({cancelledAt: d(-1), payment: 'paid', fulfillment: 'unfulfilled'}), {verified: true}),
  order(MONEY, 'cancelled, not refunded yet, unverified caller, transfer possible', (d) => ({
    cancelledAt: d(-1), payment: 'paid', fulfillment: 'unfulfilled',
  }), {canTransfer: true}),
  order(MONEY, 'cancelled, nothing charged, verified caller', (d) => ({cancelledAt: d(0), payment: 'voided', fulfillment: 'unfulfilled'}), {verified: true}),
  order(MONEY, 'cancelled, but a parcel is still travelling, transfer possible', (d) => ({
    cancelledAt: d(-1), payment: 'refunded', shipments: [parcelOf(d, {carrier: 'Österreichische Post'})],
  }), {canTransfer: true}),
  order(MONEY, 'refunded in full, verified caller', (d) => ({
    payment: 'refunded', shipments: [parcelOf(d, {state: 'delivered', deliveredAt: d(-5)})],
  }), {verified: true}),
  order(MONEY, 'refunded in full, parcel still travelling, verified caller, contact hint', (d) => ({
    payment: 'refunded', shipments: [parcelOf(d)],
  }), {verified: true, contactHint: HINT_EN}),
  order(MONEY, 'refunded in full, unverified caller, transfer possible', (d) => ({
    payment: 'refunded', shipments: [parcelOf(d, {state: 'delivered', deliveredAt: d(-5)})],
  }), {canTransfer: true}),
  order(MONEY, 'returned after delivery and refunded, verified caller', (d) => ({
    fulfillment: 'restocked', payment: 'refunded', shipments: [parcelOf(d, {state: 'delivered', deliveredAt: d(-12)})],
  }), {verified: true}),
  order(MONEY, 'stopped before shipping (items back in stock), transfer possible', () => ({fulfillment: 'restocked'}), {canTransfer: true}),
  order(MONEY, 'delivered and partly refunded, verified caller', (d) => ({
    payment: 'partially_refunded', shipments: [parcelOf(d, {state: 'delivered', deliveredAt: d(-1)})],
  }), {verified: true}),

  // Several parcels
  order(PARCELS, 'partly shipped, one parcel', (d) => ({fulfillment: 'partially_fulfilled', shipments: [parcelOf(d, {quantity: 2})]})),
  order(PARCELS, 'partly shipped in two parcels', (d) => ({
    fulfillment: 'partially_fulfilled', totalQuantity: 4,
    shipments: [parcelOf(d, {quantity: 1, state: 'delivered', deliveredAt: d(-2)}), parcelOf(d, {quantity: 1})],
  })),
  order(PARCELS, 'partly shipped, the parcel could not be delivered, transfer possible', (d) => ({
    fulfillment: 'partially_fulfilled', shipments: [parcelOf(d, {quantity: 1, state: 'failure', carrier: 'UPS'})],
  }), {canTransfer: true}),
  order(PARCELS, 'two parcels, both delivered', (d) => ({
    shipments: [parcelOf(d, {quantity: 1, state: 'delivered', deliveredAt: d(-3)}), parcelOf(d, {quantity: 2, state: 'delivered', deliveredAt: d(-1)})],
  })),
  order(PARCELS, 'three parcels, two on their way', (d) => ({
    shipments: [
      parcelOf(d, {quantity: 1, state: 'delivered', deliveredAt: d(-1)}),
      parcelOf(d, {quantity: 1, estimatedDeliveryAt: d(3)}),
      parcelOf(d, {quantity: 1, state: 'out_for_delivery', estimatedDeliveryAt: d(0)}),
    ],
  })),
  order(PARCELS, 'three parcels, one could not be delivered: the problem wins', (d) => ({
    shipments: [
      parcelOf(d, {quantity: 1, state: 'delivered', deliveredAt: d(-1)}),
      parcelOf(d, {quantity: 1}),
      parcelOf(d, {quantity: 1, state: 'failure', carrier: 'Swiss Post'}),
    ],
  }), {canTransfer: true}),
  order(PARCELS, 'two parcels, one delivery attempted', (d) => ({
    shipments: [parcelOf(d, {quantity: 1, state: 'delivered', deliveredAt: d(-1)}), parcelOf(d, {quantity: 2, state: 'attempted_delivery', carrier: 'GLS'})],
  })),
  order(PARCELS, 'three parcels, two overdue, contact hint', (d) => ({
    shipments: [
      parcelOf(d, {quantity: 1, estimatedDeliveryAt: d(-3)}),
      parcelOf(d, {quantity: 1, estimatedDeliveryAt: d(-4)}),
      parcelOf(d, {quantity: 1, state: 'delivered', deliveredAt: d(-2)}),
    ],
  }), {contactHint: HINT_EN}),

  // Numbers, carriers, verification, staleness
  order(NUMBERS, 'order number with letters', (d) => ({name: 'ORD-12345', shipments: [parcelOf(d)]})),
  order(NUMBERS, 'order number with a year', (d) => ({name: '2024-00042', shipments: [parcelOf(d, {carrier: 'UPS'})]})),
  order(NUMBERS, 'verified caller hears the tracking number’s end', (d) => ({shipments: [parcelOf(d)]}), {verified: true}),
  order(NUMBERS, 'answer from the last update (Shopify unreachable)', (d) => ({shipments: [parcelOf(d)]}), {stale: true}),
  order(NUMBERS, 'carrier: Deutsche Post', (d) => ({shipments: [parcelOf(d, {carrier: 'Deutsche Post'})]})),
  order(NUMBERS, 'carrier: Austrian Post ("post.at")', (d) => ({shipments: [parcelOf(d, {carrier: 'post.at'})]})),
  order(NUMBERS, 'carrier: Swiss Post, out for delivery', (d) => ({shipments: [parcelOf(d, {state: 'out_for_delivery', carrier: 'Swiss Post', estimatedDeliveryAt: d(0)})]})),
  order(NUMBERS, 'carrier: UPS, label printed', (d) => ({shipments: [parcelOf(d, {state: 'label_created', carrier: 'ups', shippedAt: d(0), inTransitAt: null})]})),
  order(NUMBERS, 'carrier: unknown name', (d) => ({shipments: [parcelOf(d, {carrier: 'Blitzkurier'})]})),
  order(NUMBERS, 'carrier: placeholder "Other"', (d) => ({shipments: [parcelOf(d, {carrier: 'Other'})]})),

  // Lookup answers without an order
  fixed(LOOKUP, 'no order number', (l) => sayNoOrderNumber(l)),
  fixed(LOOKUP, 'not found, transfer possible', (l) => sayNotFound(l, {spokenName: '#1001', canTransfer: true})),
  fixed(LOOKUP, 'not found, no transfer', (l) => sayNotFound(l, {spokenName: '#1001', canTransfer: false})),
  fixed(LOOKUP, 'not found, older orders hidden (no read_all_orders), transfer possible', (l) =>
    sayNotFound(l, {spokenName: '#1001', canTransfer: true, olderHidden: true})),
  fixed(LOOKUP, 'not found, older orders hidden, contact hint', (l) =>
    sayNotFound(l, {spokenName: '#1001', canTransfer: false, contactHint: hintFor(l), olderHidden: true})),
  fixed(LOOKUP, 'not found, older orders hidden, no way to reach the team', (l) =>
    sayNotFound(l, {spokenName: '#1001', canTransfer: false, olderHidden: true})),
  fixed(LOOKUP, 'budget exceeded, transfer possible', (l) => sayStillChecking(l, {canTransfer: true})),
  fixed(LOOKUP, 'budget exceeded, no transfer', (l) => sayStillChecking(l, {canTransfer: false})),
  fixed(LOOKUP, 'Shopify unavailable, transfer possible', (l) => sayUnavailable(l, {canTransfer: true})),
  fixed(LOOKUP, 'Shopify unavailable, contact hint', (l) => sayUnavailable(l, {canTransfer: false, contactHint: hintFor(l)})),
  fixed(LOOKUP, 'Shopify unavailable, no way to reach the team', (l) => sayUnavailable(l, {canTransfer: false})),
  fixed(LOOKUP, 'shop must reconnect the app, transfer possible', (l) => sayReconnectNeeded(l, {canTransfer: true})),
  fixed(LOOKUP, 'shop must reconnect the app, contact hint', (l) => sayReconnectNeeded(l, {canTransfer: false, contactHint: hintFor(l)})),
  fixed(LOOKUP, 'shop must reconnect the app, no way to reach the team', (l) => sayReconnectNeeded(l, {canTransfer: false})),

  // Around the call
  fixed(CALL, 'escalation, store phone set', (l) => phrase(l, 'transfer')),
  fixed(CALL, 'escalation, no store phone, contact hint', (l) => sayNoTransfer(l, {contactHint: hintFor(l)})),
  fixed(CALL, 'escalation, no store phone, no contact hint', (l) => sayNoTransfer(l, {contactHint: null})),
  fixed(CALL, 'something broke in our service, transfer possible', (l) => phrase(l, 'apologyTransfer')),
  fixed(CALL, 'something broke in our service, no transfer', (l) => phrase(l, 'apology')),

  // Outside business hours (issue 12): the after-hours number, or when the team is back
  fixed(HOURS, 'escalation, closed, after-hours number set', (l) => sayAfterHoursTransfer(l)),
  fixed(HOURS, 'budget exceeded, closed, after-hours number set', (l) => sayAfterHoursTransfer(l, 'stillChecking')),
  fixed(HOURS, 'Shopify unavailable, closed, after-hours number set', (l) => sayAfterHoursTransfer(l, 'unavailable')),
  fixed(HOURS, 'shop must reconnect the app, closed, after-hours number set', (l) => sayAfterHoursTransfer(l, 'reconnect')),
  fixed(HOURS, 'something broke in our service, closed, after-hours number set', (l) => sayAfterHoursTransfer(l, 'apology')),
  closed('escalation, closed, back today at 2 pm', 'escalation', {days: 0, hours: 2}),
  closed('escalation, closed, back tomorrow at 9 am', 'escalation', TOMORROW_9AM),
  closed('escalation, closed, back tomorrow at 8:30 am', 'escalation', {days: 1, hours: -3.5}),
  closed('escalation, closed, back on a weekday (Monday) at noon', 'escalation', {days: 5, hours: 0}),
  closed('escalation, closed, back after a closure weeks ahead (1 June)', 'escalation', {days: 19, hours: -3}),
  closed('escalation, closed, back at midnight', 'escalation', {days: 1, hours: 12}),
  closed('escalation, closed, back tomorrow, contact hint', 'escalation', TOMORROW_9AM, true),
  closed('escalation, closed, the schedule never opens', 'escalation', null),
  closed('escalation, closed, the schedule never opens, contact hint', 'escalation', null, true),
  closed('budget exceeded, closed, back tomorrow', 'stillChecking', TOMORROW_9AM),
  closed('budget exceeded, closed, back tomorrow, contact hint', 'stillChecking', TOMORROW_9AM, true),
  closed('Shopify unavailable, closed, back tomorrow', 'unavailable', TOMORROW_9AM),
  closed('Shopify unavailable, closed, back tomorrow, contact hint', 'unavailable', TOMORROW_9AM, true),
  closed('shop must reconnect the app, closed, back tomorrow, contact hint', 'reconnect', TOMORROW_9AM, true),
  closed('something broke in our service, closed, back tomorrow', 'apology', TOMORROW_9AM),
  closed('something broke in our service, closed, never opens, contact hint', 'apology', null, true),

  // Caller ID (issue 11): lookup_order without a number, by the caller's phone or a spoken e-mail
  callerOrders('one order found by phone, on its way', 'phone', (d) => [{shipments: [parcelOf(d)]}]),
  callerOrders('one order found by e-mail, on its way', 'email', (d) => [{shipments: [parcelOf(d)]}]),
  callerOrders('one order, placed today, being prepared', 'phone', (d) => [{createdAt: d(0), fulfillment: 'unfulfilled'}]),
  callerOrders('one order, placed yesterday, delivered today', 'phone', (d) => [{
    createdAt: d(-1), shipments: [parcelOf(d, {state: 'delivered', deliveredAt: d(0)})],
  }]),
  callerOrders('one order, delivery failed, transfer possible', 'phone', (d) => [{
    shipments: [parcelOf(d, {state: 'failure', carrier: 'Österreichische Post'})],
  }], {canTransfer: true}),
  callerOrders('one order, delivery failed, contact hint', 'phone', (d) => [{shipments: [parcelOf(d, {state: 'failure'})]}], {contactHint: true}),
  callerOrders('one order, three parcels, one could not be delivered, transfer possible', 'phone', (d) => [{
    shipments: [
      parcelOf(d, {quantity: 1, state: 'delivered', deliveredAt: d(-1)}),
      parcelOf(d, {quantity: 1}),
      parcelOf(d, {quantity: 1, state: 'failure'}),
    ],
  }], {canTransfer: true}),
  callerOrders('one order, not shipped 40 days after it was placed, transfer possible', 'email', (d) => [{
    createdAt: d(-40), fulfillment: 'unfulfilled',
  }], {canTransfer: true}),
  callerOrders('one order, cancelled yesterday, payment pending (unverified)', 'phone', (d) => [{
    cancelledAt: d(-1), payment: 'paid', fulfillment: 'unfulfilled',
  }], {canTransfer: true}),
  callerOrders('one order, status Shopify added later', 'phone', () => [{fulfillment: 'unknown'}]),
  callerOrders('one order, answer from the last update (Shopify unreachable)', 'phone', (d) => [{shipments: [parcelOf(d)]}], {stale: true}),
  callerOrders('two orders by phone', 'phone', (d) => [{name: '#1003', createdAt: d(-1)}, {name: '#1001', createdAt: d(-10)}]),
  callerOrders('two orders by e-mail', 'email', (d) => [{name: '#1003', createdAt: d(0)}, {name: 'ORD-77', createdAt: d(-4)}]),
  callerOrders('three orders by phone', 'phone', (d) => [
    {name: '#1004', createdAt: d(0)}, {name: '#1003', createdAt: d(-2)}, {name: '#1001', createdAt: d(-10)},
  ]),
  callerOrders('more than three orders by phone (the three newest named)', 'phone', (d) => [
    {name: '#1005', createdAt: d(0)}, {name: '#1004', createdAt: d(-1)}, {name: '#1003', createdAt: d(-5)},
    {name: '#1002', createdAt: d(-8)}, {name: '#1001', createdAt: d(-12)},
  ]),
  callerOrders('more than three orders by e-mail', 'email', (d) => [
    {name: '#1005', createdAt: d(0)}, {name: '#1004', createdAt: d(-1)}, {name: '#1003', createdAt: d(-5)}, {name: '#1002', createdAt: d(-8)},
  ]),
  callerOrders('no current order by phone', 'phone', () => []),
  callerOrders('no current order by e-mail', 'email', () => []),
];

/** The markdown of docs/speech.md: every situation × every table locale, at the pinned clock. */
export function speechTable(situations: readonly SpeechSituation[] = SPEECH_SITUATIONS, clock: SpeechClock = TABLE_CLOCK): string {
  const lines = [
    '# What Anna says',
    '',
    '<!-- Generated by `npm run speech-table` from src/speech/speech-catalogue.ts. Do not edit by hand. -->',
    '',
    `Every situation the renderer knows, in every locale. Dates are relative to ${clock.now.toISOString()}`,
    `(Wednesday 13 May 2026, 12:00 in ${clock.timeZone}, the shop's zone). Order #1001 unless named;`,
    'DHL unless named; "contact hint" is the merchant\'s `contact_hint` (hello@shop.at, in German',
    `"${HINT_DE}"). A test fails when this file is stale.`,
  ];
  let group = '';
  for (const situation of situations) {
    if (situation.group !== group) {
      group = situation.group;
      lines.push('', `## ${group}`);
    }
    lines.push('', `### ${situation.name}`, '', '| locale | Anna says |', '| --- | --- |');
    for (const locale of TABLE_LOCALES) lines.push(`| ${locale} | ${situation.say(locale, clock).replace(/\|/g, '\\|')} |`);
  }
  return `${lines.join('\n')}\n`;
}
