import {setTimeout as sleep} from 'node:timers/promises';
import {LRUCache} from 'lru-cache';
import type {Logger} from '../log.ts';
import type {AdminGraphql, CostBucket} from '../shopify/admin-graphql.ts';
import {toShopifyError} from '../shopify/admin-graphql.ts';
import {ShopifyAuthError, ShopifyThrottledError, type ShopifyRequestError} from '../shopify/errors.ts';
import type {ShopSettings} from '../shopify/order-query.ts';
import type {ShopRecord} from '../storage/storage.ts';
import {BUDGET_EXCEEDED, remainingMs, withinBudget} from './budget.ts';
import {CircuitBreaker} from './circuit-breaker.ts';
import type {Hedger} from './hedge.ts';
import {DEFAULT_ORDER_NAME_FORMAT, normalizeOrderNumber, type OrderNameFormat} from './order-number.ts';
import type {OrderStatus} from './order-status.ts';

/** What a lookup came to; the call handler turns each kind into words. */
export type LookupOutcome =
  | {kind: 'no_number'}
  | {kind: 'found'; order: OrderStatus; timeZone: string; stale: boolean}
  | {kind: 'not_found'; key: string}
  | {kind: 'budget_exceeded'}
  | {kind: 'unavailable'; reason: 'no_token' | 'needs_reconnect' | 'circuit_open' | ShopifyRequestError['kind']};

/** One cache entry: the order (null = not found) and what the same answer taught about the shop. */
interface Cached {
  order: OrderStatus | null;
  settings: ShopSettings;
  stale: boolean;
}

interface FetchContext {
  shop: ShopRecord;
  accessToken: string;
  key: string;
  withPhone: boolean;
  /** The first caller's deadline: retries and throttle waits happen only inside it. */
  deadline: number;
}

export interface LookupObserver {
  cache?(result: 'hit' | 'miss' | 'stale'): void;
  shopifyCall?(ms: number, error: ShopifyRequestError | undefined): void;
}

export interface OrderLookupOptions {
  shopify: Pick<AdminGraphql, 'fetchOrderByNumber'>;
  /** The Admin API token for a shop: the operator's custom-app token, or the OAuth offline token. */
  accessTokenFor(shop: ShopRecord): Promise<string | undefined>;
  /** A shop whose token Shopify refused: shown as needing reconnection. */
  markNeedsReconnect(shop: string): Promise<void>;
  /** The shop's time zone as Shopify reports it, for storage. */
  rememberTimeZone?(shop: string, timeZone: string): Promise<void>;
  log: Logger;
  shopifyTimeoutMs: number;
  maxEntries?: number;
  ttl?: Partial<typeof DEFAULT_TTL>;
  breaker?: {threshold: number; cooldownMs: number};
  observer?: LookupObserver;
  /** Sends a twin of a slow Shopify request; none without it. */
  hedger?: Hedger;
}

/**
 * How long an answer stays fresh. Webhooks evict changed orders at once;
 * these bound what a shop without webhooks (CLI custom-app token) can miss.
 */
export const DEFAULT_TTL = {
  notFoundMs: 30_000,
  activeMs: 120_000,
  settledMs: 1_800_000,
  /** A stale answer served during an outage is re-tried after this. */
  staleRetryMs: 10_000,
};

const SETTLED = new Set(['delivered', 'picked_up']);

function ttlFor(order: OrderStatus | null, ttl: typeof DEFAULT_TTL): number {
  if (!order) return ttl.notFoundMs;
  const settled =
    order.cancelledAt !== null ||
    order.payment === 'refunded' ||
    (order.shipments.length > 0 && order.shipments.every((s) => SETTLED.has(s.state)) && order.fulfillment === 'fulfilled');
  return settled ? ttl.settledMs : ttl.activeMs;
}

/** Worth a second try within the budget: Shopify hiccups, not refusals. */
function retryable(error: ShopifyRequestError): boolean {
  return error.retryable && !(error instanceof ShopifyAuthError);
}

export class OrderLookup {
  readonly #o: OrderLookupOptions;
  readonly #ttl: typeof DEFAULT_TTL;
  readonly #cache: LRUCache<string, Cached, FetchContext>;
  /** Order-name format and zone per shop, learned from the first answer; bounded like the cache. */
  readonly #settings: LRUCache<string, ShopSettings>;
  readonly breaker: CircuitBreaker;

  constructor(options: OrderLookupOptions) {
    this.#o = options;
    this.#ttl = {...DEFAULT_TTL, ...options.ttl};
    this.breaker = new CircuitBreaker(options.breaker ?? {threshold: 5, cooldownMs: 30_000});
    this.#settings = new LRUCache({max: 10_000});
    this.#cache = new LRUCache<string, Cached, FetchContext>({
      max: options.maxEntries ?? 100_000,
      ttl: this.#ttl.activeMs,
      // Expired entries stay until replaced, so an outage can fall back on them.
      allowStale: false,
      noDeleteOnFetchRejection: true,
      // A webhook evicting an order mid-fetch must not store the old answer.
      ignoreFetchAbort: false,
      fetchMethod: (_key, stale, {options: fetchOptions, context}) => this.#fetchFromShopify(context, stale, fetchOptions),
    });
  }

  get size(): number {
    return this.#cache.size;
  }

  /** The order's status within the deadline (a performance.now() value), whatever Shopify does. */
  async lookup(shop: ShopRecord, spoken: unknown, deadline: number): Promise<LookupOutcome> {
    const format = this.#settings.get(shop.shop) ?? DEFAULT_ORDER_NAME_FORMAT;
    const key = normalizeOrderNumber(spoken, format);
    if (!key) return {kind: 'no_number'};
    if (shop.connection === 'needs_reconnect' && !shop.accessToken) return {kind: 'unavailable', reason: 'needs_reconnect'};
    const withPhone = shop.verification === 'caller_phone';
    const cacheKey = this.#cacheKey(shop.shop, key, withPhone);

    if (!this.breaker.allows(shop.shop)) return this.#fromCacheOnly(cacheKey, key);
    const cached = this.#cache.peek(cacheKey);
    if (cached && this.#cache.getRemainingTTL(cacheKey) > 0) {
      this.#o.observer?.cache?.(cached.stale ? 'stale' : 'hit');
      return this.#outcome(cached, key);
    }
    this.#o.observer?.cache?.('miss');

    const accessToken = await this.#o.accessTokenFor(shop);
    if (!accessToken) return {kind: 'unavailable', reason: shop.connection === 'needs_reconnect' ? 'needs_reconnect' : 'no_token'};
    const work = this.#cache.fetch(cacheKey, {context: {shop, accessToken, key, withPhone, deadline}});
    try {
      const result = await withinBudget(work, deadline);
      if (result === BUDGET_EXCEEDED) return this.#staleOrBudgetExceeded(cacheKey, key);
      return result ? this.#outcome(result, key) : {kind: 'unavailable', reason: 'unexpected'};
    } catch (error) {
      const e = toShopifyError(error);
      return {kind: 'unavailable', reason: e.kind};
    }
  }

  /** A webhook said this order changed: the next caller must hear the new state. */
  evictOrder(shop: string, orderName: string): void {
    const format = this.#settings.get(shop) ?? DEFAULT_ORDER_NAME_FORMAT;
    const key = normalizeOrderNumber(orderName, format);
    if (!key) return;
    this.#cache.delete(this.#cacheKey(shop, key, false));
    this.#cache.delete(this.#cacheKey(shop, key, true));
  }

  /** Everything of one shop (uninstall, settings changed). */
  evictShop(shop: string): void {
    const prefix = `${shop}\u0000`;
    for (const k of this.#cache.keys()) if (k.startsWith(prefix)) this.#cache.delete(k);
    this.#settings.delete(shop);
  }

  clear(): void {
    this.#cache.clear();
    this.#settings.clear();
  }

  #cacheKey(shop: string, key: string, withPhone: boolean): string {
    return `${shop}\u0000${key}\u0000${withPhone ? 'p' : ''}`;
  }

  #outcome(cached: Cached, key: string): LookupOutcome {
    return cached.order
      ? {kind: 'found', order: cached.order, timeZone: cached.settings.timeZone, stale: cached.stale}
      : {kind: 'not_found', key};
  }

  /** Circuit open: answer from what we have, even if expired, and leave Shopify alone. */
  #fromCacheOnly(cacheKey: string, key: string): LookupOutcome {
    const cached = this.#cache.peek(cacheKey, {allowStale: true});
    if (!cached) return {kind: 'unavailable', reason: 'circuit_open'};
    this.#o.observer?.cache?.('stale');
    return this.#outcome({...cached, stale: this.#cache.getRemainingTTL(cacheKey) <= 0 || cached.stale}, key);
  }

  /**
   * Shopify is slower than the caller's budget: the expired answer the
   * fetch is replacing beats "still checking" (a webhook evicts changed
   * orders, so nothing known to be outdated is left to speak). A stale
   * "not found" is no better than waiting, so it is not repeated.
   */
  #staleOrBudgetExceeded(cacheKey: string, key: string): LookupOutcome {
    const stale = this.#cache.peek(cacheKey, {allowStale: true});
    if (!stale?.order) return {kind: 'budget_exceeded'};
    this.#o.observer?.cache?.('stale');
    return this.#outcome({...stale, stale: true}, key);
  }

  async #fetchFromShopify(ctx: FetchContext, stale: Cached | undefined, fetchOptions: {ttl?: number}): Promise<Cached> {
    const {shop, accessToken, key} = ctx;
    let withPhone = ctx.withPhone;
    const format: OrderNameFormat | undefined = this.#settings.get(shop.shop);
    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      try {
        const result = await this.#hedged(ctx, (signal) => this.#o.shopify.fetchOrderByNumber({
          shop: shop.shop, accessToken, key, withPhone, format, timeoutMs: this.#o.shopifyTimeoutMs, signal,
        }));
        this.#o.observer?.shopifyCall?.(performance.now() - started, undefined);
        this.breaker.success(shop.shop);
        this.#learn(shop, result.shopSettings);
        fetchOptions.ttl = ttlFor(result.order, this.#ttl);
        return {order: result.order, settings: result.shopSettings, stale: false};
      } catch (caught) {
        const error = toShopifyError(caught);
        this.#o.observer?.shopifyCall?.(performance.now() - started, error);
        this.#o.log.warn({shop: shop.shop, kind: error.kind, status: error.status, request_id: error.requestId, attempt}, 'Shopify lookup failed');
        if (error.kind === 'access_denied' && withPhone) {
          // The app is not approved for protected customer data: answer unverified rather than not at all.
          this.#o.log.warn({shop: shop.shop}, 'order phone not accessible: caller verification falls back to status only');
          withPhone = false;
          attempt--;
          continue;
        }
        if (error instanceof ShopifyAuthError) {
          await this.#o.markNeedsReconnect(shop.shop).catch((e) => this.#o.log.error({err: e}, 'could not mark shop for reconnection'));
          throw error;
        }
        const wait = error instanceof ShopifyThrottledError ? error.retryAfterMs : 0;
        // One more try only if it can still finish in the first caller's budget.
        if (attempt === 1 && retryable(error) && remainingMs(ctx.deadline) > wait + 100) {
          if (wait > 0) await sleep(wait);
          continue;
        }
        this.breaker.failure(shop.shop);
        if (stale) {
          fetchOptions.ttl = this.#ttl.staleRetryMs;
          return {...stale, stale: true};
        }
        throw error;
      }
    }
  }

  /** Slow requests get one twin when a hedger is configured (see hedge.ts). */
  #hedged<T extends {bucket?: CostBucket | undefined}>(ctx: FetchContext, request: (signal?: AbortSignal) => Promise<T>): Promise<T> {
    const shop = ctx.shop.shop;
    const guard = {shop, deadline: ctx.deadline, circuitClosed: () => this.breaker.state(shop) === 'closed'};
    return this.#o.hedger ? this.#o.hedger.run(guard, request) : request();
  }

  #learn(shop: ShopRecord, settings: ShopSettings): void {
    this.#settings.set(shop.shop, settings);
    if (shop.timeZone !== settings.timeZone) {
      this.#o.rememberTimeZone?.(shop.shop, settings.timeZone).catch((e) => this.#o.log.warn({err: e}, 'could not store time zone'));
    }
  }
}
