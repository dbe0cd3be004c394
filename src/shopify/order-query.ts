import {z} from 'zod';
import type {FulfillmentProgress, OrderStatus, PaymentState, Shipment, ShipmentState} from '../orders/order-status.ts';
import type {OrderNameFormat} from '../orders/order-number.ts';

/**
 * What a parcel is read for, in every query that speaks orders (the number
 * lookup and the caller lookup): one selection, since toOrderStatus maps both.
 */
export const PARCEL_FIELDS = `
        status
        displayStatus
        createdAt
        estimatedDeliveryAt
        inTransitAt
        deliveredAt
        totalQuantity
        trackingInfo(first: 1) {
          company
          number
        }
      `;

/**
 * The one Admin GraphQL document of a cold order lookup: the shop's time
 * zone and order-name format, and the orders whose name matches the search.
 *
 * - The app's granted scopes: without `read_all_orders` Shopify hides
 *   orders older than 60 days, and a caller asking for one must hear that
 *   rather than "please check the number".
 * - Only what the answer needs. No customer name, e-mail or address: they
 *   are protected customer data, and selecting a field the app is not
 *   approved for fails the whole query. The order's `phone` (also
 *   protected) is selected only when `$withPhone` is true, i.e. when the
 *   shop turned on caller verification.
 * - `name:` search matches loosely, so several candidates come back and the
 *   code picks the exact one (`sameOrderName`). Sorted by order number,
 *   ascending: a loose match that contains the number's digits ("#10010",
 *   "#11001" for 1001) is a larger number, so the exact order comes first.
 * - Requested cost ≈ 1 (shop) + 10 × (1 + 10 × (1 + 1)) ≈ 210 points, the
 *   actual cost for one order with one parcel is a handful; the difference
 *   is refunded after the query.
 * - Checked against the real Admin schema (2025-01) in
 *   test/shopify/order-query.test.ts. Every field used exists in 2025-01;
 *   2026-10 adds enum values (FULFILLMENT_NOT_REQUIRED), handled below.
 */
export const ORDER_LOOKUP_QUERY = `#graphql
query CallinaOrderLookup($query: String!, $withPhone: Boolean!) {
  shop {
    ianaTimezone
    orderNumberFormatPrefix
    orderNumberFormatSuffix
  }
  currentAppInstallation {
    accessScopes {
      handle
    }
  }
  orders(first: 10, query: $query, sortKey: ORDER_NUMBER) {
    nodes {
      id
      name
      createdAt
      cancelledAt
      displayFulfillmentStatus
      displayFinancialStatus
      currentSubtotalLineItemsQuantity
      phone @include(if: $withPhone)
      fulfillments(first: 10) {${PARCEL_FIELDS}}
    }
  }
}
`;

export interface OrderLookupVariables {
  [name: string]: unknown;
  query: string;
  withPhone: boolean;
}

/**
 * A value inside a quoted search term: backslash and double quote escaped
 * (Shopify's search syntax escapes with a backslash).
 */
function quoteSearchValue(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * The `query:` argument for an order key: the name in the shop's format
 * and the bare number, each as a quoted `name:` term.
 * `name:"#1001" OR name:"1001"`. Passed as a GraphQL variable, never
 * spliced into the document.
 */
export function orderSearchQuery(key: string, format: OrderNameFormat): string {
  return orderSearchNames(key, format)
    .map((name) => `name:${quoteSearchValue(name)}`)
    .join(' OR ');
}

/** The order names {@link orderSearchQuery} searches for. */
export function orderSearchNames(key: string, format: OrderNameFormat): string[] {
  if (!/^[0-9]+$/.test(key)) throw new TypeError('order key must be digits');
  return [...new Set([`${format.prefix}${key}${format.suffix}`, key])];
}

export function orderLookupVariables(key: string, format: OrderNameFormat, withPhone: boolean): OrderLookupVariables {
  return {query: orderSearchQuery(key, format), withPhone};
}

// ---------------------------------------------------------------------------
// Response schema: lenient where Shopify may grow (enums are plain strings,
// unknown fields are dropped), strict where the answer would be wrong
// without the value (name, createdAt).

const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a date-time');
/** Optional dates: an unreadable value counts as absent rather than failing the lookup. */
const optionalDate = z
  .string()
  .nullish()
  .transform((s) => (s == null || Number.isNaN(Date.parse(s)) ? null : s));
const openEnum = z.string().nullish();

const trackingInfoSchema = z.object({
  company: z.string().nullish(),
  number: z.string().nullish(),
});

const fulfillmentSchema = z.object({
  status: openEnum,
  displayStatus: openEnum,
  createdAt: isoDate,
  estimatedDeliveryAt: optionalDate,
  inTransitAt: optionalDate,
  deliveredAt: optionalDate,
  totalQuantity: z.number().int().nonnegative().catch(0),
  trackingInfo: z.array(trackingInfoSchema).nullish(),
});

export const orderNodeSchema = z.object({
  /** The order's GID, for evicting it by id (customers/redact names orders so). */
  id: z.string().nullish(),
  name: z.string(),
  createdAt: isoDate,
  cancelledAt: optionalDate,
  displayFulfillmentStatus: openEnum,
  displayFinancialStatus: openEnum,
  currentSubtotalLineItemsQuantity: z.number().int().nonnegative().catch(0),
  phone: z.string().nullish(),
  fulfillments: z.array(fulfillmentSchema).nullish(),
});

export const shopSchema = z.object({
  ianaTimezone: z.string(),
  orderNumberFormatPrefix: z.string().nullish(),
  orderNumberFormatSuffix: z.string().nullish(),
});

/** Lenient: a response without it (an older stand-in, a proxy) means "scopes unknown". */
const appInstallationSchema = z
  .object({accessScopes: z.array(z.object({handle: z.string()}))})
  .nullish()
  .catch(null);

/** The `data` of a response to {@link ORDER_LOOKUP_QUERY}. */
export const orderLookupDataSchema = z.object({
  shop: shopSchema,
  currentAppInstallation: appInstallationSchema,
  orders: z.object({nodes: z.array(orderNodeSchema)}),
});

export type OrderNode = z.output<typeof orderNodeSchema>;
export type FulfillmentNode = z.output<typeof fulfillmentSchema>;
export type ShopNode = z.output<typeof shopSchema>;
export type AppInstallationNode = z.output<typeof appInstallationSchema>;

// ---------------------------------------------------------------------------
// Mapping to the domain value.

/** What a lookup learns about the shop, besides the order. */
export interface ShopSettings {
  /** IANA time zone, e.g. "Europe/Vienna"; "UTC" when Shopify's value is not one this runtime knows. */
  timeZone: string;
  prefix: string;
  suffix: string;
  /**
   * Whether the app may read orders older than 60 days (`read_all_orders`);
   * null when the answer did not say.
   */
  readsAllOrders: boolean | null;
}

const FULFILLMENT_PROGRESS: Readonly<Record<string, FulfillmentProgress>> = {
  UNFULFILLED: 'unfulfilled',
  PARTIALLY_FULFILLED: 'partially_fulfilled',
  FULFILLED: 'fulfilled',
  RESTOCKED: 'restocked',
  PENDING_FULFILLMENT: 'pending',
  OPEN: 'open',
  IN_PROGRESS: 'in_progress',
  ON_HOLD: 'on_hold',
  SCHEDULED: 'scheduled',
  REQUEST_DECLINED: 'request_declined',
  // 2026-10 and later
  FULFILLMENT_NOT_REQUIRED: 'not_required',
};

const SHIPMENT_STATE: Readonly<Record<string, ShipmentState>> = {
  ATTEMPTED_DELIVERY: 'attempted_delivery',
  CANCELED: 'canceled',
  CONFIRMED: 'confirmed',
  DELAYED: 'delayed',
  DELIVERED: 'delivered',
  FAILURE: 'failure',
  FULFILLED: 'fulfilled',
  IN_TRANSIT: 'in_transit',
  LABEL_PRINTED: 'label_created',
  LABEL_PURCHASED: 'label_created',
  LABEL_VOIDED: 'label_voided',
  MARKED_AS_FULFILLED: 'fulfilled',
  NOT_DELIVERED: 'not_delivered',
  OUT_FOR_DELIVERY: 'out_for_delivery',
  READY_FOR_PICKUP: 'ready_for_pickup',
  PICKED_UP: 'picked_up',
  SUBMITTED: 'submitted',
};

const PAYMENT_STATE: Readonly<Record<string, PaymentState>> = {
  PENDING: 'pending',
  AUTHORIZED: 'authorized',
  PARTIALLY_PAID: 'partially_paid',
  PAID: 'paid',
  PARTIALLY_REFUNDED: 'partially_refunded',
  REFUNDED: 'refunded',
  VOIDED: 'voided',
  EXPIRED: 'expired',
};

/** `Object.hasOwn` first, so "constructor" or "__proto__" from a future Shopify never maps to a prototype member. */
function lookup<T>(table: Readonly<Record<string, T>>, value: string | null | undefined): T | undefined {
  return value != null && Object.hasOwn(table, value) ? table[value] : undefined;
}

/** Fulfillments that are no parcel: cancelled, or a fulfillment request that errored or failed. */
const NOT_A_PARCEL_STATUS = new Set(['CANCELLED', 'ERROR', 'FAILURE']);

function dateOrNull(value: string | null): Date | null {
  return value === null ? null : new Date(value);
}

function nonEmpty(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

/** The last four characters of a tracking number, spaces ignored ("1Z 999 AA1 01 2345 6784" → "6784"). */
export function trackingLast4(number: string | null | undefined): string | null {
  const compact = number?.replace(/\s+/g, '') ?? '';
  return compact === '' ? null : compact.slice(-4).toUpperCase();
}

/**
 * A phone number as E.164 ("+43660123456789"), or null when it has no
 * country code we can see ("+" or "00" in front) or is not 8-15 digits.
 * Shopify stores checkout phones in E.164 already; this tidies manual entries
 * like "+43 660 123 456 789" or "0043-660-123456789". An extension ("x12",
 * "ext. 12", ";ext=12") is dropped.
 */
export function normalizePhone(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const main = raw.normalize('NFKC').split(/\s*(?:;|,|x|ext\.?|extension|durchwahl)\s*/i)[0] ?? '';
  const trimmed = main.trim();
  let digits: string;
  if (trimmed.startsWith('+')) digits = trimmed.slice(1).replace(/\D/g, '');
  else if (/^00[1-9]/.test(trimmed.replace(/[\s().-]/g, ''))) digits = trimmed.replace(/\D/g, '').slice(2);
  else return null;
  if (!/^[1-9][0-9]{7,14}$/.test(digits)) return null;
  return `+${digits}`;
}

/** Zones seen so far → their canonical name. Building a DateTimeFormat costs ~0.1 ms: once per zone, not per lookup. */
const checkedZones = new Map<string, string>();

function validTimeZone(zone: string): string {
  let valid = checkedZones.get(zone);
  if (valid === undefined) {
    try {
      valid = new Intl.DateTimeFormat('en', {timeZone: zone}).resolvedOptions().timeZone;
    } catch {
      valid = 'UTC';
    }
    // A shop has one zone; a flood of odd values must not grow this without bound.
    if (checkedZones.size >= 1000) checkedZones.clear();
    checkedZones.set(zone, valid);
  }
  return valid;
}

export function toShopSettings(shop: ShopNode, installation: AppInstallationNode = null): ShopSettings {
  const scopes = installation?.accessScopes.map((s) => s.handle);
  return {
    timeZone: validTimeZone(shop.ianaTimezone),
    prefix: shop.orderNumberFormatPrefix ?? '',
    suffix: shop.orderNumberFormatSuffix ?? '',
    readsAllOrders: scopes ? scopes.includes('read_all_orders') : null,
  };
}

function toShipment(fulfillment: FulfillmentNode): Shipment {
  const tracking = fulfillment.trackingInfo?.[0];
  return {
    state: lookup(SHIPMENT_STATE, fulfillment.displayStatus) ?? 'unknown',
    shippedAt: new Date(fulfillment.createdAt),
    inTransitAt: dateOrNull(fulfillment.inTransitAt),
    estimatedDeliveryAt: dateOrNull(fulfillment.estimatedDeliveryAt),
    deliveredAt: dateOrNull(fulfillment.deliveredAt),
    carrier: nonEmpty(tracking?.company),
    quantity: fulfillment.totalQuantity,
    trackingLast4: trackingLast4(tracking?.number),
  };
}

export interface ToOrderStatusOptions {
  /** Whether the query asked for the phone (`$withPhone`); without it `phone` is always null. */
  withPhone: boolean;
}

/**
 * One order node as the domain value. Every enum is open: a value this code
 * does not know becomes 'unknown'. Cancelled (and failed) fulfillments are
 * no shipments; the rest come oldest first.
 */
export function toOrderStatus(node: OrderNode, options: ToOrderStatusOptions): OrderStatus {
  const shipments = (node.fulfillments ?? [])
    .filter((f) => !NOT_A_PARCEL_STATUS.has(f.status ?? '') && f.displayStatus !== 'CANCELED')
    .map(toShipment)
    .sort((a, b) => a.shippedAt.getTime() - b.shippedAt.getTime());
  return {
    name: node.name,
    createdAt: new Date(node.createdAt),
    cancelledAt: dateOrNull(node.cancelledAt),
    fulfillment: lookup(FULFILLMENT_PROGRESS, node.displayFulfillmentStatus) ?? 'unknown',
    payment: lookup(PAYMENT_STATE, node.displayFinancialStatus) ?? 'unknown',
    totalQuantity: node.currentSubtotalLineItemsQuantity,
    shipments,
    phone: options.withPhone ? normalizePhone(node.phone) : null,
  };
}
