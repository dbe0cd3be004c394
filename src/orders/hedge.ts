import {LRUCache} from 'lru-cache';
import type {CostBucket} from '../shopify/admin-graphql.ts';
import {ShopifyThrottledError} from '../shopify/errors.ts';

/**
 * Hedged Shopify requests ("The Tail at Scale", Dean and Barroso, CACM
 * 2013): a request that has not answered after the shop's usual slow
 * latency (its recent p95) gets one identical twin; the first good answer
 * wins and the other is cancelled. About one request in twenty is hedged,
 * and a caller stuck behind one of Shopify's slow requests hears the answer
 * anyway.
 *
 * Never more than one extra request, and none when it would hurt or cannot
 * help: the shop's cost bucket is low (a twin would spend points other
 * lookups need), its circuit is half-open (the probe goes alone), or the
 * caller's budget has no room left for a twin to answer in.
 */

/** 'auto': each shop's recent p95, within {@link HEDGE_BOUNDS}; a number: that fixed delay; 'off': never. */
export type HedgeDelay = 'auto' | 'off' | number;

export const HEDGE_BOUNDS = {minMs: 150, maxMs: 1500};
/** Latencies remembered per shop. */
const WINDOW = 200;
/** Before this many, a shop's p95 is a guess: hedge only late (the upper bound). */
const MIN_SAMPLES = 20;
/** Below this share of its maximum the bucket is left to first requests. */
const LOW_BUCKET_SHARE = 0.2;

export type HedgeSkip = 'bucket_low' | 'circuit_half_open' | 'budget';
export type HedgeResult = 'won' | 'lost' | 'failed';

export interface HedgeObserver {
  /** How a twin ended: it answered first, the first request did, or it failed. */
  ended?(result: HedgeResult): void;
  skipped?(reason: HedgeSkip): void;
}

export interface HedgeGuard {
  shop: string;
  /** The first caller's deadline (a performance.now() value): a twin must be able to answer before it. */
  deadline: number;
  /** False while the shop's circuit is half-open. */
  circuitClosed(): boolean;
}

interface ShopLatency {
  samples: number[];
  next: number;
  /** p50 and p95 of `samples`, recomputed every few samples. */
  p50: number;
  p95: number;
  sinceSorted: number;
}

export class Hedger {
  readonly #delay: HedgeDelay;
  readonly #observer: HedgeObserver | undefined;
  readonly #latency = new LRUCache<string, ShopLatency>({max: 10_000});
  readonly #buckets = new LRUCache<string, {bucket: CostBucket; at: number}>({max: 10_000});
  readonly #throttledUntil = new LRUCache<string, number>({max: 10_000});

  constructor(options: {delay: HedgeDelay; observer?: HedgeObserver}) {
    this.#delay = options.delay;
    this.#observer = options.observer;
  }

  /** How long a request of this shop may take before it gets a twin. */
  delayFor(shop: string): number {
    if (typeof this.#delay === 'number') return this.#delay;
    const l = this.#latency.get(shop);
    if (!l || l.samples.length < MIN_SAMPLES) return HEDGE_BOUNDS.maxMs;
    return Math.min(HEDGE_BOUNDS.maxMs, Math.max(HEDGE_BOUNDS.minMs, this.#stats(l).p95));
  }

  /**
   * Runs `request`, and once more beside it if it is slow. `request` gets a
   * signal that cancels it when the other one won. Rejects with the first
   * request's error when it failed before its twin was due, or when both failed.
   */
  run<T extends {bucket?: CostBucket | undefined}>(guard: HedgeGuard, request: (signal?: AbortSignal) => Promise<T>): Promise<T> {
    if (this.#delay === 'off') return request();
    const {shop} = guard;
    const started = performance.now();
    const first = new AbortController();
    let twin: AbortController | undefined;
    let pending = 1;
    let firstError: unknown;
    let settled = false;

    return new Promise<T>((resolve, reject) => {
      const finish = () => {
        settled = true;
        clearTimeout(timer);
      };
      const won = (byTwin: boolean, value: T) => {
        if (byTwin) this.#observer?.ended?.(settled ? 'lost' : 'won');
        if (settled) return;
        finish();
        this.#noteBucket(shop, value.bucket);
        // When its twin won, the first request is only known to take at least this long.
        if (firstError === undefined) this.#sample(shop, performance.now() - started);
        (byTwin ? first : twin)?.abort();
        resolve(value);
      };
      const failed = (byTwin: boolean, error: unknown) => {
        pending--;
        if (byTwin) this.#observer?.ended?.(settled ? 'lost' : 'failed');
        if (settled) return;
        if (error instanceof ShopifyThrottledError) this.#throttledUntil.set(shop, performance.now() + error.retryAfterMs);
        if (!byTwin) firstError = error;
        // Before its twin is sent, the first request's failure is the answer (the lookup may retry);
        // after, the lookup fails only when both did.
        if (pending > 0 && twin) return;
        finish();
        reject(firstError ?? error);
      };
      const fire = () => {
        if (settled) return;
        const refusal = this.#refusal(guard);
        if (refusal) {
          this.#observer?.skipped?.(refusal);
          return;
        }
        twin = new AbortController();
        pending++;
        request(twin.signal).then((v) => won(true, v), (e: unknown) => failed(true, e));
      };
      const timer = setTimeout(fire, this.delayFor(shop));
      request(first.signal).then((v) => won(false, v), (e: unknown) => failed(false, e));
    });
  }

  #refusal(guard: HedgeGuard): HedgeSkip | undefined {
    if (this.#bucketLow(guard.shop)) return 'bucket_low';
    if (!guard.circuitClosed()) return 'circuit_half_open';
    if (guard.deadline - performance.now() < this.#typicalMs(guard.shop)) return 'budget';
    return undefined;
  }

  /** What a twin is likely to need: the shop's median, or the lower bound before there is one. */
  #typicalMs(shop: string): number {
    const l = this.#latency.get(shop);
    return l && l.samples.length >= MIN_SAMPLES ? Math.max(HEDGE_BOUNDS.minMs, this.#stats(l).p50) : HEDGE_BOUNDS.minMs;
  }

  /** The bucket as last reported, refilled at its restore rate since; a recent THROTTLED means low. */
  #bucketLow(shop: string): boolean {
    const now = performance.now();
    if ((this.#throttledUntil.get(shop) ?? 0) > now) return true;
    const seen = this.#buckets.get(shop);
    if (!seen) return false;
    const {maximumAvailable: max, currentlyAvailable, restoreRate} = seen.bucket;
    const available = Math.min(max, currentlyAvailable + (restoreRate * (now - seen.at)) / 1000);
    return available < LOW_BUCKET_SHARE * max;
  }

  #noteBucket(shop: string, bucket: CostBucket | undefined): void {
    if (bucket) this.#buckets.set(shop, {bucket, at: performance.now()});
    this.#throttledUntil.delete(shop);
  }

  #sample(shop: string, ms: number): void {
    let l = this.#latency.get(shop);
    if (!l) {
      l = {samples: [], next: 0, p50: 0, p95: 0, sinceSorted: Infinity};
      this.#latency.set(shop, l);
    }
    if (l.samples.length < WINDOW) l.samples.push(ms);
    else l.samples[l.next] = ms;
    l.next = (l.next + 1) % WINDOW;
    l.sinceSorted++;
  }

  /** Percentiles, re-sorted only every few samples: a cold lookup should not pay a sort each. */
  #stats(l: ShopLatency): ShopLatency {
    if (l.sinceSorted >= 8) {
      const sorted = [...l.samples].sort((a, b) => a - b);
      const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
      l.p50 = at(0.5);
      l.p95 = at(0.95);
      l.sinceSorted = 0;
    }
    return l;
  }
}
