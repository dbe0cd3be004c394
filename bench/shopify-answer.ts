import {callerOrder, customerNode, customersByPhoneResponse} from '../test/fixtures/shopify-customers.ts';
import {orderNode, orderQueryResponse} from '../test/fixtures/shopify-orders.ts';

/** The order key a lookup query asks for: `name:"#1001" OR name:"1001"` → "1001". */
export function requestedKey(graphqlBody: string): string {
  const {variables} = JSON.parse(graphqlBody) as {variables?: {query?: string}};
  return /(\d+)"?$/.exec(variables?.query ?? '')?.[1] ?? '';
}

/**
 * Shopify's answer to the order lookup for order #key: the test fixture's
 * realistic payload (paid, one parcel in transit with DHL Express), so
 * every cached entry has the size of a typical real one.
 */
export function orderAnswer(key: string): string {
  return JSON.stringify(orderQueryResponse({orders: [orderNode({name: `#${key}`})]}));
}

/** A caller-ID lookup's search, `phone:"+43…"`, or undefined for an order-number lookup. */
export function requestedPhone(graphqlBody: string): string | undefined {
  const {variables} = JSON.parse(graphqlBody) as {variables?: {query?: string}};
  return /^phone:"(\+\d+)"$/.exec(variables?.query ?? '')?.[1];
}

/** Shopify's answer to a caller-ID lookup: one customer with that phone and one order in transit, placed today. */
export function callerAnswer(phone: string): string {
  const order = callerOrder({name: `#${phone.slice(-7)}`, createdAt: new Date().toISOString()});
  return JSON.stringify(customersByPhoneResponse([customerNode(Number(phone.slice(-9)), phone, [order])]));
}

export const SHOPIFY_HEADERS = {'Content-Type': 'application/json; charset=utf-8', 'X-Request-Id': 'bench'};
