import {timingSafeEqual} from 'node:crypto';
import type {Middleware} from 'koa';
import {Counter, Gauge, Histogram, Registry, collectDefaultMetrics} from 'prom-client';
import type {HedgeObserver} from './orders/hedge.ts';
import type {LookupObserver} from './orders/order-lookup.ts';
import type {ShopifyRequestError} from './shopify/errors.ts';

/**
 * Prometheus metrics. One registry per app (not prom-client's global one),
 * so several apps in one process — tests, the bench — never collide.
 * Labels carry no shop, call or caller: bounded and free of personal data.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'callina_requests_total',
    help: 'Callina webhook requests by event, outcome and HTTP status',
    labelNames: ['event', 'outcome', 'status'] as const,
    registers: [this.registry],
  });
  readonly responseSeconds = new Histogram({
    name: 'callina_response_seconds',
    help: 'Time from request arrival to the answer, by event',
    labelNames: ['event'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 2.5, 5],
    registers: [this.registry],
  });
  readonly budgetOverruns = new Counter({
    name: 'callina_budget_exceeded_total',
    help: 'Order lookups answered with the fallback because the time budget ran out',
    registers: [this.registry],
  });
  readonly cache = new Counter({
    name: 'order_cache_lookups_total',
    help: 'Order cache lookups by result: hit, miss, stale (served during an outage)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly shopifySeconds = new Histogram({
    name: 'shopify_request_seconds',
    help: 'Admin GraphQL request latency by result (ok or the error kind)',
    labelNames: ['result'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8],
    registers: [this.registry],
  });
  readonly shopifyErrors = new Counter({
    name: 'shopify_errors_total',
    help: 'Admin GraphQL failures by kind (throttled, server_error, network, timeout, unauthorized, …)',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  readonly hedges = new Counter({
    name: 'shopify_hedged_requests_total',
    help: 'Twins of slow Admin GraphQL requests by how they ended: won (answered first), lost, failed',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly hedgesSkipped = new Counter({
    name: 'shopify_hedges_skipped_total',
    help: 'Slow requests that got no twin, by reason: bucket_low, circuit_half_open, budget',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  constructor(options: {openCircuits: () => number; cachedOrders: () => number}) {
    // The event-loop delay monitor wakes the process once per resolution. At prom-client's default
    // 10 ms an idle instance burned ~11 ms of CPU a second (BENCHMARKS.md): 100 ms still catches
    // every stall that long, and a stall that matters to a 2.5-s call is longer.
    collectDefaultMetrics({register: this.registry, eventLoopMonitoringPrecision: EVENT_LOOP_RESOLUTION_MS});
    new Gauge({
      name: 'shopify_circuit_open_shops',
      help: 'Shops whose circuit breaker is open or half-open',
      registers: [this.registry],
      collect() {
        this.set(options.openCircuits());
      },
    });
    new Gauge({
      name: 'order_cache_entries',
      help: 'Orders currently held in the lookup cache',
      registers: [this.registry],
      collect() {
        this.set(options.cachedOrders());
      },
    });
  }

  /** Feeds the lookup's events into the counters. */
  get lookupObserver(): LookupObserver {
    return {
      cache: (result) => this.cache.inc({result}),
      shopifyCall: (ms: number, error: ShopifyRequestError | undefined) => {
        this.shopifySeconds.observe({result: error?.kind ?? 'ok'}, ms / 1000);
        if (error) this.shopifyErrors.inc({kind: error.kind});
      },
    };
  }

  /** Feeds the hedger's events into the counters; twins sent = the sum over results. */
  get hedgeObserver(): HedgeObserver {
    return {
      ended: (result) => this.hedges.inc({result}),
      skipped: (reason) => this.hedgesSkipped.inc({reason}),
    };
  }

  /** Called once per Callina request, whatever its end. */
  recordCall(event: string | undefined, outcome: string | undefined, status: number, seconds: number): void {
    const e = event && KNOWN_EVENTS.has(event) ? event : 'other';
    this.requests.inc({event: e, outcome: outcome ?? 'rejected', status: String(status)});
    this.responseSeconds.observe({event: e}, seconds);
    if (outcome === 'budget_exceeded') this.budgetOverruns.inc();
  }
}

/** How often the event-loop delay monitor samples (prom-client's default is 10 ms). */
const EVENT_LOOP_RESOLUTION_MS = 100;

/** Event names from the outside world become labels only when known: bounded cardinality. */
const KNOWN_EVENTS = new Set(['intent.detected', 'tool.invoked', 'escalation.requested', 'silence.detected']);

/** GET /metrics with `Authorization: Bearer <METRICS_TOKEN>`; 404 when no token is configured. */
export function metricsEndpoint(metrics: Metrics, token: string | undefined): Middleware {
  const expected = token ? Buffer.from(`Bearer ${token}`) : undefined;
  return async (ctx, next) => {
    if (ctx.path !== '/metrics' || ctx.method !== 'GET' || !expected) return next();
    const given = Buffer.from(ctx.get('authorization'));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      ctx.set('WWW-Authenticate', 'Bearer');
      ctx.status = 401;
      ctx.body = {error: 'unauthorized', message: 'a valid bearer token is required'};
      return;
    }
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  };
}
