/**
 * The service for the tail and connection scenarios: the real createApp on
 * a temporary SQLite file, its Shopify requests sent to the heavy-tailed
 * stand-in (BENCH_SHOPIFY_URL) by rewriting the origin of https://<shop>/…
 * — through the service's own connection pool, so the stand-in counts the
 * connections the service really opens. Hedging as
 * SHOPIFY_HEDGE_DELAY_MS says. Logs go nowhere. Also times bare requests
 * to the stand-in, for the cold-overhead floor.
 */
import {mkdtempSync, rmSync} from 'node:fs';
import {createServer} from 'node:http';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createApp} from '../src/app.ts';
import {loadConfig} from '../src/config.ts';
import {createLogger} from '../src/log.ts';
import {registerShop} from '../src/shops/shop-registry.ts';
import {ADMIN_API_VERSION} from '../src/shopify/admin-graphql.ts';
import {adminFetch, routeShopifyRequests} from '../src/shopify/connections.ts';
import {openStorage} from '../src/storage/open-storage.ts';

const SHOP = 'bench-tail.myshopify.com';
const standIn = process.env.BENCH_SHOPIFY_URL!;
routeShopifyRequests((origin) => (origin === `https://${SHOP}` ? standIn : origin));

const dataDir = mkdtempSync(join(tmpdir(), 'callina-bench-tail-'));
const databaseUrl = `sqlite:${join(dataDir, 'bench.sqlite')}`;
const config = loadConfig({...process.env, DATABASE_URL: databaseUrl, ENCRYPTION_KEY: 'b'.repeat(64), LOG_LEVEL: 'silent'});
const log = createLogger('silent');
const storage = await openStorage({databaseUrl, encryptionKey: config.encryptionKey, log});
const shop = await registerShop(storage, {shop: SHOP, accessToken: 'shpat_bench', storePhone: '+43662275124', defaultLanguage: 'en', timeZone: 'Europe/Vienna'});

const server = createServer(createApp({config, storage, log}).callback());
server.keepAliveTimeout = 5_000;
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const {port} = server.address() as {port: number};

/**
 * The floor of the cold-overhead scenario: one bare request to the same
 * stand-in, from this process, the way the service sends its lookups (the
 * Admin GraphQL client's fetch, through the service's pool), with its JSON
 * parsed; what the service's lookup adds is its answer time minus this.
 */
let floorKey = 900_000_000;
process.on('message', async (message: {type: string}) => {
  if (message.type !== 'floor') return;
  const key = String(++floorKey);
  const started = performance.now();
  const res = await adminFetch(`https://${SHOP}/admin/api/${ADMIN_API_VERSION}/graphql.json`, {
    method: 'POST',
    headers: {'content-type': 'application/json', 'x-shopify-access-token': 'shpat_bench'},
    body: JSON.stringify({query: 'query', variables: {query: `name:"#${key}" OR name:"${key}"`, withPhone: false}}),
  });
  await res.json();
  process.send!({type: 'floor:done', ms: performance.now() - started});
});

process.once('SIGTERM', async () => {
  server.closeAllConnections();
  server.close();
  await storage.close();
  rmSync(dataDir, {recursive: true, force: true});
  process.exit(0);
});
process.once('disconnect', () => process.exit(1)); // run.ts is gone
process.send!({type: 'ready', url: `http://127.0.0.1:${port}`, hookPath: `/callina/${shop.hookId}`, secret: shop.secret});
