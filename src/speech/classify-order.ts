import type {OrderStatus, PaymentState, Shipment, ShipmentState} from '../orders/order-status.ts';
import {daysFromToday, isValidDate, type Clock} from './relative-date.ts';

/**
 * Decides what a caller needs to hear about an order, before any words:
 * the one situation that matters most. Language-free, so the same decision
 * drives both languages and `needsAttention`. It sees the clock, because
 * lateness is a matter of dates, and whether the caller is verified,
 * because payment and refunds are only for a verified caller.
 */

/** Why nothing has been shipped (or why we cannot say more). */
export type WaitingReason =
  | 'preparing'
  | 'scheduled'
  | 'onHold'
  | 'declined'
  | 'notRequired'
  | 'awaitingPayment'
  | 'paymentIncomplete'
  | 'paymentExpired'
  | 'paymentVoided'
  /** A payment reason the caller may not hear (not verified): "not shipped yet". */
  | 'notShippedYet'
  | 'shipped' // marked fulfilled, but no parcel details
  | 'partlyShipped' // marked partially fulfilled, but no parcel details
  | 'unknown';

/** A parcel's state as it matters in a summary of several parcels. */
export type ParcelPhase = 'delivered' | 'ready' | 'onTheWay' | 'preparing' | 'delayed';

/**
 * Something wrong with a parcel, worst first: it always wins the first
 * sentence. `estimatePassed`: the estimated day is behind us and the
 * parcel is not there; `notPickedUp`: a label was made days ago and the
 * carrier has not moved it.
 */
export const PROBLEMS = ['failed', 'attempted', 'delayed', 'estimatePassed', 'notPickedUp'] as const;
export type ParcelProblem = (typeof PROBLEMS)[number];

export interface ItemCounts {
  shipped: number;
  total: number;
}

/** The worst problem among several parcels, the parcel that has it, and how many parcels share it. */
export interface ProblemParcels {
  problem: ParcelProblem;
  parcel: Shipment;
  count: number;
  total: number;
}

export type Situation =
  /** `travelling`: a parcel still on its way although the order was cancelled. */
  | {kind: 'cancelled'; travelling: Shipment | null}
  | {kind: 'refunded'; travelling: Shipment | null}
  /** Items back in stock; `returned` when a parcel had been delivered (a return). */
  | {kind: 'restocked'; returned: boolean}
  /** `late`: nothing shipped far beyond the usual time. */
  | {kind: 'waiting'; reason: WaitingReason; late: boolean}
  | {kind: 'oneParcel'; parcel: Shipment; problem: ParcelProblem | null}
  /** Some items shipped, the rest not yet; counts when the quantities add up. */
  | {kind: 'partial'; parcels: Shipment[]; counts: ItemCounts | null; problem: ProblemParcels | null}
  | {kind: 'parcels'; parcels: Shipment[]; problem: ProblemParcels | null};

export interface ClassifyOptions extends Clock {
  /** Only a verified caller hears payment state and refunds. */
  verified: boolean;
}

/** A label made this many calendar days ago without the carrier moving the parcel is late. */
export const LABEL_IDLE_DAYS = 3;
/** An order placed this many calendar days ago and not shipped is late (most shops ship within days). */
export const UNSHIPPED_LATE_DAYS = 14;

// A Record, so that a new ShipmentState is a compile error here.
const PHASE: Record<ShipmentState, ParcelPhase | null> = {
  delivered: 'delivered',
  picked_up: 'delivered',
  ready_for_pickup: 'ready',
  in_transit: 'onTheWay',
  out_for_delivery: 'onTheWay',
  fulfilled: 'onTheWay',
  unknown: 'onTheWay', // a parcel exists, so it left the shop
  label_created: 'preparing',
  label_voided: 'preparing',
  confirmed: 'preparing',
  submitted: 'preparing',
  attempted_delivery: 'delayed',
  delayed: 'delayed',
  failure: 'delayed',
  not_delivered: 'delayed',
  canceled: null, // a cancelled parcel is not a parcel
};

export function parcelPhase(state: ShipmentState): ParcelPhase | null {
  return PHASE[state] ?? null;
}

/** What is wrong with one parcel, if anything. */
export function parcelProblem(parcel: Shipment, clock: Clock): ParcelProblem | null {
  switch (parcel.state) {
    case 'failure':
    case 'not_delivered':
      return 'failed';
    case 'attempted_delivery':
      return 'attempted';
    case 'delayed':
      return 'delayed';
    case 'in_transit':
    case 'fulfilled':
    case 'unknown':
      return daysAgo(parcel.estimatedDeliveryAt, clock) >= 1 ? 'estimatePassed' : null;
    case 'label_created':
    case 'label_voided':
    case 'confirmed':
    case 'submitted':
      return daysAgo(parcel.shippedAt, clock) >= LABEL_IDLE_DAYS ? 'notPickedUp' : null;
    default:
      // Delivered, picked up, ready for pickup, out for delivery (today's the day): nothing wrong.
      return null;
  }
}

/** Calendar days since `date` in the shop's zone; -Infinity when unknown, so no comparison makes it late. */
function daysAgo(date: Date | null, clock: Clock): number {
  if (!isValidDate(date) || !isValidDate(clock.now)) return Number.NEGATIVE_INFINITY;
  return -daysFromToday(date, clock);
}

/** Parcels that are still moving towards the caller (not delivered, not failed). */
function travelling(parcels: readonly Shipment[]): Shipment | null {
  return parcels.find((p) => p.state === 'in_transit' || p.state === 'out_for_delivery' || p.state === 'delayed') ?? null;
}

export function classifyOrder(status: OrderStatus, options: ClassifyOptions): Situation {
  const parcels = status.shipments.filter((s) => parcelPhase(s.state) !== null);
  if (status.cancelledAt !== null) return {kind: 'cancelled', travelling: travelling(parcels)};
  if (status.fulfillment === 'restocked') {
    return {kind: 'restocked', returned: parcels.some((p) => parcelPhase(p.state) === 'delivered')};
  }
  if (options.verified && status.payment === 'refunded') return {kind: 'refunded', travelling: travelling(parcels)};

  const [first] = parcels;
  if (!first) {
    const reason = waitingReason(status, options.verified);
    const late = reason === 'preparing' && daysAgo(status.createdAt, options) >= UNSHIPPED_LATE_DAYS;
    return {kind: 'waiting', reason, late};
  }
  if (status.fulfillment === 'partially_fulfilled') {
    return {kind: 'partial', parcels, counts: itemCounts(parcels, status.totalQuantity), problem: worstProblem(parcels, options)};
  }
  if (parcels.length === 1) return {kind: 'oneParcel', parcel: first, problem: parcelProblem(first, options)};
  return {kind: 'parcels', parcels, problem: worstProblem(parcels, options)};
}

function worstProblem(parcels: readonly Shipment[], clock: Clock): ProblemParcels | null {
  const problems = parcels.map((parcel) => ({parcel, problem: parcelProblem(parcel, clock)}));
  for (const problem of PROBLEMS) {
    const hit = problems.filter((p) => p.problem === problem);
    const [worst] = hit;
    if (worst) return {problem, parcel: worst.parcel, count: hit.length, total: parcels.length};
  }
  return null;
}

/** Problems where a person at the shop can help and should be offered; an attempted delivery has its own hint. */
const OFFER_PROBLEMS: ReadonlySet<ParcelProblem> = new Set(['failed', 'delayed', 'estimatePassed', 'notPickedUp']);
const PROBLEM_REASONS: ReadonlySet<WaitingReason> = new Set([
  'onHold',
  'declined',
  'paymentExpired',
  'paymentVoided',
  'unknown',
]);

/** Whether the answer points the caller to the shop's team (the lead may offer a transfer). */
export function needsAttention(situation: Situation): boolean {
  switch (situation.kind) {
    case 'restocked':
      return !situation.returned;
    case 'waiting':
      return situation.late || PROBLEM_REASONS.has(situation.reason);
    case 'oneParcel':
      return situation.problem !== null && OFFER_PROBLEMS.has(situation.problem);
    case 'partial':
    case 'parcels':
      return situation.problem !== null && OFFER_PROBLEMS.has(situation.problem.problem);
    case 'cancelled':
    case 'refunded':
      return situation.travelling !== null;
  }
}

function waitingReason(status: OrderStatus, verified: boolean): WaitingReason {
  switch (status.fulfillment) {
    case 'on_hold':
      return 'onHold';
    case 'request_declined':
      return 'declined';
    case 'not_required':
      return 'notRequired';
    case 'fulfilled':
      return 'shipped';
    case 'partially_fulfilled':
      return 'partlyShipped';
    case 'restocked': // handled before; kept for exhaustiveness
    case 'unknown':
      return 'unknown';
    case 'unfulfilled':
    case 'pending':
    case 'open':
    case 'in_progress':
    case 'scheduled': {
      const blocked = paymentBlock(status.payment);
      if (blocked) return verified ? blocked : 'notShippedYet';
      return status.fulfillment === 'scheduled' ? 'scheduled' : 'preparing';
    }
  }
}

/** A payment state that explains why nothing ships, if any. */
function paymentBlock(payment: PaymentState): WaitingReason | null {
  switch (payment) {
    case 'pending':
      return 'awaitingPayment';
    case 'partially_paid':
      return 'paymentIncomplete';
    case 'expired':
      return 'paymentExpired';
    case 'voided':
      return 'paymentVoided';
    default:
      return null;
  }
}

/** Whether the payment side holds anything a verified caller would hear (so an unverified one is offered a transfer). */
export function paymentWorthSaying(status: OrderStatus): boolean {
  return status.payment !== 'paid' && status.payment !== 'unknown';
}

function itemCounts(parcels: Shipment[], total: number): ItemCounts | null {
  const shipped = parcels.reduce((sum, p) => sum + (isCount(p.quantity) ? p.quantity : 0), 0);
  return isCount(total) && shipped > 0 && shipped < total ? {shipped, total} : null;
}

function isCount(n: number): boolean {
  return Number.isInteger(n) && n > 0;
}
