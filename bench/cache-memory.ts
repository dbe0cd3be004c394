/**
 * Memory per cached order. Runs with --expose-gc. Fills the real
 * OrderLookup (lru-cache, single flight) through the real Admin GraphQL
 * client (@shopify/shopify-api, zod schema, toOrderStatus) with
 * BENCH_ORDERS distinct orders; Shopify is the loopback stand-in, reached
 * through the service's own pool with the origin of https://<shop>/…
 * rewritten — the only difference from production.
 */

const SHOP = 'bench-shop.myshopify.com';
process.once('disconnect', () => process.exit(1)); // run.ts is gone
const standIn = process.env.BENCH_SHOPIFY_URL!;
const orders = Number(process.env.BENCH_ORDERS ?? 100_000);

const {routeShopifyRequests} = await import('../src/shopify/connections.ts');
routeShopifyRequests((origin) => (origin === `https://${SHOP}` ? standIn : origin));
const {OrderLookup} = await import('../src/orders/order-lookup.ts');
const {createAdminGraphql} = await import('../src/shopify/admin-graphql.ts');
const {createLogger} = await import('../src/log.ts');
const {loadConfig} = await import('../src/config.ts');

const config = loadConfig({DATABASE_URL: 'sqlite::memory:', ENCRYPTION_KEY: 'b'.repeat(64)});
const lookup = new OrderLookup({
  shopify: createAdminGraphql(),
  accessTokenFor: async () => 'shpat_bench',
  markNeedsReconnect: async () => {},
  log: createLogger('silent'),
  shopifyTimeoutMs: config.shopifyTimeoutMs,
  maxEntries: Math.max(config.orderCacheMax, orders),
  ttl: {...config.orderTtl, activeMs: 3_600_000},
});
const shop = {
  shop: SHOP, hookId: 'x'.repeat(24), secret: 's', previousSecret: null, previousSecretExpiresAt: null, storePhone: null,
  defaultLanguage: null, verification: 'none', contactHint: null, timeZone: 'Europe/Vienna', orderNamePrefix: '#', orderNameSuffix: '', accessToken: 'shpat_bench', connection: 'ok',
  callerLookup: 'on', customerAccess: 'unknown', businessHours: null, closedDates: [], afterHoursPhone: null,
  installedAt: new Date(), updatedAt: new Date(),
} as const;

async function fill(first: number, count: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const key = String(first + next++);
      const outcome = await lookup.lookup(shop, key, performance.now() + 30_000);
      if (outcome.kind !== 'found') throw new Error(`order ${key}: ${JSON.stringify(outcome)}`);
    }
  };
  await Promise.all(Array.from({length: 32}, worker));
}

async function settled(): Promise<NodeJS.MemoryUsage> {
  for (let i = 0; i < 3; i++) {
    globalThis.gc!();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return process.memoryUsage();
}

// Warm up code paths and the HTTP pool, then start from an empty cache.
await fill(1_000_000_000, 2_000);
lookup.clear();
const before = await settled();
const started = performance.now();
await fill(1, orders);
const fillSeconds = (performance.now() - started) / 1000;
const full = await settled();
const size = lookup.size;
lookup.clear();
const cleared = await settled();

process.send!({
  type: 'ready',
  orders,
  size,
  fillSeconds,
  before: {rss: before.rss, heapUsed: before.heapUsed},
  full: {rss: full.rss, heapUsed: full.heapUsed},
  cleared: {rss: cleared.rss, heapUsed: cleared.heapUsed},
});
process.once('SIGTERM', () => process.exit(0));
