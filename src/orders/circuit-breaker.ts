/**
 * Per-shop circuit breaker: after `threshold` failures in a row, Shopify is
 * left alone for `cooldownMs` (callers hear the fallback or stale data at
 * once). After the cooldown the next request is a probe: success closes
 * the circuit, failure opens it again for another cooldown.
 */
export type CircuitState = 'closed' | 'open' | 'half_open';

interface ShopCircuit {
  failures: number;
  openUntil: number;
}

export class CircuitBreaker {
  readonly #threshold: number;
  readonly #cooldownMs: number;
  readonly #now: () => number;
  readonly #shops = new Map<string, ShopCircuit>();

  constructor(options: {threshold: number; cooldownMs: number; now?: () => number}) {
    this.#threshold = options.threshold;
    this.#cooldownMs = options.cooldownMs;
    this.#now = options.now ?? Date.now;
  }

  state(shop: string): CircuitState {
    const c = this.#shops.get(shop);
    if (!c || c.failures < this.#threshold) return 'closed';
    return this.#now() < c.openUntil ? 'open' : 'half_open';
  }

  allows(shop: string): boolean {
    return this.state(shop) !== 'open';
  }

  success(shop: string): void {
    this.#shops.delete(shop);
  }

  failure(shop: string): void {
    const c = this.#shops.get(shop) ?? {failures: 0, openUntil: 0};
    c.failures += 1;
    if (c.failures >= this.#threshold) c.openUntil = this.#now() + this.#cooldownMs;
    this.#shops.set(shop, c);
  }

  /** Shops whose circuit is not closed, for metrics. */
  openCircuits(): number {
    let n = 0;
    for (const shop of this.#shops.keys()) if (this.state(shop) !== 'closed') n++;
    return n;
  }
}
