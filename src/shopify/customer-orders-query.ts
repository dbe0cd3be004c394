import {z} from 'zod';
import type {OrderStatus} from '../orders/order-status.ts';
import type {AdminGraphql, RequestControl, ShopifyCredentials} from './admin-graphql.ts';
import {ShopifyAuthError, ShopifyRequestError, ShopifyUnavailableError} from './errors.ts';
import {normalizePhone, orderNodeSchema, PARCEL_FIELDS, shopSchema, toOrderStatus, toShopSettings, type ShopSettings} from './order-query.ts';

/**
 * Finding a caller's orders without an order number: by the phone they call
 * from (their customer record) or by the e-mail they ordered with.
 *
 * - `phone` is no `orders` search filter (Shopify would drop it and return
 *   every order), so the phone goes through `customers(query: "phone:…")`
 *   and each customer's newest orders come nested in the same request.
 * - Guest orders have no customer: only the e-mail finds them,
 *   `orders(query: "email:\"…\"")`, quoted because the field is tokenized.
 * - Search is loose: every customer's phone and every order's e-mail is
 *   compared in code, and only exact matches count.
 * - Customer phone and order e-mail are protected customer data, and
 *   `customers` needs `read_customers`. Without them Shopify answers
 *   ACCESS_DENIED or nulls the field with an error naming its path: both
 *   become a `ShopifyAuthError` of kind 'access_denied'.
 * - No names, addresses, items or amounts are selected: a caller found this
 *   way proved little, and hears status, dates, carrier and numbers only.
 * - Requested cost ≈ 1 + 3 × (1 + 5 × (1 + 5 × 2)) ≈ 170 (by phone) and
 *   1 + 10 × (1 + 5 × 2) ≈ 110 (by e-mail); the unused part is refunded.
 * - Checked against the Admin schema (2025-01) in
 *   test/shopify/customer-orders-query.test.ts.
 */

const ORDER_FIELDS = `
      id
      name
      createdAt
      updatedAt
      cancelledAt
      displayFulfillmentStatus
      displayFinancialStatus
      currentSubtotalLineItemsQuantity
      fulfillments(first: 5) {${PARCEL_FIELDS}}`;

/** How many of each customer's newest orders, and of an e-mail's, are fetched. */
export const ORDERS_PER_CUSTOMER = 5;
export const ORDERS_PER_EMAIL = 10;
/** A phone shared by more customers than this (a switchboard) is not worth narrowing. */
export const CUSTOMERS_PER_PHONE = 3;

export const CUSTOMER_ORDERS_BY_PHONE_QUERY = `#graphql
query CallinaCallerOrdersByPhone($query: String!) {
  shop {
    ianaTimezone
    orderNumberFormatPrefix
    orderNumberFormatSuffix
  }
  customers(first: ${CUSTOMERS_PER_PHONE}, query: $query) {
    nodes {
      id
      phone
      orders(first: ${ORDERS_PER_CUSTOMER}, sortKey: CREATED_AT, reverse: true) {
        nodes {${ORDER_FIELDS}
        }
      }
    }
  }
}
`;

export const ORDERS_BY_EMAIL_QUERY = `#graphql
query CallinaCallerOrdersByEmail($query: String!) {
  shop {
    ianaTimezone
    orderNumberFormatPrefix
    orderNumberFormatSuffix
  }
  orders(first: ${ORDERS_PER_EMAIL}, query: $query, sortKey: CREATED_AT, reverse: true) {
    nodes {
      email${ORDER_FIELDS}
    }
  }
}
`;

/** A quoted search value: backslash and double quote escaped. */
function quoted(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** `phone:"+43660123456789"` for an E.164 number (from normalizePhone). */
export function phoneSearchQuery(e164: string): string {
  if (!/^\+[1-9][0-9]{7,14}$/.test(e164)) throw new TypeError('phone must be E.164');
  return `phone:${quoted(e164)}`;
}

/** `email:"maria.steinhauser@example.at"` for a normalised address. */
export function emailSearchQuery(email: string): string {
  return `email:${quoted(email)}`;
}

const callerOrderSchema = orderNodeSchema.extend({
  updatedAt: z.string().nullish(),
  email: z.string().nullish(),
});

const byPhoneDataSchema = z.object({
  shop: shopSchema,
  customers: z.object({
    nodes: z.array(
      z.object({
        id: z.string(),
        phone: z.string().nullish(),
        orders: z.object({nodes: z.array(callerOrderSchema)}),
      }),
    ),
  }),
});

const byEmailDataSchema = z.object({
  shop: shopSchema,
  orders: z.object({nodes: z.array(callerOrderSchema)}),
});

type CallerOrderNode = z.output<typeof callerOrderSchema>;

/** One order found for a caller, with what deciding its relevance needs beyond the status. */
export interface CallerOrder {
  order: OrderStatus;
  /** Last change on Shopify's side (a refund has no date of its own). */
  updatedAt: Date | null;
  /** The customer's numeric id, for eviction by webhook; null for a guest order. */
  customerId: string | null;
}

export interface CallerOrdersResult {
  shopSettings: ShopSettings;
  /** Newest first; only the customers whose phone is exactly the caller's, or orders whose e-mail is exactly the one said. */
  orders: CallerOrder[];
  /** Customers whose phone matched, even those without orders. */
  customerIds: string[];
}

export type CallerKey = {phone: string} | {email: string};

/** "gid://shopify/Customer/207119551" → "207119551", as the webhooks' `customer.id` has it. */
export function customerNumber(gid: string): string {
  return gid.slice(gid.lastIndexOf('/') + 1);
}

/** Stored addresses compare case-insensitively with the normalised one, nothing else. */
function sameEmail(stored: string | null | undefined, normalized: string): boolean {
  return typeof stored === 'string' && stored.trim().toLowerCase() === normalized;
}

function toCallerOrder(node: CallerOrderNode, customerId: string | null): CallerOrder {
  const updated = node.updatedAt ? new Date(node.updatedAt) : null;
  return {
    order: toOrderStatus(node, {withPhone: false}),
    updatedAt: updated && !Number.isNaN(updated.getTime()) ? updated : null,
    customerId,
  };
}

function newestFirst(a: CallerOrder, b: CallerOrder): number {
  return b.order.createdAt.getTime() - a.order.createdAt.getTime();
}

function parse<T>(schema: z.ZodType<T>, data: unknown): T {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ShopifyUnavailableError('bad_response', `unexpected caller orders data at ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? ''}`);
}

/**
 * Shopify refused protected customer data: ACCESS_DENIED, or an error naming
 * a customer or e-mail path with the field nulled ("This app is not
 * approved to access the Customer object…").
 */
export function isCustomerDataDenied(error: ShopifyRequestError): boolean {
  if (error.kind === 'access_denied') return true;
  if (error.kind !== 'graphql_error') return false;
  return error.graphqlErrors.some((entry) => {
    const path = Array.isArray(entry.path) ? entry.path.map(String) : [];
    const aboutCustomers = path[0] === 'customers' || path.includes('email') || path.includes('phone');
    return aboutCustomers && /not approved|access denied|read_customers|protected customer data/i.test(String(entry.message ?? ''));
  });
}

/**
 * The caller's orders in one request. Throws a ShopifyRequestError; a
 * refusal of customer data is one of kind 'access_denied'.
 */
export async function fetchCallerOrders(
  graphql: Pick<AdminGraphql, 'request'>,
  params: ShopifyCredentials & RequestControl & {by: CallerKey},
): Promise<CallerOrdersResult> {
  const {by, ...request} = params;
  const byPhone = 'phone' in by;
  const document = byPhone ? CUSTOMER_ORDERS_BY_PHONE_QUERY : ORDERS_BY_EMAIL_QUERY;
  const query = byPhone ? phoneSearchQuery(by.phone) : emailSearchQuery(by.email);
  let data: unknown;
  try {
    ({data} = await graphql.request(document, {...request, variables: {query}}));
  } catch (error) {
    if (error instanceof ShopifyRequestError && error.kind !== 'access_denied' && isCustomerDataDenied(error)) {
      const {status, requestId, graphqlErrors} = error;
      throw new ShopifyAuthError('access_denied', 'Shopify withholds customer data from this app', {status, requestId, graphqlErrors, cause: error});
    }
    throw error;
  }
  if (byPhone) {
    const parsed = parse(byPhoneDataSchema, data);
    const customers = parsed.customers.nodes.filter((c) => normalizePhone(c.phone) === by.phone);
    return {
      shopSettings: toShopSettings(parsed.shop),
      customerIds: customers.map((c) => customerNumber(c.id)),
      orders: customers.flatMap((c) => c.orders.nodes.map((node) => toCallerOrder(node, customerNumber(c.id)))).sort(newestFirst),
    };
  }
  const parsed = parse(byEmailDataSchema, data);
  return {
    shopSettings: toShopSettings(parsed.shop),
    customerIds: [],
    orders: parsed.orders.nodes.filter((node) => sameEmail(node.email, by.email)).map((node) => toCallerOrder(node, null)).sort(newestFirst),
  };
}
