/**
 * What we know about one order, as a plain value free of Shopify types.
 * Built from the Admin API response by `shopify/`, cached by `orders/`,
 * turned into words by `speech/`. Every state is an open set: a value
 * Shopify adds later arrives as 'unknown', never as a raw enum name.
 */

/** The order as a whole (Shopify's OrderDisplayFulfillmentStatus). */
export type FulfillmentProgress =
  | 'unfulfilled'
  | 'pending'
  | 'open'
  | 'in_progress'
  | 'on_hold'
  | 'scheduled'
  | 'partially_fulfilled'
  | 'fulfilled'
  | 'restocked'
  | 'request_declined'
  | 'not_required'
  | 'unknown';

/** One parcel (Shopify's FulfillmentDisplayStatus). */
export type ShipmentState =
  | 'label_created'
  | 'label_voided'
  | 'confirmed'
  | 'submitted'
  | 'in_transit'
  | 'out_for_delivery'
  | 'attempted_delivery'
  | 'delayed'
  | 'failure'
  | 'not_delivered'
  | 'delivered'
  | 'ready_for_pickup'
  | 'picked_up'
  | 'fulfilled'
  | 'canceled'
  | 'unknown';

/** Money side (Shopify's OrderDisplayFinancialStatus), only what a caller cares about. */
export type PaymentState =
  | 'pending'
  | 'authorized'
  | 'partially_paid'
  | 'paid'
  | 'partially_refunded'
  | 'refunded'
  | 'voided'
  | 'expired'
  | 'unknown';

export interface Shipment {
  state: ShipmentState;
  /**
   * When the fulfillment was created: the label was printed or the order
   * marked as shipped. Not proof that a carrier has the parcel.
   */
  shippedAt: Date;
  /** When the carrier first reported the parcel moving; null until then. This is "shipped" to a caller. */
  inTransitAt: Date | null;
  estimatedDeliveryAt: Date | null;
  deliveredAt: Date | null;
  /** Carrier name as the shop entered it, e.g. "DHL Express". */
  carrier: string | null;
  /** Items in this parcel. */
  quantity: number;
  /** Last four characters of the tracking number; spoken only to a verified caller. */
  trackingLast4: string | null;
}

export interface OrderStatus {
  /** The order's name as the shop shows it, e.g. "#1001" or "ORD-12345". */
  name: string;
  createdAt: Date;
  cancelledAt: Date | null;
  fulfillment: FulfillmentProgress;
  payment: PaymentState;
  /** Items currently on the order (after removals). */
  totalQuantity: number;
  /** Parcels that were not cancelled, oldest first. */
  shipments: Shipment[];
  /**
   * The order's phone in E.164, present only when the shop asked for
   * caller verification (the query selects it only then). Never spoken.
   */
  phone: string | null;
}
