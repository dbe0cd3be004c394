import type {OrderStatus, Shipment, ShipmentState} from '../orders/order-status.ts';

/**
 * Decides what a caller needs to hear about an order, before any words:
 * the one situation that matters most. Language-free, date-free, so the
 * same decision drives both languages and `needsAttention`.
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
  | 'shipped' // marked fulfilled, but no parcel details
  | 'partlyShipped' // marked partially fulfilled, but no parcel details
  | 'unknown';

/** A parcel's state as it matters in a summary of several parcels. */
export type ParcelPhase = 'delivered' | 'ready' | 'onTheWay' | 'preparing' | 'delayed';

export interface ItemCounts {
  shipped: number;
  total: number;
}

export type Situation =
  | {kind: 'cancelled'}
  | {kind: 'refunded'}
  | {kind: 'restocked'}
  | {kind: 'waiting'; reason: WaitingReason}
  | {kind: 'oneParcel'; parcel: Shipment}
  /** Some items shipped, the rest not yet; counts when the quantities add up. */
  | {kind: 'partial'; parcels: Shipment[]; counts: ItemCounts | null}
  | {kind: 'parcels'; parcels: Shipment[]};

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

/** States where a person at the shop can help and should be offered. */
const PROBLEM_STATES: ReadonlySet<ShipmentState> = new Set(['delayed', 'failure', 'not_delivered']);
const PROBLEM_REASONS: ReadonlySet<WaitingReason> = new Set([
  'onHold',
  'declined',
  'paymentExpired',
  'paymentVoided',
  'unknown',
]);

export function classifyOrder(status: OrderStatus): Situation {
  if (status.cancelledAt !== null) return {kind: 'cancelled'};
  if (status.payment === 'refunded') return {kind: 'refunded'};
  if (status.fulfillment === 'restocked') return {kind: 'restocked'};

  const parcels = status.shipments.filter((s) => parcelPhase(s.state) !== null);
  const [first] = parcels;
  if (!first) return {kind: 'waiting', reason: waitingReason(status)};
  if (status.fulfillment === 'partially_fulfilled') {
    return {kind: 'partial', parcels, counts: itemCounts(parcels, status.totalQuantity)};
  }
  return parcels.length === 1 ? {kind: 'oneParcel', parcel: first} : {kind: 'parcels', parcels};
}

/** Whether the answer points the caller to the shop's team (the lead may offer a transfer). */
export function needsAttention(situation: Situation): boolean {
  switch (situation.kind) {
    case 'restocked':
      return true;
    case 'waiting':
      return PROBLEM_REASONS.has(situation.reason);
    case 'oneParcel':
      return PROBLEM_STATES.has(situation.parcel.state);
    case 'partial':
    case 'parcels':
      return situation.parcels.some((p) => PROBLEM_STATES.has(p.state));
    case 'cancelled':
    case 'refunded':
      return false;
  }
}

function waitingReason(status: OrderStatus): WaitingReason {
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
    case 'scheduled':
      return paymentBlock(status) ?? (status.fulfillment === 'scheduled' ? 'scheduled' : 'preparing');
  }
}

/** A payment state that explains why nothing ships, if any. */
function paymentBlock(status: OrderStatus): WaitingReason | null {
  switch (status.payment) {
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

function itemCounts(parcels: Shipment[], total: number): ItemCounts | null {
  const shipped = parcels.reduce((sum, p) => sum + (isCount(p.quantity) ? p.quantity : 0), 0);
  return isCount(total) && shipped > 0 && shipped < total ? {shipped, total} : null;
}

function isCount(n: number): boolean {
  return Number.isInteger(n) && n > 0;
}
