import {z} from 'zod';
import type {Logger} from '../log.ts';
import type {Storage} from '../storage/storage.ts';

export interface WebhookTopicDeps {
  storage: Storage;
  log: Logger;
  /** Evicts an order, named by its name ("#1001") or its GID, from every instance's lookup cache. */
  evictOrder(shop: string, order: string): void;
  evictShop(shop: string): void;
  /** A customer's (or a guest e-mail's) orders changed: answers found by caller ID or e-mail are stale. */
  evictCustomer?(shop: string, who: {customerId: string | null; email: string | null}): void;
}

interface Delivery<P> {
  shop: string;
  payload: P;
  webhookId: string;
}

interface TopicHandler<P> {
  /** The part of Shopify's payload the handler reads; the rest is ignored. */
  payload: z.ZodType<P>;
  handle(delivery: Delivery<P>, deps: WebhookTopicDeps): Promise<Record<string, unknown>>;
}

const topic = <P>(handler: TopicHandler<P>) => handler;

/**
 * Orders webhooks carry the order's name ("#1001"), exactly as the lookup
 * cache knows it, and its customer's id and e-mail (null for a guest
 * without one, or withheld without protected-customer-data approval).
 */
const orderPayload = z.object({
  name: z.string().min(1),
  customer: z.object({id: z.union([z.number(), z.string()])}).nullish().catch(null),
  email: z.string().max(320).nullish().catch(null),
});
/** A fulfillment is named after its order plus ".N": "#1001.1" belongs to "#1001". */
const fulfillmentPayload = z.object({name: z.string().min(1), order_id: z.number().optional()});
/** Compliance payloads name the shop again; `phone` may be absent or null (Shopify sends what the shop has). */
const customerPayload = z.object({
  shop_domain: z.string(),
  customer: z.object({id: z.number().optional(), phone: z.string().nullish()}),
  data_request: z.object({id: z.number()}).optional(),
});
/** customers/redact also names the customer's orders, by numeric id (299938; some payloads quote it). */
const customerRedactPayload = customerPayload.extend({
  orders_to_redact: z.array(z.union([z.number().int().nonnegative(), z.string().regex(/^[0-9]+$/)])).nullish(),
});
const shopRedactPayload = z.object({shop_domain: z.string()});

const evictOrder = topic({
  payload: orderPayload,
  async handle({shop, payload}, deps) {
    deps.evictOrder(shop, payload.name);
    const customerId = payload.customer ? String(payload.customer.id) : null;
    if (customerId || payload.email) deps.evictCustomer?.(shop, {customerId, email: payload.email ?? null});
    return {evicted: payload.name};
  },
});

const evictFulfilledOrder = topic({
  payload: fulfillmentPayload,
  async handle({shop, payload}, deps) {
    const orderName = payload.name.replace(/\.\d+$/, '');
    deps.evictOrder(shop, orderName);
    return {evicted: orderName};
  },
});

/** Sessions and the shop's row with its call events; the Callina hook answers 404 from now on. */
async function forgetShop(shop: string, deps: WebhookTopicDeps) {
  const sessions = await deps.storage.findSessionsByShop(shop);
  const deletedSessions = await deps.storage.deleteSessions(sessions.map((s) => s.id));
  const deletedShop = await deps.storage.deleteShop(shop);
  deps.evictShop(shop);
  return {deletedSessions, deletedShop};
}

/**
 * Every topic we subscribe to (shopify.app.toml), keyed as the library
 * reports it: "orders/updated" → "ORDERS_UPDATED". Handlers are idempotent,
 * so a duplicate that slips past the delivery log changes nothing.
 */
export const WEBHOOK_TOPICS: Record<string, TopicHandler<any>> = {
  APP_UNINSTALLED: topic({
    payload: z.looseObject({}),
    async handle({shop}, deps) {
      const result = await forgetShop(shop, deps);
      deps.log.info({shop, ...result}, 'app uninstalled: sessions and shop data deleted');
      return result;
    },
  }),
  ORDERS_UPDATED: evictOrder,
  ORDERS_CANCELLED: evictOrder,
  ORDERS_FULFILLED: evictOrder,
  ORDERS_PARTIALLY_FULFILLED: evictOrder,
  FULFILLMENTS_CREATE: evictFulfilledOrder,
  FULFILLMENTS_UPDATE: evictFulfilledOrder,

  CUSTOMERS_DATA_REQUEST: topic({
    payload: customerPayload,
    async handle({shop, payload}, deps) {
      // All we hold about a caller is keyed by their phone (masked and hashed); no phone, nothing to find.
      const phone = payload.customer.phone;
      const events = phone ? await deps.storage.listCallEvents(shop, {callerPhone: phone, limit: 10_000}) : [];
      const report = {
        dataRequestId: payload.data_request?.id ?? null,
        customerId: payload.customer.id ?? null,
        callEvents: events.map((e) => ({
          callId: e.callId,
          kind: e.kind,
          occurredAt: e.occurredAt.toISOString(),
          callerPhoneMasked: e.callerPhoneMasked,
          reason: e.reason,
          silenceMs: e.silenceMs,
        })),
      };
      deps.log.info(
        {shop, data_request_id: report.dataRequestId, customer_id: report.customerId, call_events: events.length},
        'customer data request: report of call events held for this customer',
      );
      return {report};
    },
  }),

  CUSTOMERS_REDACT: topic({
    payload: customerRedactPayload,
    async handle({shop, payload}, deps) {
      const phone = payload.customer.phone;
      const deletedCallEvents = phone ? await deps.storage.deleteCallEventsByPhone(shop, phone) : 0;
      // The lookup cache may hold these orders (with the customer's phone, under caller verification).
      const orders = payload.orders_to_redact ?? [];
      for (const id of orders) deps.evictOrder(shop, `gid://shopify/Order/${id}`);
      deps.log.info({shop, customer_id: payload.customer.id ?? null, deleted_call_events: deletedCallEvents, evicted_orders: orders.length}, 'customer redacted');
      return {deletedCallEvents, evictedOrders: orders.length};
    },
  }),

  SHOP_REDACT: topic({
    payload: shopRedactPayload,
    async handle({shop}, deps) {
      const result = await forgetShop(shop, deps);
      deps.log.info({shop, ...result}, 'shop redacted: everything of the shop deleted');
      return result;
    },
  }),
};

/** Compliance topics name the shop in the signed body too; the header must agree with it. */
export function payloadShop(payload: unknown): string | undefined {
  const domain = (payload as {shop_domain?: unknown} | null)?.shop_domain;
  return typeof domain === 'string' ? domain : undefined;
}
