/**
 * The service under test, in its own process: the real createApp on real
 * storage (SQLite in a temp folder, or BENCH_DATABASE_URL), listening on
 * loopback, with Shopify answered by nock in this process after
 * BENCH_SHOPIFY_DELAY_MS. Logs at info level, one JSON line per request as
 * in production, written to /dev/null; answers are counted from /metrics.
 */
import {writeFileSync, mkdirSync, mkdtempSync, rmSync} from 'node:fs';
import {Session} from 'node:inspector/promises';
import {createServer} from 'node:http';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import nock from 'nock';
import {pino} from 'pino';
import {createApp} from '../src/app.ts';
import {loadConfig} from '../src/config.ts';
import {createLogger} from '../src/log.ts';
import {registerShop} from '../src/shops/shop-registry.ts';
import {openStorage} from '../src/storage/open-storage.ts';
import type {Message} from './child.ts';
import {callerAnswer, orderAnswer, requestedKey, requestedPhone, SHOPIFY_HEADERS} from './shopify-answer.ts';

const SHOP = 'bench-shop.myshopify.com';
const BENCH_METRICS_TOKEN = 'bench-metrics-token-0123456789';
const delayMs = Number(process.env.BENCH_SHOPIFY_DELAY_MS ?? 150);

const dataDir = mkdtempSync(join(tmpdir(), 'callina-bench-'));
const databaseUrl = process.env.BENCH_DATABASE_URL || `sqlite:${join(dataDir, 'bench.sqlite')}`;
const config = loadConfig({
  ...process.env,
  DATABASE_URL: databaseUrl,
  ENCRYPTION_KEY: 'b'.repeat(64),
  LOG_LEVEL: 'info',
  METRICS_TOKEN: BENCH_METRICS_TOKEN,
  // A run lasts about three minutes: warm entries must not expire in between.
  ORDER_TTL_ACTIVE_SECONDS: '3600',
});

// The log goes where production's goes (pino's own destination, written synchronously), only to /dev/null.
const log = createLogger(config.logLevel, pino.destination({dest: '/dev/null', sync: true}));
const storage = await openStorage({databaseUrl, encryptionKey: config.encryptionKey, log});
await storage.deleteShop(SHOP);
const shop = await registerShop(storage, {shop: SHOP, accessToken: 'shpat_bench', storePhone: '+43662275124', defaultLanguage: 'en'});

// Shopify, at the HTTP level, in the process that calls it.
const shopifyCalls = new Map<string, number>();
nock.disableNetConnect();
nock.enableNetConnect((host) => host.startsWith('127.0.0.1') || host.startsWith('localhost') || host.startsWith('[::1]'));
nock(`https://${SHOP}`)
  .persist()
  .post(/^\/admin\/api\/[^/]+\/graphql\.json$/)
  .reply(async (request: Request) => {
    const body = await request.text();
    const phone = requestedPhone(body);
    const key = requestedKey(body);
    shopifyCalls.set(key, (shopifyCalls.get(key) ?? 0) + 1);
    await sleep(delayMs);
    return [200, phone ? callerAnswer(phone) : orderAnswer(key), SHOPIFY_HEADERS];
  });

const server = createServer(createApp({config, storage, log}).callback());
server.keepAliveTimeout = 5_000;
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const {port} = server.address() as {port: number};

/**
 * Answers by outcome and hedge twins sent, from the service's own counters (GET /metrics): the
 * bench once parsed every log line for them, in the service's process, and
 * so charged the service for its own bookkeeping.
 */
async function counted(): Promise<{outcomes: Record<string, number>; hedges: number}> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`, {headers: {authorization: `Bearer ${BENCH_METRICS_TOKEN}`}});
  const text = await res.text();
  const outcomes: Record<string, number> = {};
  for (const [, outcome, n] of text.matchAll(/^callina_requests_total\{[^}]*outcome="([a-z_]+)"[^}]*\} (\d+)$/gm)) {
    outcomes[outcome!] = (outcomes[outcome!] ?? 0) + Number(n);
  }
  // Twins sent: the sum over how they ended.
  const hedges = [...text.matchAll(/^shopify_hedged_requests_total\{[^}]*\} (\d+)$/gm)].reduce((sum, [, n]) => sum + Number(n), 0);
  return {outcomes, hedges};
}

/**
 * The nock floor: a bare fetch() through the same interceptor, without the
 * service around it. Kept as it was when cold.overhead_p50_ms was defined,
 * so the key compares run to run; the service's own requests now go through
 * undici's request() (src/shopify/connections.ts), which nock intercepts
 * at another layer, one more reason the real-socket figure is the sharper.
 */
async function nockFloor(requests: number, concurrency: number): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < requests) {
      const key = String(900_000_000 + next++);
      const started = performance.now();
      const res = await fetch(`https://${SHOP}/admin/api/2026-10/graphql.json`, {
        method: 'POST',
        headers: {'content-type': 'application/json', 'x-shopify-access-token': 'shpat_bench'},
        body: JSON.stringify({query: 'query', variables: {query: `name:"#${key}" OR name:"${key}"`, withPhone: false}}),
      });
      await res.json();
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({length: concurrency}, worker));
  return latencies;
}

/** BENCH_PROFILE=1: a CPU profile of one warm run (what --cpu-prof writes, without start-up and priming). */
const profiler = new Session();
profiler.connect();

process.on('message', async (message: Message) => {
  switch (message.type) {
    case 'cpu': {
      // CPU alone, without the /metrics scrape of 'stats': the idle scenario must not wake the service.
      const cpu = process.cpuUsage();
      process.send!({type: 'cpu:done', cpuMicros: cpu.user + cpu.system});
      break;
    }
    case 'stats': {
      const key = String(message.key ?? '');
      const {outcomes, hedges} = await counted();
      const cpu = process.cpuUsage();
      process.send!({
        type: 'stats:done',
        shopifyCalls: [...shopifyCalls.values()].reduce((a, b) => a + b, 0),
        callsForKey: shopifyCalls.get(key) ?? 0,
        outcomes,
        hedges,
        cpuMicros: cpu.user + cpu.system,
      });
      break;
    }
    case 'profile-start':
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
      process.send!({type: 'profile-start:done'});
      break;
    case 'profile-stop': {
      const {profile} = await profiler.post('Profiler.stop');
      // bench/results/ is not in a fresh clone (it is ignored), and this is the first file written there.
      mkdirSync(dirname(String(message.file)), {recursive: true});
      writeFileSync(String(message.file), JSON.stringify(profile));
      process.send!({type: 'profile-stop:done'});
      break;
    }
    case 'nock-floor':
      process.send!({type: 'nock-floor:done', latencies: await nockFloor(Number(message.requests), Number(message.concurrency))});
      break;
  }
});

process.once('SIGTERM', async () => {
  server.closeAllConnections();
  server.close();
  await storage.deleteShop(SHOP).catch(() => {});
  await storage.close();
  rmSync(dataDir, {recursive: true, force: true});
  process.exit(0);
});

process.once('disconnect', () => process.exit(1)); // run.ts is gone
process.send!({type: 'ready', url: `http://127.0.0.1:${port}`, hookPath: `/callina/${shop.hookId}`, secret: shop.secret, storage: storage.kind, delayMs});
