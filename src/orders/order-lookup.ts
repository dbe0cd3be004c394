import {setTimeout as sleep} from 'node:timers/promises';
import {LRUCache} from 'lru-cache';
import type {Logger} from '../log.ts';
import type {AdminGraphql, CostBucket} from '../shopify/admin-graphql.ts';
import {toShopifyError} from '../shopify/admin-graphql.ts';
import {ShopifyAuthError, type ShopifyRequestError} from '../shopify/errors.ts';
import type {ShopSettings} from '../shopify/order-query.ts';
import type {ShopRecord} from '../storage/storage.ts';
import {tokenForLookup} from './access-token.ts';
import {BUDGET_EXCEEDED, withinBudget} from './budget.ts';
import {CircuitBreaker} from './circuit-breaker.ts';
import type {Hedger} from './hedge.ts';
import {DEFAULT_ORDER_NAME_FORMAT, normalizeOrderNumber, type OrderNameFormat} from './order-number.ts';
import type {OrderStatus} from './order-status.ts';
import {retryWaitMs} from './retry.ts';

/** What a lookup came to; the call handler turns each kind into words. */
export type LookupOutcome =
  | {kind: 'no_number'}
  | {kind: 'found'; order: OrderStatus; timeZone: string; stale: boolean; format: OrderNameFormat}
  /** `olderHidden`: the app lacks `read_all_orders`, so orders older than 60 days are invisible to it. */
  | {kind: 'not_found'; key: string; format: OrderNameFormat; olderHidden: boolean}
  | {kind: 'budget_exceeded'}
  | {kind: 'unavailable'; reason: 'no_token' | 'token_error' | 'needs_reconnect' | 'circuit_open' | ShopifyRequestError['kind']};

/** One cache entry: the order (null = not found) and what the same answer taught about the shop. */
interface Cached {
  order: OrderStatus | null;
  /** The order's GID, so that customers/redact can evict it by id. */
  orderId: string | null;
  readonly settings: Readonly<ShopSettings>;
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

/** The one Shopify request under way for a cache entry; callers of the same entry share it. */
interface Flight {
  readonly shop: string;
  readonly answer: Promise<Cached>;
  /** Cleared by an eviction: the answer still reaches the callers waiting for it, but is not stored. */
  current: boolean;
}

export interface LookupObserver {
  cache?(result: 'hit' | 'miss' | 'stale'): void;
  shopifyCall?(ms: number, error: ShopifyRequestError | undefined): void;
}

/** Five failures in a row open a shop's circuit for 30 s. */
export const DEFAULT_BREAKER = {threshold: 5, cooldownMs: 30_000} as const;

export interface OrderLookupOptions {
  shopify: Pick<AdminGraphql, 'fetchOrderByNumber'>;
  /** The Admin API token for a shop: the operator's custom-app token, or the OAuth offline token. */
  accessTokenFor(shop: ShopRecord): Promise<string | undefined>;
  /** A shop whose token Shopify refused: shown as needing reconnection. */
  markNeedsReconnect(shop: string): Promise<void>;
  /** The shop's time zone as Shopify reports it, for storage. */
  rememberTimeZone?(shop: string, timeZone: string): Promise<void>;
  /** The shop's order-name format as Shopify reports it, for storage: order numbers are read with it. */
  rememberOrderNameFormat?(shop: string, format: OrderNameFormat): Promise<void>;
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

/** How customers/redact names an order: "gid://shopify/Order/820982911946154508". */
const ORDER_GID = /^gid:\/\/shopify\/Order\/[0-9]+$/;

const sameFormat = (a: OrderNameFormat, b: OrderNameFormat) => a.prefix === b.prefix && a.suffix === b.suffix;

export class OrderLookup {
  readonly #o: OrderLookupOptions;
  readonly #ttl: typeof DEFAULT_TTL;
  readonly #cache: LRUCache<string, Cached>;
  /** The cache's keys per shop, so evicting a shop's orders never walks the whole cache. */
  readonly #keysByShop = new Map<string, Set<string>>();
  /** Shopify requests under way, by cache key (single flight). */
  readonly #flights = new Map<string, Flight>();
  /** Order-name format and zone per shop, learned from the latest answer; bounded like the cache. */
  readonly #settings: LRUCache<string, ShopSettings>;
  readonly breaker: CircuitBreaker;

  constructor(options: OrderLookupOptions) {
    this.#o = options;
    this.#ttl = {...DEFAULT_TTL, ...options.ttl};
    this.breaker = new CircuitBreaker(options.breaker ?? DEFAULT_BREAKER);
    this.#settings = new LRUCache({max: 10_000});
    this.#cache = new LRUCache<string, Cached>({
      max: options.maxEntries ?? 100_000,
      ttl: this.#ttl.activeMs,
      // The clock read on every check (~30 ns) instead of lru-cache's default: a 1-ms timer per cache whenever it is busy.
      ttlResolution: 0,
      // Expired entries stay until replaced, so an outage can fall back on them.
      allowStale: false,
      dispose: (_value, cacheKey, reason) => {
        if (reason !== 'set') this.#unindex(cacheKey);
      },
    });
  }

  get size(): number {
    return this.#cache.size;
  }

  /** The order's status within the deadline (a performance.now() value), whatever Shopify does. */
  async lookup(shop: ShopRecord, spoken: unknown, deadline: number): Promise<LookupOutcome> {
    const assumed = this.#formatOf(shop);
    const key = normalizeOrderNumber(spoken, assumed ?? DEFAULT_ORDER_NAME_FORMAT);
    if (!key) return {kind: 'no_number'};
    const outcome = await this.#lookupKey(shop, key, deadline);
    if (!('format' in outcome) || (assumed && sameFormat(outcome.format, assumed))) return outcome;
    // The answer shows a format the words were not read with ("A1-1001" is 1001 under the prefix
    // "A1-", 11001 under "#"): it counts only if the shop's format reads them the same way.
    const reread = normalizeOrderNumber(spoken, outcome.format);
    if (reread === key) return outcome;
    return reread ? this.#lookupKey(shop, reread, deadline) : {kind: 'no_number'};
  }

  async #lookupKey(shop: ShopRecord, key: string, deadline: number): Promise<LookupOutcome> {
    if (shop.connection === 'needs_reconnect' && !shop.accessToken) return {kind: 'unavailable', reason: 'needs_reconnect'};
    const withPhone = shop.verification === 'caller_phone';
    const cacheKey = this.#cacheKey(shop.shop, key, withPhone);

    // get, not peek: a hit makes the entry the newest, so the orders callers keep asking for stay (LRU, not FIFO).
    // An expired entry is kept (noDeleteOnStaleGet) for the outage and over-budget answers below.
    const cached = this.#cache.get(cacheKey, {noDeleteOnStaleGet: true});
    if (cached) {
      this.#o.observer?.cache?.(cached.stale ? 'stale' : 'hit');
      return this.#outcome(cached, key);
    }
    if (!this.breaker.allows(shop.shop)) return this.#fromCacheOnly(cacheKey, key);
    this.#o.observer?.cache?.('miss');

    // The token (storage, perhaps a refresh) and the order share the caller's budget; past it, both go on,
    // so Callina's retry finds the new token and the order cached.
    const work = this.#tokenThenFetch(shop, cacheKey, key, withPhone, deadline);
    try {
      const result = await withinBudget(work, deadline);
      if (result === BUDGET_EXCEEDED) return this.#staleOrBudgetExceeded(cacheKey, key);
      return 'kind' in result ? result : this.#outcome(result, key);
    } catch (error) {
      const e = toShopifyError(error);
      return {kind: 'unavailable', reason: e.kind};
    }
  }

  async #tokenThenFetch(shop: ShopRecord, cacheKey: string, key: string, withPhone: boolean, deadline: number): Promise<Cached | LookupOutcome> {
    const accessToken = await tokenForLookup(shop, this.#o.accessTokenFor, this.#o.log);
    if (typeof accessToken !== 'string') return accessToken;
    return this.#fetch(cacheKey, {shop, accessToken, key, withPhone, deadline}) ?? this.#fromCacheOnly(cacheKey, key);
  }

  /**
   * A webhook said this order changed, or must be forgotten: the next
   * caller must hear the new state. `order` is its name ("#1001") or its
   * GID (customers/redact). A request under way for it still answers the
   * callers waiting, but its answer is not kept.
   */
  evictOrder(shop: string, order: string): void {
    if (ORDER_GID.test(order)) return this.#evictWhere(shop, (entry) => entry?.orderId === order);
    const format = this.#settings.get(shop);
    const key = format && normalizeOrderNumber(order, format);
    // Without the shop's format the name cannot be read safely ("A1-1001"): all of the shop's orders go.
    if (!key) return this.#evictWhere(shop, () => true);
    for (const cacheKey of [this.#cacheKey(shop, key, false), this.#cacheKey(shop, key, true)]) {
      this.#cache.delete(cacheKey);
      this.#dropFlight(cacheKey);
    }
  }

  /** Everything of one shop (uninstall, settings changed). */
  evictShop(shop: string): void {
    this.#evictWhere(shop, () => true);
    this.#settings.delete(shop);
  }

  /** Everything (the change feed lost messages). */
  clear(): void {
    this.#cache.clear();
    this.#keysByShop.clear();
    for (const cacheKey of [...this.#flights.keys()]) this.#dropFlight(cacheKey);
    this.#settings.clear();
  }

  /** The shop's entries that match, and every request under way for the shop (its answer is not known yet). */
  #evictWhere(shop: string, matches: (entry: Cached | undefined) => boolean): void {
    for (const cacheKey of [...(this.#keysByShop.get(shop) ?? [])]) {
      if (matches(this.#cache.peek(cacheKey, {allowStale: true}))) this.#cache.delete(cacheKey);
    }
    for (const [cacheKey, flight] of [...this.#flights]) if (flight.shop === shop) this.#dropFlight(cacheKey);
  }

  /** The request goes on for those waiting; its answer is not stored, and the next caller starts a new one. */
  #dropFlight(cacheKey: string): void {
    const flight = this.#flights.get(cacheKey);
    if (!flight) return;
    flight.current = false;
    this.#flights.delete(cacheKey);
  }

  /** The shop's order-name format: as stored (any instance may have learned it), else as this instance last saw it. */
  #formatOf(shop: ShopRecord): OrderNameFormat | undefined {
    const {orderNamePrefix: prefix, orderNameSuffix: suffix} = shop;
    return typeof prefix === 'string' && typeof suffix === 'string' ? {prefix, suffix} : this.#settings.get(shop.shop);
  }

  /**
   * The Shopify request for this entry: the one under way, or a new one if
   * the circuit breaker grants it; undefined when it does not (the probe of
   * a half-open circuit is out).
   */
  #fetch(cacheKey: string, ctx: FetchContext): Promise<Cached> | undefined {
    const running = this.#flights.get(cacheKey);
    if (running) return running.answer;
    const shop = ctx.shop.shop;
    const permit = this.breaker.acquire(shop);
    if (!permit) return undefined;
    const flight: Flight = {
      shop,
      current: true,
      answer: this.#fetchFromShopify(ctx, this.#cache.peek(cacheKey, {allowStale: true}))
        .then(({entry, ttl}) => {
          if (flight.current) this.#store(cacheKey, shop, entry, ttl);
          return entry;
        })
        .finally(() => {
          if (permit === 'probe') this.breaker.releaseProbe(shop);
          if (this.#flights.get(cacheKey) === flight) this.#flights.delete(cacheKey);
        }),
    };
    this.#flights.set(cacheKey, flight);
    return flight.answer;
  }

  #store(cacheKey: string, shop: string, entry: Cached, ttl: number): void {
    this.#cache.set(cacheKey, entry, {ttl});
    let keys = this.#keysByShop.get(shop);
    if (!keys) this.#keysByShop.set(shop, (keys = new Set()));
    keys.add(cacheKey);
  }

  #unindex(cacheKey: string): void {
    const shop = cacheKey.slice(0, cacheKey.indexOf('\u0000'));
    const keys = this.#keysByShop.get(shop);
    keys?.delete(cacheKey);
    if (keys?.size === 0) this.#keysByShop.delete(shop);
  }

  #cacheKey(shop: string, key: string, withPhone: boolean): string {
    return `${shop}\u0000${key}\u0000${withPhone ? 'p' : ''}`;
  }

  #outcome(cached: Cached, key: string): LookupOutcome {
    const {prefix, suffix, timeZone} = cached.settings;
    return cached.order
      ? {kind: 'found', order: cached.order, timeZone, stale: cached.stale, format: {prefix, suffix}}
      : {kind: 'not_found', key, format: {prefix, suffix}, olderHidden: cached.settings.readsAllOrders === false};
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

  /** Shopify's answer for one entry, and how long to keep it. */
  async #fetchFromShopify(ctx: FetchContext, stale: Cached | undefined): Promise<{entry: Cached; ttl: number}> {
    const {shop, accessToken, key} = ctx;
    let withPhone = ctx.withPhone;
    const format = this.#formatOf(shop);
    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      try {
        const result = await this.#hedged(ctx, (signal) => this.#o.shopify.fetchOrderByNumber({
          shop: shop.shop, accessToken, key, withPhone, format, timeoutMs: this.#o.shopifyTimeoutMs, signal,
        }));
        this.#o.observer?.shopifyCall?.(performance.now() - started, undefined);
        this.breaker.success(shop.shop);
        const settings = this.#learn(shop, result.shopSettings);
        const entry = {order: result.order, orderId: result.orderId, settings, stale: false};
        return {entry, ttl: ttlFor(result.order, this.#ttl)};
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
        const wait = retryWaitMs(error, attempt, ctx.deadline);
        if (wait !== undefined) {
          if (wait > 0) await sleep(wait);
          continue;
        }
        this.breaker.failure(shop.shop);
        if (stale) return {entry: {...stale, stale: true}, ttl: this.#ttl.staleRetryMs};
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

  /**
   * Remembers what the answer taught about the shop. Returns the settings
   * object to keep in the cache entry: the shop's previous one when nothing
   * changed, so 100,000 cached orders of a shop share one (~70 B each saved).
   */
  #learn(shop: ShopRecord, learned: ShopSettings): ShopSettings {
    const known = this.#settings.get(shop.shop);
    const settings = known && sameSettings(known, learned) ? known : learned;
    this.#settings.set(shop.shop, settings);
    if (shop.timeZone !== settings.timeZone) {
      this.#o.rememberTimeZone?.(shop.shop, settings.timeZone).catch((e) => this.#o.log.warn({err: e}, 'could not store time zone'));
    }
    const {prefix, suffix} = settings;
    if (shop.orderNamePrefix !== prefix || shop.orderNameSuffix !== suffix) {
      this.#o.rememberOrderNameFormat?.(shop.shop, {prefix, suffix}).catch((e) => this.#o.log.warn({err: e}, 'could not store order-name format'));
    }
    return settings;
  }
}

const sameSettings = (a: ShopSettings, b: ShopSettings) =>
  a.timeZone === b.timeZone && a.prefix === b.prefix && a.suffix === b.suffix && a.readsAllOrders === b.readsAllOrders;
