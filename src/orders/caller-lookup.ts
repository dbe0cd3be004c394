import {createHmac, type KeyObject} from 'node:crypto';
import {setTimeout as sleep} from 'node:timers/promises';
import {LRUCache} from 'lru-cache';
import type {Logger} from '../log.ts';
import {maskPhone} from '../log.ts';
import type {AdminGraphql} from '../shopify/admin-graphql.ts';
import {toShopifyError} from '../shopify/admin-graphql.ts';
import {fetchCallerOrders, type CallerKey, type CallerOrder} from '../shopify/customer-orders-query.ts';
import {ShopifyAuthError, type ShopifyRequestError} from '../shopify/errors.ts';
import {normalizePhone, type ShopSettings} from '../shopify/order-query.ts';
import type {CustomerAccess, ShopRecord} from '../storage/storage.ts';
import {tokenForLookup} from './access-token.ts';
import {BUDGET_EXCEEDED, withinBudget} from './budget.ts';
import type {CircuitBreaker} from './circuit-breaker.ts';
import type {LookupObserver} from './order-lookup.ts';
import type {OrderStatus, PaymentState} from './order-status.ts';
import {retryWaitMs} from './retry.ts';
import {normalizeSpokenEmail} from './spoken-email.ts';

export type {CallerKey, CallerOrder};

/** What finding a caller's orders came to; the call handler turns each kind into words. */
export type CallerOutcome =
  /** Every order found for the caller (newest first), before deciding which are worth saying. */
  | {kind: 'orders'; orders: CallerOrder[]; timeZone: string; stale: boolean}
  /** Shopify withholds customer data from the app (scope or approval missing): ask for the number. */
  | {kind: 'not_granted'}
  /** Shopify rejected or garbled this query (not an outage): ask for the number, the number lookup is unaffected. */
  | {kind: 'query_failed'; reason: ShopifyRequestError['kind']}
  | {kind: 'budget_exceeded'}
  | {kind: 'unavailable'; reason: 'no_token' | 'token_error' | 'needs_reconnect' | 'circuit_open' | ShopifyRequestError['kind']};

interface Cached {
  orders: CallerOrder[];
  settings: ShopSettings;
  stale: boolean;
  /** Eviction handles: the orders' names, the customers' ids, the e-mail's hash. */
  tags: string[];
}

interface FetchContext {
  shop: ShopRecord;
  accessToken: string;
  by: CallerKey;
  /** Hash of the e-mail, when looked up by e-mail: a webhook naming it evicts this answer. */
  emailTag: string | undefined;
  deadline: number;
}

export interface CallerLookupOptions {
  shopify: Pick<AdminGraphql, 'request'>;
  accessTokenFor(shop: ShopRecord): Promise<string | undefined>;
  markNeedsReconnect(shop: string): Promise<void>;
  /** Remembers whether Shopify grants customer data, for the settings page and `shops show`. */
  markCustomerAccess(shop: string, access: CustomerAccess): Promise<void>;
  /** The number lookup's breaker: one outage, one circuit per shop. */
  breaker: CircuitBreaker;
  /** Key of the hash that stands for phones and e-mails in cache keys and change notifications. */
  hashKey: KeyObject | Buffer;
  log: Logger;
  shopifyTimeoutMs: number;
  maxEntries?: number;
  ttl?: Partial<typeof DEFAULT_CALLER_TTL>;
  observer?: LookupObserver;
  now?: () => number;
}

export const DEFAULT_CALLER_TTL = {
  /** Orders found: as fresh as an order on its way; webhooks evict sooner. */
  foundMs: 120_000,
  /** Nothing found: a caller who just ordered should not wait long. */
  noneMs: 30_000,
  staleRetryMs: 10_000,
  /** After Shopify refused customer data, how long before one call tries again (the merchant may grant it meanwhile). */
  deniedRetryMs: 600_000,
};

/** Settled orders stay worth mentioning this long. */
export const RELEVANT_FOR_DAYS = 14;
const DAY_MS = 86_400_000;

/**
 * Failures of this query itself, not of Shopify: they must not open the
 * circuit the number lookup shares (a schema change in a future API
 * version would otherwise cut every caller off after five tries).
 */
const QUERY_FAILURES: ReadonlySet<ShopifyRequestError['kind']> = new Set(['graphql_error', 'bad_response', 'unexpected']);

/**
 * Finds a caller's orders by the phone they call from or an e-mail they
 * said, with the number lookup's discipline: one cache with single flight,
 * the caller's budget applied outside it, stale answers when Shopify fails,
 * and the shared circuit breaker. Phones and e-mails appear only as keyed
 * hashes in keys and logs.
 */
export class CallerLookup {
  readonly #o: CallerLookupOptions;
  readonly #ttl: typeof DEFAULT_CALLER_TTL;
  readonly #cache: LRUCache<string, Cached, FetchContext>;
  /** tag → cache keys of the answers holding it. */
  readonly #byTag = new Map<string, Set<string>>();
  /** shop → when Shopify last refused customer data (this process). */
  readonly #deniedAt = new Map<string, number>();
  readonly #now: () => number;

  constructor(options: CallerLookupOptions) {
    this.#o = options;
    this.#ttl = {...DEFAULT_CALLER_TTL, ...options.ttl};
    this.#now = options.now ?? Date.now;
    this.#cache = new LRUCache<string, Cached, FetchContext>({
      max: options.maxEntries ?? 50_000,
      ttl: this.#ttl.foundMs,
      ttlResolution: 0, // as in the number lookup: no 1-ms timer while busy
      allowStale: false,
      noDeleteOnFetchRejection: true,
      ignoreFetchAbort: false,
      fetchMethod: (_key, stale, {options: fetchOptions, context}) => this.#fetchFromShopify(context, stale, fetchOptions),
      onInsert: (value, key) => {
        for (const tag of value.tags) {
          let keys = this.#byTag.get(tag);
          if (!keys) this.#byTag.set(tag, (keys = new Set()));
          keys.add(key);
        }
      },
      // A replaced answer's tags stay indexed: at worst a webhook evicts the newer answer too.
      dispose: (value, key, reason) => {
        if (reason !== 'set') this.#unindex(value, key);
      },
    });
  }

  get size(): number {
    return this.#cache.size;
  }

  /** A keyed hash: what stands for a phone or an e-mail anywhere outside the request. */
  hash(kind: 'phone' | 'email', value: string): string {
    return createHmac('sha256', this.#o.hashKey).update(`${kind}:${value}`).digest('base64url').slice(0, 32);
  }

  /** Handles for the answers a webhook about this customer or e-mail makes stale. */
  customerTags(shop: string, who: {customerId?: string | null; email?: string | null}): string[] {
    const tags: string[] = [];
    if (who.customerId) tags.push(customerTag(shop, who.customerId));
    const email = who.email?.trim().toLowerCase();
    if (email) tags.push(emailTag(shop, this.hash('email', email)));
    return tags;
  }

  /** The caller's orders within the deadline (a performance.now() value), whatever Shopify does. */
  async lookup(shop: ShopRecord, by: CallerKey, deadline: number): Promise<CallerOutcome> {
    if (shop.connection === 'needs_reconnect' && !shop.accessToken) return {kind: 'unavailable', reason: 'needs_reconnect'};
    if (shop.customerAccess === 'denied' && !this.#probeDue(shop.shop)) return {kind: 'not_granted'};
    const hashed = 'phone' in by ? this.hash('phone', by.phone) : this.hash('email', by.email);
    const cacheKey = `${shop.shop}\u0000${'phone' in by ? 'p' : 'e'}\u0000${hashed}`;

    if (!this.#o.breaker.allows(shop.shop)) return this.#fromCacheOnly(cacheKey);
    // get, not peek: a hit makes the entry the newest (LRU); an expired one stays for the fallbacks below.
    const cached = this.#cache.get(cacheKey, {noDeleteOnStaleGet: true});
    if (cached) {
      this.#o.observer?.cache?.(cached.stale ? 'stale' : 'hit');
      return outcome(cached);
    }
    this.#o.observer?.cache?.('miss');

    // The token (storage, perhaps a refresh) and the orders share the caller's budget, as in the number lookup:
    // past it, both go on, so Callina's retry finds the new token and the answer cached.
    const emailTagValue = 'email' in by ? emailTag(shop.shop, hashed) : undefined;
    const work = this.#tokenThenFetch(shop, cacheKey, {by, emailTag: emailTagValue, deadline});
    try {
      const result = await withinBudget(work, deadline);
      if (result === BUDGET_EXCEEDED) return this.#staleOrBudgetExceeded(cacheKey);
      if (result && 'kind' in result) return result;
      return result ? outcome(result) : {kind: 'unavailable', reason: 'unexpected'};
    } catch (error) {
      const e = toShopifyError(error);
      if (e.kind === 'access_denied') return {kind: 'not_granted'};
      return QUERY_FAILURES.has(e.kind) ? {kind: 'query_failed', reason: e.kind} : {kind: 'unavailable', reason: e.kind};
    }
  }

  async #tokenThenFetch(shop: ShopRecord, cacheKey: string, ctx: Omit<FetchContext, 'shop' | 'accessToken'>): Promise<Cached | CallerOutcome | undefined> {
    const accessToken = await tokenForLookup(shop, this.#o.accessTokenFor, this.#o.log);
    if (typeof accessToken !== 'string') return accessToken;
    return this.#cache.fetch(cacheKey, {context: {shop, accessToken, ...ctx}});
  }

  /** An order changed (webhook): answers that list it are stale. */
  evictOrder(shop: string, orderName: string): void {
    this.evictTags([orderTag(shop, orderName)]);
  }

  /** A customer's or an e-mail's orders changed (a new order, say): their answers are stale. */
  evictTags(tags: readonly string[]): void {
    for (const tag of tags) {
      for (const key of [...(this.#byTag.get(tag) ?? [])]) this.#cache.delete(key);
      this.#byTag.delete(tag);
    }
  }

  /** Everything of one shop (uninstall, settings changed): a new setting may have granted access too. */
  evictShop(shop: string): void {
    const prefix = `${shop}\u0000`;
    for (const k of this.#cache.keys()) if (k.startsWith(prefix)) this.#cache.delete(k);
    this.#deniedAt.delete(shop);
  }

  clear(): void {
    this.#cache.clear();
    this.#byTag.clear();
    this.#deniedAt.clear();
  }

  #unindex(value: Cached, key: string): void {
    for (const tag of value.tags) {
      const keys = this.#byTag.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) this.#byTag.delete(tag);
    }
  }

  #probeDue(shop: string): boolean {
    const at = this.#deniedAt.get(shop);
    return at === undefined || this.#now() - at >= this.#ttl.deniedRetryMs;
  }

  #fromCacheOnly(cacheKey: string): CallerOutcome {
    const cached = this.#cache.peek(cacheKey, {allowStale: true});
    if (!cached) return {kind: 'unavailable', reason: 'circuit_open'};
    this.#o.observer?.cache?.('stale');
    return outcome({...cached, stale: this.#cache.getRemainingTTL(cacheKey) <= 0 || cached.stale});
  }

  /** Out of budget: an expired list beats "still checking"; an expired "nothing found" does not. */
  #staleOrBudgetExceeded(cacheKey: string): CallerOutcome {
    const stale = this.#cache.peek(cacheKey, {allowStale: true});
    if (!stale || stale.orders.length === 0) return {kind: 'budget_exceeded'};
    this.#o.observer?.cache?.('stale');
    return outcome({...stale, stale: true});
  }

  async #fetchFromShopify(ctx: FetchContext, stale: Cached | undefined, fetchOptions: {ttl?: number}): Promise<Cached> {
    const {shop, accessToken, by} = ctx;
    const who = 'phone' in by ? {caller: maskPhone(by.phone)} : {by: 'email'};
    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      try {
        const result = await fetchCallerOrders(this.#o.shopify, {shop: shop.shop, accessToken, by, timeoutMs: this.#o.shopifyTimeoutMs});
        this.#o.observer?.shopifyCall?.(performance.now() - started, undefined);
        this.#o.breaker.success(shop.shop);
        this.#granted(shop);
        fetchOptions.ttl = result.orders.length > 0 ? this.#ttl.foundMs : this.#ttl.noneMs;
        const tags = [
          ...result.orders.map((o) => orderTag(shop.shop, o.order.name)),
          ...result.customerIds.map((id) => customerTag(shop.shop, id)),
          ...(ctx.emailTag ? [ctx.emailTag] : []),
        ];
        return {orders: result.orders, settings: result.shopSettings, stale: false, tags};
      } catch (caught) {
        const error = toShopifyError(caught);
        this.#o.observer?.shopifyCall?.(performance.now() - started, error);
        this.#o.log.warn({shop: shop.shop, ...who, kind: error.kind, status: error.status, request_id: error.requestId, attempt}, 'Shopify caller lookup failed');
        if (error.kind === 'access_denied') {
          await this.#denied(shop);
          throw error;
        }
        if (error instanceof ShopifyAuthError) {
          await this.#o.markNeedsReconnect(shop.shop).catch((e) => this.#o.log.error({err: e}, 'could not mark shop for reconnection'));
          throw error;
        }
        const wait = retryWaitMs(error, attempt, ctx.deadline);
        if (wait !== undefined) {
          if (wait > 0) await sleep(wait);
          continue;
        }
        if (!QUERY_FAILURES.has(error.kind)) this.#o.breaker.failure(shop.shop);
        if (stale) {
          fetchOptions.ttl = this.#ttl.staleRetryMs;
          return {...stale, stale: true};
        }
        throw error;
      }
    }
  }

  #granted(shop: ShopRecord): void {
    this.#deniedAt.delete(shop.shop);
    if (shop.customerAccess === 'granted') return;
    this.#o.markCustomerAccess(shop.shop, 'granted').catch((e) => this.#o.log.warn({err: e}, 'could not store customer data access'));
  }

  async #denied(shop: ShopRecord): Promise<void> {
    this.#deniedAt.set(shop.shop, this.#now());
    this.#o.log.warn({shop: shop.shop}, 'Shopify withholds customer data (read_customers or protected customer data approval missing): callers are asked for the order number');
    if (shop.customerAccess === 'denied') return;
    await this.#o.markCustomerAccess(shop.shop, 'denied').catch((e) => this.#o.log.warn({err: e}, 'could not store customer data access'));
  }
}

function outcome(cached: Cached): CallerOutcome {
  return {kind: 'orders', orders: cached.orders, timeZone: cached.settings.timeZone, stale: cached.stale};
}

const orderTag = (shop: string, name: string) => `${shop}\u0000o\u0000${name}`;
const customerTag = (shop: string, id: string) => `${shop}\u0000c\u0000${id}`;
const emailTag = (shop: string, hash: string) => `${shop}\u0000e\u0000${hash}`;

// ---------------------------------------------------------------------------
// Which orders are worth saying

const DELIVERED = new Set(['delivered', 'picked_up']);
/** Parcels Shopify knows nothing more of than "handed over": no carrier events will ever settle them. */
const UNTRACKED = new Set(['fulfilled', 'unknown']);

/** When the order stopped being a caller's concern, or null while it still is. */
export function settledAt({order, updatedAt}: CallerOrder): Date | null {
  if (order.cancelledAt) return order.cancelledAt;
  if (order.payment === 'refunded' || order.fulfillment === 'restocked') return updatedAt ?? order.createdAt;
  const parcels = order.shipments;
  if (parcels.length === 0 || order.fulfillment !== 'fulfilled') return null;
  const latest = (dates: (Date | null)[]) => dates.reduce<Date | null>((max, d) => (d && (!max || d > max) ? d : max), null);
  if (parcels.every((p) => DELIVERED.has(p.state))) return latest(parcels.map((p) => p.deliveredAt)) ?? updatedAt ?? latest(parcels.map((p) => p.shippedAt));
  if (parcels.every((p) => UNTRACKED.has(p.state))) return latest(parcels.map((p) => p.shippedAt));
  return null;
}

/**
 * The orders a caller without a number most likely means: not yet
 * delivered or picked up, or settled within the last 14 days; newest
 * first. Payment notes are dropped: caller ID proves too little for them.
 */
export function relevantOrders(found: readonly CallerOrder[], now: Date): OrderStatus[] {
  const cutoff = now.getTime() - RELEVANT_FOR_DAYS * DAY_MS;
  return found
    .filter((o) => {
      const settled = settledAt(o);
      return settled === null || settled.getTime() >= cutoff;
    })
    .sort((a, b) => b.order.createdAt.getTime() - a.order.createdAt.getTime())
    .map((o) => forUnverifiedCaller(o.order));
}

/** Only notes about money disappear; states that explain the shipping (awaiting payment, refunded) stay. */
const PAYMENT_NOTE_ONLY: ReadonlySet<PaymentState> = new Set(['authorized', 'partially_refunded']);

function forUnverifiedCaller(order: OrderStatus): OrderStatus {
  return {
    ...order,
    payment: PAYMENT_NOTE_ONLY.has(order.payment) ? 'paid' : order.payment,
    phone: null,
    shipments: order.shipments.map((s) => ({...s, trackingLast4: null})),
  };
}

/**
 * How to find a caller who gave no usable order number: the e-mail they
 * said (when it is an address beyond doubt), else the number they call
 * from (when it is a real E.164 number, not "anonymous").
 */
export function callerKeyFrom(params: {email?: unknown}, context: {caller_phone?: string | undefined}): CallerKey | undefined {
  const email = normalizeSpokenEmail(params.email);
  if (email) return {email};
  const phone = normalizePhone(context.caller_phone);
  return phone ? {phone} : undefined;
}
