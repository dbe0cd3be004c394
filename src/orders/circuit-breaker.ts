/**
 * Per-shop circuit breaker: after `threshold` failures in a row, Shopify is
 * left alone for `cooldownMs` (callers hear the fallback or stale data at
 * once). After the cooldown one request at a time is a probe: success
 * closes the circuit, failure opens it again for another cooldown; while
 * the probe is out, every other caller is served as if the circuit were
 * still open.
 */
export type CircuitState = 'closed' | 'open' | 'half_open';

interface ShopCircuit {
  failures: number;
  openUntil: number;
  /** A half-open circuit's probe is under way. */
  probing: boolean;
}

/** What {@link CircuitBreaker.acquire} grants: a request, the one probe of a half-open circuit, or nothing. */
export type Permit = 'request' | 'probe' | undefined;

export class CircuitBreaker {
  readonly #threshold: number;
  readonly #cooldownMs: number;
  readonly #now: () => number;
  readonly #shops = new Map<string, ShopCircuit>();

  constructor(options: {threshold: number; cooldownMs: number; now?: () => number}) {
    this.#threshold = options.threshold;
    this.#cooldownMs = options.cooldownMs;
    this.#now = options.now ?? (() => Date.now());
  }

  state(shop: string): CircuitState {
    const c = this.#shops.get(shop);
    if (!c || c.failures < this.#threshold) return 'closed';
    return this.#now() < c.openUntil ? 'open' : 'half_open';
  }

  /** Whether Shopify may be asked at all (closed or half-open); {@link acquire} decides who. */
  allows(shop: string): boolean {
    return this.state(shop) !== 'open';
  }

  /**
   * Permission to send one new request now: always while closed; while
   * half-open only to the first caller until its probe reports back
   * ({@link success}, {@link failure} or {@link releaseProbe}).
   */
  acquire(shop: string): Permit {
    const state = this.state(shop);
    if (state === 'closed') return 'request';
    const c = this.#shops.get(shop);
    if (state === 'open' || !c || c.probing) return undefined;
    c.probing = true;
    return 'probe';
  }

  success(shop: string): void {
    this.#shops.delete(shop);
  }

  failure(shop: string): void {
    const c = this.#shops.get(shop) ?? {failures: 0, openUntil: 0, probing: false};
    c.failures += 1;
    if (c.failures >= this.#threshold) {
      c.openUntil = this.#now() + this.#cooldownMs;
      c.probing = false;
    }
    this.#shops.set(shop, c);
  }

  /** The probe ended without a verdict on Shopify's health (e.g. the token was refused): the next caller may probe. */
  releaseProbe(shop: string): void {
    const c = this.#shops.get(shop);
    if (c) c.probing = false;
  }

  /** Shops whose circuit is not closed, for metrics. */
  openCircuits(): number {
    let n = 0;
    for (const shop of this.#shops.keys()) if (this.state(shop) !== 'closed') n++;
    return n;
  }
}
