/**
 * The soak: service instances on real storage under a steady, bounded load
 * of simulated calls on loopback while Shopify and the infrastructure fail
 * on a schedule; every answer is judged as it arrives, and at the end the
 * database is counted against what was sent and acknowledged.
 *
 * Modes (run side by side, sharing the rate 2:1):
 *  - postgres: two instances on one PostgreSQL database;
 *  - sqlite:   one instance on a SQLite file, with the CLI writing to it
 *              every few seconds.
 */
import {execFile} from 'node:child_process';
import {mkdirSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import pg from 'pg';
import {Agent, request} from 'undici';
import {startChild} from '../bench/child.ts';
import {summarize} from '../bench/stats.ts';
import {parseClosedDates, parseWeeklyHours} from '../src/hours/schedule.ts';
import {createLogger} from '../src/log.ts';
import {registerShop} from '../src/shops/shop-registry.ts';
import {openStorage} from '../src/storage/open-storage.ts';
import {REPORT_COUNTERS, type Storage} from '../src/storage/storage.ts';
import {startInstance, type Instance, type Memory} from './instances.ts';
import type {ShopifyMode} from './shopify-sim.ts';
import {BAD_INPUT, CALLERS, callerPhone, classifyLookup, ORDER_UNIVERSE, pickKind, plan, random, type Kind, type Planned, type Spoken} from './traffic.ts';

export type ModeName = 'postgres' | 'sqlite';
export type FaultName = 'shopify_errors' | 'shopify_throttled' | 'shopify_outage' | 'pg_terminate' | 'kill' | 'rotate_secret' | 'change_setting' | 'cli_writes';
export const ALL_FAULTS: FaultName[] = ['shopify_errors', 'shopify_throttled', 'shopify_outage', 'pg_terminate', 'kill', 'rotate_secret', 'change_setting', 'cli_writes'];

export interface SoakOptions {
  seconds: number;
  /** Requests per second over all modes. */
  rate: number;
  modes: ModeName[];
  faults: FaultName[];
  /** A PostgreSQL server to create the soak's database on (the caller starts an embedded one if need be). */
  postgresServerUrl?: string;
  /** Where instance logs go. */
  logDir: string;
  budgetMs?: number;
  progress?: (line: string) => void;
  seed?: number;
}

const KEY = 'c'.repeat(64);
const STORE_PHONE = '+43662275124';
const NEW_STORE_PHONE = '+43662999000';
const AFTER_HOURS_PHONE = '+436641234567';
const POOL_SIZE = 5;
/** Small on purpose: the cache is full after warm-up, so memory growth after it is a leak, not a filling cache. */
const ORDER_CACHE_MAX = 300;
const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** When each fault happens, as a share of the run (scaled to any duration). */
export const SCHEDULE = {
  warmUpEnd: 0.2,
  shopifyErrors: [0.22, 0.26],
  shopifyThrottled: [0.29, 0.32],
  pgTerminate: [0.5, 0.8],
  shopifyOutage: [0.42, 0.47],
  rotateSecret: 0.52,
  changeSetting: 0.57,
  kill: {postgres: 0.64, sqlite: 0.7},
} as const;

interface ShopTarget {
  label: 'open' | 'closed';
  shop: string;
  hookId: string;
  secret: string;
  oldSecret?: string;
  storePhone: string;
  /** When the store phone changed (ms into the run): transfers after this + 2 s must use the new one. */
  phoneChangedAt?: number;
}

/** One request and what became of it. */
interface Sent {
  kind: Kind;
  shop: 'open' | 'closed';
  instance: Instance;
  generation: number;
  callId: string;
  key?: string;
  at: number;
  ms?: number;
  status?: number;
  error?: string;
  inFlightAtKill?: boolean;
  spoken?: Spoken;
  transferTo?: string;
  outageJudged?: 'cached' | 'cold';
}

interface Tally {
  requests: number;
  signed: number;
  signed5xx: number;
  signedOther: number;
  signedBadBody: number;
  connectionErrors: number;
  withinBudget: number;
  judgedForBudget: number;
  badInput: number;
  badInputWrong: number;
  inFlightAtKill: number;
  /** Answers past budget + 50 ms, but within it once the soak's own forced GC pause is taken off. */
  excusedByForcedGc: number;
  notSentInstanceDown: number;
  staleSettingAnswers: number;
  oldSecretAccepted: number;
  outageCachedWrong: number;
  outageColdWrong: number;
  outageJudged: number;
  unclassified: number;
  latencies: number[];
  failures: string[];
}

const newTally = (): Tally => ({
  requests: 0, signed: 0, signed5xx: 0, signedOther: 0, signedBadBody: 0, connectionErrors: 0, withinBudget: 0, judgedForBudget: 0,
  badInput: 0, badInputWrong: 0, inFlightAtKill: 0, excusedByForcedGc: 0, notSentInstanceDown: 0, staleSettingAnswers: 0, oldSecretAccepted: 0,
  outageCachedWrong: 0, outageColdWrong: 0, outageJudged: 0, unclassified: 0, latencies: [], failures: [],
});

export interface ModeReport {
  mode: ModeName;
  instances: number;
  requests: number;
  requests_per_s: number;
  signed_5xx: number;
  signed_other_non_200: number;
  signed_bad_body: number;
  connection_errors: number;
  within_budget_pct: number;
  answers_timed: number;
  answers_within_budget: number;
  latency_ms: {p50: number; p90: number; p99: number; max: number};
  bad_input: number;
  bad_input_wrong: number;
  in_flight_to_killed: number;
  /** The memory samples' forced full GCs stop an instance; an answer they delayed is judged with that pause taken off. */
  forced_gc: {samples: number; pause_ms_p50: number; pause_ms_max: number; answers_excused: number};
  not_sent_instance_down: number;
  events_sent: number;
  events_stored: number;
  events_missing: number;
  events_duplicated: number;
  events_unexpected: number;
  escalation_result_wrong: number;
  report: Record<string, {expected: number; uncertain: number; stored: number; ok: boolean}>;
  report_ok: boolean;
  heap_growth_pct: number;
  rss_growth_pct: number;
  /** Floors of the first and last quarter of the samples after warm-up (see floorGrowth), and every sample. */
  memory: Record<string, {warm_heap_mb: number; end_heap_mb: number; warm_rss_mb: number; end_rss_mb: number; heap_mb: number[]; rss_mb: number[]}>;
  pg_connections?: Record<string, {min: number; max: number}>;
  pg_connections_ok: boolean;
  unhandled_rejections: number;
  error_log_lines: number;
  error_log_messages: Record<string, number>;
  crashes: number;
  outage: {judged: number; cached_wrong: number; cold_wrong: number; recovery_ms: number | null};
  stale_setting_answers: number;
  setting_applied_ms: number | null;
  old_secret_accepted: number;
  cli_writes: number;
  cli_failures: number;
  faults: string[];
  failures: string[];
  ok: boolean;
}

export interface SoakReport {
  started_at: string;
  seconds: number;
  rate: number;
  budget_ms: number;
  modes: ModeReport[];
  shopify: Record<string, number>;
  signed_5xx: number;
  within_budget_pct: number;
  events_sent: number;
  events_stored: number;
  heap_growth_pct: number;
  ok: boolean;
}

interface ForcedGc {
  instance: Instance;
  generation: number;
  from: number;
  to: number;
  pauseMs: number;
}

/** What a mode needs while it runs. */
class ModeRun {
  readonly tally = newTally();
  readonly sent: Sent[] = [];
  readonly faults: string[] = [];
  /** Per instance, its first process's samples from warm-up on (a restarted process starts cold again). */
  readonly memory = new Map<string, Memory[]>();
  readonly pgConnections = new Map<string, number[]>();
  /** Per instance generation, keys in the order the cache last touched them (newest last). */
  readonly touched = new Map<string, Map<string, boolean>>();
  /** When each memory sample stopped which instance (soak clock), and for how long; to = Infinity while under way. */
  readonly forcedGc: ForcedGc[] = [];
  readonly rnd: () => number;
  /** Instance generations SIGKILLed, and when (ms into the run). */
  readonly kills = new Map<string, number>();
  cliWrites = 0;
  cliFailures = 0;
  next = 0;
  outage?: {from: number; to: number};
  recoveryMs: number | null = null;
  settingAppliedMs: number | null = null;
  readonly mode: ModeName;
  readonly databaseUrl: string;
  readonly instances: Instance[];
  readonly shops: ShopTarget[];
  constructor(mode: ModeName, databaseUrl: string, instances: Instance[], shops: ShopTarget[], seed: number) {
    this.mode = mode;
    this.databaseUrl = databaseUrl;
    this.instances = instances;
    this.shops = shops;
    this.rnd = random(seed);
  }
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const budgetMs = options.budgetMs ?? 2000;
  const seed = options.seed ?? 14;
  const say = options.progress ?? (() => {});
  const startedAt = new Date();
  mkdirSync(options.logDir, {recursive: true});
  const shopify = await startChild<{type: 'ready'; url: string}>('../soak/shopify-sim.ts', {SOAK_SEED: String(seed)});
  const dataDir = mkdtempSync(join(tmpdir(), 'callina-soak-'));
  const agent = new Agent({keepAliveTimeout: 4_000, connections: 64});
  const runs: ModeRun[] = [];
  let dropDatabase: (() => Promise<void>) | undefined;
  try {
    for (const mode of options.modes) {
      let databaseUrl: string;
      if (mode === 'postgres') {
        if (!options.postgresServerUrl) throw new Error('the postgres mode needs a PostgreSQL server');
        const created = await createDatabase(options.postgresServerUrl);
        databaseUrl = created.url;
        dropDatabase = created.drop;
      } else {
        databaseUrl = `sqlite:${join(dataDir, 'soak.sqlite')}`;
      }
      const shops = await registerShops(databaseUrl, mode);
      const env = {
        DATABASE_URL: databaseUrl, ENCRYPTION_KEY: KEY, LOG_LEVEL: 'info', LOOKUP_BUDGET_MS: String(budgetMs),
        ORDER_CACHE_MAX: String(ORDER_CACHE_MAX), DATABASE_POOL_SIZE: String(POOL_SIZE), SOAK_SHOPIFY_URL: shopify.ready.url,
      };
      const names = mode === 'postgres' ? ['pg-a', 'pg-b'] : ['sqlite'];
      const instances = await Promise.all(names.map((name) => startInstance(name, env, options.logDir)));
      runs.push(new ModeRun(mode, databaseUrl, instances, shops, seed + runs.length));
    }
    say(`soak: ${options.seconds} s at ${options.rate} req/s; modes ${options.modes.join(', ')}; faults ${options.faults.join(', ') || 'none'}; logs in ${options.logDir}`);

    const durationMs = options.seconds * 1000;
    const t0 = performance.now();
    const now = () => performance.now() - t0;
    const inFlight = new Set<Promise<void>>();
    const shares = runs.map((run) => (run.mode === 'postgres' && runs.length > 1 ? 2 / 3 : runs.length > 1 ? 1 / 3 : 1));

    // The load: open loop, so a slow answer never slows the senders down.
    const loader = setInterval(() => {
      const elapsed = now();
      if (elapsed >= durationMs) return;
      runs.forEach((run, i) => {
        const due = Math.floor((elapsed / 1000) * options.rate * shares[i]!);
        while (run.next < due) {
          run.next++;
          const p = send(run, agent, now, budgetMs);
          inFlight.add(p);
          void p.finally(() => inFlight.delete(p));
        }
      });
    }, 10);

    const timers: NodeJS.Timeout[] = [];
    const at = (share: number, what: () => Promise<void>) => {
      timers.push(setTimeout(() => void what().catch((error: Error) => runs[0]!.tally.failures.push(`fault failed: ${error.message}`)), share * durationMs));
    };
    const has = (fault: FaultName) => options.faults.includes(fault);
    const shopifyMode = async (mode: ShopifyMode) => {
      await shopify.ask({type: 'mode', mode});
      for (const run of runs) run.faults.push(`${(now() / 1000).toFixed(1)} s: Shopify ${mode}`);
    };
    const window = (range: readonly [number, number], mode: ShopifyMode) => {
      at(range[0], () => shopifyMode(mode));
      at(range[1], () => shopifyMode('normal'));
    };
    at(SCHEDULE.warmUpEnd, async () => {
      await sampleMemory(runs, now);
      const every = setInterval(() => void sampleMemory(runs, now), Math.max(MEMORY_SAMPLE_MIN_MS, ((1 - SCHEDULE.warmUpEnd) * durationMs) / MEMORY_SAMPLES));
      timers.push(every);
    });
    if (has('shopify_errors')) window(SCHEDULE.shopifyErrors, 'errors');
    if (has('shopify_throttled')) window(SCHEDULE.shopifyThrottled, 'throttled');
    if (has('shopify_outage')) {
      window(SCHEDULE.shopifyOutage, 'outage');
      for (const run of runs) run.outage = {from: SCHEDULE.shopifyOutage[0] * durationMs, to: SCHEDULE.shopifyOutage[1] * durationMs};
    }
    for (const run of runs) {
      if (has('pg_terminate') && run.mode === 'postgres') for (const share of SCHEDULE.pgTerminate) at(share, () => terminateConnections(run, now));
      if (has('rotate_secret')) at(SCHEDULE.rotateSecret, () => rotateSecret(run, now));
      if (has('change_setting')) at(SCHEDULE.changeSetting, () => changeStorePhone(run, now));
      if (has('kill')) at(SCHEDULE.kill[run.mode], () => killOne(run, now));
      if (has('cli_writes') && run.mode === 'sqlite') {
        const every = setInterval(() => void cliWrite(run), 5_000);
        timers.push(every);
      }
      if (run.mode === 'postgres') {
        const every = setInterval(() => void countConnections(run, now() >= SCHEDULE.warmUpEnd * durationMs), 5_000);
        timers.push(every);
      }
    }
    const progress = setInterval(() => say(progressLine(runs, now(), budgetMs)), 10_000);

    await sleep(durationMs);
    clearInterval(loader);
    for (const timer of timers) clearTimeout(timer);
    clearInterval(progress);
    await Promise.all(inFlight);
    await sleep(1_000); // late writes land
    await sampleMemory(runs, now);
    say(progressLine(runs, now(), budgetMs));
    const unhandled = new Map<Instance, number>();
    for (const run of runs) {
      for (const instance of run.instances) unhandled.set(instance, (await instance.memory().catch(() => ({unhandled: 0}))).unhandled);
      // Graceful stop: the call report's last counts are written before we count.
      await Promise.all(run.instances.map((instance) => instance.stop()));
    }
    const shopifyCounts = (await shopify.ask<{type: string; counts: Record<string, number>}>({type: 'stats'})).counts;
    const modes: ModeReport[] = [];
    for (const run of runs) modes.push(await judge(run, options, budgetMs, unhandled));
    return overall(startedAt, options, budgetMs, modes, shopifyCounts);
  } finally {
    for (const run of runs) await Promise.all(run.instances.map((instance) => instance.stop()));
    await shopify.stop();
    await agent.close();
    await dropDatabase?.();
    rmSync(dataDir, {recursive: true, force: true});
  }
}

async function createDatabase(serverUrl: string): Promise<{url: string; drop: () => Promise<void>}> {
  const name = `callina_soak_${Date.now().toString(36)}`;
  await query(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {url: url.toString(), drop: async () => void (await query(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))};
}

async function query<R extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({connectionString: url, application_name: 'soak'});
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

async function withStorage<T>(databaseUrl: string, work: (storage: Storage) => Promise<T>): Promise<T> {
  const storage = await openStorage({databaseUrl, encryptionKey: KEY, log: createLogger('silent')});
  try {
    return await work(storage);
  } finally {
    await storage.close();
  }
}

/** Two shops: one open (no hours: always), one closed for the whole run, with an after-hours phone. */
async function registerShops(databaseUrl: string, mode: ModeName): Promise<ShopTarget[]> {
  return withStorage(databaseUrl, async (storage) => {
    const open = await registerShop(storage, {shop: `soak-open-${mode}.myshopify.com`, accessToken: 'shpat_soak', storePhone: STORE_PHONE, defaultLanguage: 'en', timeZone: 'UTC'});
    const closed = await registerShop(storage, {shop: `soak-closed-${mode}.myshopify.com`, accessToken: 'shpat_soak', storePhone: STORE_PHONE, defaultLanguage: 'en', timeZone: 'UTC'});
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const hours = parseWeeklyHours('Mon-Sun 09:00-17:00');
    const closedDates = parseClosedDates(`${day(-1)},${day(0)},${day(1)}`);
    if (!hours.ok || !closedDates.ok) throw new Error('soak: the closed shop\'s hours do not parse');
    await storage.updateShop(closed.shop, {businessHours: hours.value, closedDates: closedDates.value, afterHoursPhone: AFTER_HOURS_PHONE});
    return [
      {label: 'open', shop: open.shop, hookId: open.hookId, secret: open.secret, storePhone: STORE_PHONE},
      {label: 'closed', shop: closed.shop, hookId: closed.hookId, secret: closed.secret, storePhone: STORE_PHONE},
    ];
  });
}

const cacheKey = (instance: Instance) => `${instance.name}#${instance.generation}`;

/** Picks what to send next, sends it, and judges the answer. */
async function send(run: ModeRun, agent: Agent, now: () => number, budgetMs: number): Promise<void> {
  const rnd = run.rnd;
  const live = run.instances.filter((i) => i.alive);
  const tally = run.tally;
  tally.requests++;
  if (live.length === 0) {
    tally.notSentInstanceDown++;
    return;
  }
  const instance = live[run.next % live.length]!;
  const target = run.shops[rnd() < 0.5 ? 0 : 1]!;
  const kind = pickKind(rnd());
  const key = keyFor(run, instance, target.label, kind, rnd);
  const useOld = target.oldSecret !== undefined && rnd() < 0.2;
  const planned = plan(kind, {hookId: target.hookId, secret: useOld ? target.oldSecret! : target.secret}, key, rnd);
  const record: Sent = {kind, shop: target.label, instance, generation: instance.generation, callId: planned.callId, key, at: now()};
  judgeOutageExpectation(run, record);
  run.sent.push(record);
  const inFlight = record as Sent & {done?: boolean};
  pending.add(inFlight);
  try {
    const res = await request(`${instance.url}${planned.hookPath}`, {method: 'POST', headers: planned.headers, body: planned.body, dispatcher: agent, headersTimeout: 15_000, bodyTimeout: 15_000});
    const text = await res.body.text();
    record.ms = now() - record.at;
    record.status = res.statusCode;
    judgeAnswer(run, record, planned, target, text, budgetMs, useOld);
  } catch (error) {
    record.ms = now() - record.at;
    record.error = (error as Error).message;
    if (!record.inFlightAtKill) {
      tally.connectionErrors++;
      fail(tally, `${kind} to ${instance.name}: ${record.error}`);
    }
  } finally {
    pending.delete(inFlight);
  }
}

const pending = new Set<Sent>();

function fail(tally: Tally, message: string) {
  if (tally.failures.length < 25) tally.failures.push(message);
}

/** Order keys: cold ones never asked on this instance, repeated ones among those it answered lately (for the same shop). */
function keyFor(run: ModeRun, instance: Instance, shop: string, kind: Kind, rnd: () => number): string | undefined {
  const touched = run.touched.get(cacheKey(instance));
  if (kind === 'unknown_order') return String(900_000 + Math.floor(rnd() * 100_000));
  if (kind === 'caller_id') return callerPhone(Math.floor(rnd() * CALLERS));
  if (kind === 'lookup_repeat' && touched && touched.size > 0) {
    // One of the 50 newest found keys: surely still in the instance's cache.
    const recent = [...touched.entries()].filter(([key, found]) => found && key.startsWith(`${shop}|order:`)).slice(-50);
    if (recent.length > 0) return recent[Math.floor(rnd() * recent.length)]![0].slice(`${shop}|order:`.length);
  }
  if (kind === 'lookup_cold' || kind === 'lookup_repeat') {
    for (;;) {
      const key = String(ORDER_UNIVERSE.from + Math.floor(rnd() * ORDER_UNIVERSE.size));
      if (!touched?.has(`${shop}|order:${key}`)) return key;
    }
  }
  return undefined;
}

/** During the outage: an order this instance has cached must be answered from the cache, one it never saw with the fallback. */
function judgeOutageExpectation(run: ModeRun, record: Sent) {
  const o = run.outage;
  if (!o || record.at < o.from || record.at > o.to) return;
  if (record.kind !== 'lookup_cold' && record.kind !== 'lookup_repeat') return;
  const touched = run.touched.get(`${record.instance.name}#${record.generation}`);
  const keys = touched ? [...touched.keys()] : [];
  const key = touchKey(record);
  const position = keys.length - 1 - keys.lastIndexOf(key);
  if (touched?.has(key)) {
    if (touched.get(key) && position < ORDER_CACHE_MAX / 2) record.outageJudged = 'cached';
  } else {
    record.outageJudged = 'cold';
  }
}

/** What the instance's cache holds an answer under: the shop and the order or caller. */
const touchKey = (record: Sent) => `${record.shop}|${record.kind === 'caller_id' ? 'phone' : 'order'}:${record.key}`;

function touch(run: ModeRun, record: Sent, found: boolean) {
  const k = `${record.instance.name}#${record.generation}`;
  let touched = run.touched.get(k);
  if (!touched) run.touched.set(k, (touched = new Map()));
  const key = touchKey(record);
  const was = touched.get(key) ?? false;
  touched.delete(key);
  touched.set(key, found || was);
  if (touched.size > ORDER_CACHE_MAX * 4) touched.delete(touched.keys().next().value!);
}

function judgeAnswer(run: ModeRun, record: Sent, planned: Planned, target: ShopTarget, text: string, budgetMs: number, useOld: boolean) {
  const tally = run.tally;
  const status = record.status!;
  const expected = BAD_INPUT[record.kind];
  if (!record.inFlightAtKill) {
    tally.judgedForBudget++;
    const pause = forcedGcPause(run, record);
    if (record.ms! <= budgetMs + 50) tally.withinBudget++;
    else if (record.ms! <= budgetMs + 50 + pause) {
      tally.withinBudget++;
      tally.excusedByForcedGc++;
    } else fail(tally, `${record.kind} to ${record.instance.name} took ${record.ms!.toFixed(0)} ms${pause ? ` (${pause.toFixed(0)} ms of it a forced GC)` : ''}`);
    tally.latencies.push(record.ms!);
  }
  let json: {error?: string; say?: string; next_action?: string; transfer_to?: string} = {};
  try {
    json = JSON.parse(text);
  } catch {
    // judged below: every answer is JSON
  }
  if (expected) {
    tally.badInput++;
    if (status !== expected.status || json.error !== expected.error) {
      tally.badInputWrong++;
      fail(tally, `${record.kind}: ${status} ${json.error ?? text.slice(0, 60)} instead of ${expected.status} ${expected.error}`);
    }
    return;
  }
  tally.signed++;
  if (useOld && status === 200) tally.oldSecretAccepted++;
  if (status >= 500) {
    tally.signed5xx++;
    fail(tally, `${record.kind} to ${record.instance.name}: ${status} ${text.slice(0, 80)}`);
    return;
  }
  if (status !== 200) {
    tally.signedOther++;
    fail(tally, `${record.kind} to ${record.instance.name}: ${status} ${text.slice(0, 80)}`);
    return;
  }
  const next = json.next_action;
  if ((next !== 'continue' && next !== 'transfer') || (next === 'transfer' && !/^\+\d{7,15}$/.test(json.transfer_to ?? ''))) {
    tally.signedBadBody++;
    fail(tally, `${record.kind}: answer without a valid next_action: ${text.slice(0, 80)}`);
    return;
  }
  if (next === 'transfer') record.transferTo = json.transfer_to;
  if (record.transferTo && target.label === 'open' && target.phoneChangedAt !== undefined && record.at > target.phoneChangedAt + 2_000 && record.transferTo === STORE_PHONE) {
    tally.staleSettingAnswers++;
    fail(tally, `transfer to the old store phone ${(record.at - target.phoneChangedAt).toFixed(0)} ms after it changed`);
  }
  if (record.transferTo === NEW_STORE_PHONE && target.phoneChangedAt !== undefined && run.settingAppliedMs === null) {
    run.settingAppliedMs = Math.max(0, record.at - target.phoneChangedAt);
  }
  if (['lookup_cold', 'lookup_repeat', 'unknown_order', 'caller_id'].includes(record.kind)) {
    record.spoken = classifyLookup(json.say ?? '', record.key);
    if (record.spoken === 'other') {
      tally.unclassified++;
      fail(tally, `${record.kind} ${record.key}: unexpected words "${(json.say ?? '').slice(0, 100)}"`);
    }
    if (record.kind === 'unknown_order' && (record.spoken === 'found' || record.spoken === 'found_stale')) fail(tally, `unknown order ${record.key} was found`);
    if (record.generation === record.instance.generation || !record.inFlightAtKill) touch(run, record, record.spoken === 'found' || record.spoken === 'found_stale');
    judgeOutage(run, record);
  }
  void planned;
}

function judgeOutage(run: ModeRun, record: Sent) {
  const o = run.outage;
  const found = record.spoken === 'found' || record.spoken === 'found_stale';
  if (record.outageJudged) {
    run.tally.outageJudged++;
    if (record.outageJudged === 'cached' && !found) {
      run.tally.outageCachedWrong++;
      const history = run.sent
        .filter((s) => s.key === record.key && s.shop === record.shop && s.instance === record.instance && s !== record)
        .map((s) => `${(s.at / 1000).toFixed(1)} s ${s.kind} ${s.spoken}`);
      fail(run.tally, `outage: order ${record.key} of the ${record.shop} shop, seen by ${record.instance.name} (${history.join(', ')}), answered ${record.spoken} at ${(record.at / 1000).toFixed(1)} s`);
    }
    if (record.outageJudged === 'cold' && record.spoken !== 'fallback') {
      run.tally.outageColdWrong++;
      fail(run.tally, `outage: unseen order ${record.key} answered ${record.spoken}`);
    }
  }
  // Recovery: the first cold order answered from Shopify after the outage.
  if (o && record.kind === 'lookup_cold' && record.at >= o.to && found && record.spoken === 'found') {
    const ms = record.at - o.to;
    if (run.recoveryMs === null || ms < run.recoveryMs) run.recoveryMs = ms;
  }
}

function forcedGcSummary(run: ModeRun): ModeReport['forced_gc'] {
  const pauses = run.forcedGc.filter((gc) => gc.to !== Infinity).map((gc) => gc.pauseMs);
  const stats = summarize(pauses.length ? pauses : [0]);
  const r = (n: number) => Math.round(n * 10) / 10;
  return {samples: pauses.length, pause_ms_p50: r(stats.p50), pause_ms_max: r(stats.max), answers_excused: run.tally.excusedByForcedGc};
}

async function sampleMemory(runs: ModeRun[], now: () => number) {
  for (const run of runs) {
    for (const instance of run.instances) {
      // A restarted instance has no warm-up figure of its own to compare with.
      if (!instance.alive || instance.generation > 1) continue;
      const gc: ForcedGc = {instance, generation: instance.generation, from: now(), to: Infinity, pauseMs: 0};
      run.forcedGc.push(gc);
      const sample = await instance.memory().catch(() => undefined); // killed meanwhile
      gc.to = now();
      gc.pauseMs = sample?.pauseMs ?? 0;
      if (sample && instance.generation === 1) run.memory.set(instance.name, [...(run.memory.get(instance.name) ?? []), sample]);
    }
  }
}

/**
 * How long the soak's own forced GCs stopped the instance while this
 * request was under way: the sum of the pauses of the samples that
 * overlapped it (one still under way counts with its time so far).
 */
function forcedGcPause(run: ModeRun, record: Sent): number {
  const end = record.at + record.ms!;
  let pause = 0;
  for (const gc of run.forcedGc) {
    if (gc.instance !== record.instance || gc.generation !== record.generation || gc.from > end || gc.to < record.at) continue;
    pause += gc.to === Infinity ? end - gc.from : gc.pauseMs;
  }
  return pause;
}

/**
 * Growth of the floor: the lowest of the first quarter of the samples vs
 * the lowest of the last quarter. Heap after a full GC still swings by
 * several MB from one sample to the next (compiled code, pages not yet
 * swept: 29-36 MB within a minute with no objects of ours added), and RSS
 * follows the heap V8 keeps reserved (heapTotal), so two single samples
 * judge noise; a leak raises every sample, the lowest included.
 */
export function floorGrowth(samples: readonly number[]): {first: number; last: number; pct: number} | undefined {
  const quarter = Math.floor(samples.length / 4);
  if (quarter < 2) return undefined;
  const first = Math.min(...samples.slice(0, quarter));
  const last = Math.min(...samples.slice(-quarter));
  return {first, last, pct: ((last - first) / first) * 100};
}

async function terminateConnections(run: ModeRun, now: () => number) {
  const rows = await query<{n: string}>(run.databaseUrl,
    `SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'callina%' AND pid <> pg_backend_pid()`);
  // An instance that lost its change feed may have missed evictions, so it drops its cached orders when it listens again.
  run.touched.clear();
  run.faults.push(`${(now() / 1000).toFixed(1)} s: ${rows[0]!.n} PostgreSQL connections terminated`);
}

async function countConnections(run: ModeRun, afterWarmUp: boolean) {
  if (!afterWarmUp) return;
  const rows = await query<{application_name: string}>(run.databaseUrl,
    `SELECT application_name FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'callina%'`).catch(() => []);
  for (const instance of run.instances) {
    if (!instance.alive) continue;
    const n = rows.filter((r) => new RegExp(`-${instance.pid}(-|$)`).test(r.application_name)).length;
    const name = `${instance.name}#${instance.generation}`;
    run.pgConnections.set(name, [...(run.pgConnections.get(name) ?? []), n]);
  }
}

const exec = promisify(execFile);
async function cli(run: ModeRun, args: string[]): Promise<string> {
  const {stdout} = await exec(process.execPath, [CLI, ...args], {env: {PATH: process.env.PATH ?? '', DATABASE_URL: run.databaseUrl, ENCRYPTION_KEY: KEY, LOG_LEVEL: 'error'}});
  return stdout;
}

/** The operator's CLI writing beside the running service (SQLite: another process on the same file). */
async function cliWrite(run: ModeRun) {
  const closed = run.shops[1]!;
  try {
    await cli(run, ['shops', 'set', '--shop', closed.shop, '--contact-hint', `soak write ${++run.cliWrites}`]);
  } catch (error) {
    run.cliFailures++;
    fail(run.tally, `CLI write failed: ${(error as Error).message.split('\n')[0]}`);
  }
}

async function rotateSecret(run: ModeRun, now: () => number) {
  const open = run.shops[0]!;
  const out = JSON.parse(await cli(run, ['shops', 'rotate-secret', '--shop', open.shop])) as {signing_secret: string};
  // From here on Callina signs with the new secret; 20 % still come signed with the old one (inside its grace period).
  open.oldSecret = open.secret;
  open.secret = out.signing_secret;
  run.faults.push(`${(now() / 1000).toFixed(1)} s: secret of ${open.shop} rotated (CLI)`);
}

async function changeStorePhone(run: ModeRun, now: () => number) {
  const open = run.shops[0]!;
  await cli(run, ['shops', 'set', '--shop', open.shop, '--phone', NEW_STORE_PHONE]);
  open.storePhone = NEW_STORE_PHONE;
  open.phoneChangedAt = now();
  run.faults.push(`${(now() / 1000).toFixed(1)} s: store phone of ${open.shop} changed (CLI)`);
}

async function killOne(run: ModeRun, now: () => number) {
  const victim = run.instances.at(-1)!;
  const killedAt = now();
  run.kills.set(`${victim.name}#${victim.generation}`, killedAt);
  await victim.killAndRestart(() => {
    for (const record of pending) {
      if (record.instance === victim && record.generation === victim.generation) {
        record.inFlightAtKill = true;
        run.tally.inFlightAtKill++;
      }
    }
  });
  run.faults.push(`${(killedAt / 1000).toFixed(1)} s: ${victim.name} SIGKILLed, serving again after ${((now() - killedAt) / 1000).toFixed(1)} s`);
}

function progressLine(runs: ModeRun[], elapsedMs: number, budgetMs: number): string {
  const parts = runs.map((run) => {
    const t = run.tally;
    const late = t.judgedForBudget - t.withinBudget;
    const p99 = summarize(t.latencies.slice(-2000)).p99;
    return `${run.mode}: ${t.requests} sent, 5xx ${t.signed5xx}, late ${late}, wrong 4xx ${t.badInputWrong}, errors ${t.connectionErrors}, p99 ${Number.isNaN(p99) ? '-' : p99.toFixed(0)} ms`;
  });
  void budgetMs;
  return `[${(elapsedMs / 1000).toFixed(0).padStart(4)} s] ${parts.join(' | ')}`;
}

/** Counts the database against what was sent and acknowledged; the call report against the answers. */
async function judge(run: ModeRun, options: SoakOptions, budgetMs: number, unhandled: Map<Instance, number>): Promise<ModeReport> {
  const t = run.tally;
  const acked = run.sent.filter((s) => (s.kind === 'silence' || s.kind === 'escalation') && s.status === 200 && !s.inFlightAtKill);
  const maybe = new Set(run.sent.filter((s) => (s.kind === 'silence' || s.kind === 'escalation') && s.status !== 200).map((s) => s.callId));
  const rows = await withStorage(run.databaseUrl, async (storage) => {
    const all = [];
    for (const shop of run.shops) all.push(...(await storage.listCallEvents(shop.shop, {limit: 10_000_000})).map((e) => ({...e, label: shop.label})));
    return all;
  });
  const stored = new Map<string, typeof rows>();
  for (const row of rows) stored.set(row.callId, [...(stored.get(row.callId) ?? []), row]);
  let missing = 0;
  let duplicated = 0;
  let resultWrong = 0;
  for (const s of acked) {
    const found = stored.get(s.callId) ?? [];
    if (found.length === 0) {
      missing++;
      fail(t, `${s.kind} ${s.callId} acknowledged by ${s.instance.name} at ${(s.at / 1000).toFixed(1)} s but not stored`);
    }
    if (found.length > 1) duplicated++;
    const want = s.shop === 'open' ? 'transferred' : 'after_hours';
    if (s.kind === 'escalation' && found[0] && found[0].result !== want) resultWrong++;
  }
  const ackedIds = new Set(acked.map((s) => s.callId));
  const unexpected = [...stored.keys()].filter((id) => !ackedIds.has(id) && !maybe.has(id) && !run.sent.some((s) => s.callId === id && s.inFlightAtKill)).length;

  const report = await compareReport(run);
  const memory: ModeReport['memory'] = {};
  let heapGrowth = 0;
  let rssGrowth = 0;
  for (const [name, samples] of run.memory) {
    const heap = floorGrowth(samples.map((m) => m.heapUsed));
    const rss = floorGrowth(samples.map((m) => m.rss));
    if (!heap || !rss) continue;
    const mb = (n: number) => Math.round((n / 1048576) * 10) / 10;
    memory[name] = {
      warm_heap_mb: mb(heap.first), end_heap_mb: mb(heap.last), warm_rss_mb: mb(rss.first), end_rss_mb: mb(rss.last),
      heap_mb: samples.map((m) => mb(m.heapUsed)), rss_mb: samples.map((m) => mb(m.rss)),
    };
    heapGrowth = Math.max(heapGrowth, heap.pct);
    rssGrowth = Math.max(rssGrowth, rss.pct);
  }
  const pgConnections: Record<string, {min: number; max: number}> = {};
  for (const [name, counts] of run.pgConnections) pgConnections[name] = {min: Math.min(...counts), max: Math.max(...counts)};
  // Pool + change feed (listen and publish) + token-refresh locks: anything beyond is a leak.
  const pgOk = Object.values(pgConnections).every((c) => c.max <= POOL_SIZE + 4);
  const logs = scanLogs(run.instances.flatMap((i) => i.logFiles));
  const unhandledCount = [...run.instances].reduce((n, i) => n + (unhandled.get(i) ?? 0), 0) + logs.unhandled;
  const crashes = run.instances.reduce((n, i) => n + i.crashes, 0);
  const lat = summarize(t.latencies);
  const r = (n: number) => Math.round(n * 10) / 10;
  const withinPct = t.judgedForBudget ? (t.withinBudget / t.judgedForBudget) * 100 : 100;
  const modeReport: Omit<ModeReport, 'ok'> = {
    mode: run.mode,
    instances: run.instances.length,
    requests: t.requests,
    requests_per_s: r(t.requests / options.seconds),
    signed_5xx: t.signed5xx,
    signed_other_non_200: t.signedOther,
    signed_bad_body: t.signedBadBody,
    connection_errors: t.connectionErrors,
    within_budget_pct: Math.floor(withinPct * 1000) / 1000,
    answers_timed: t.judgedForBudget,
    answers_within_budget: t.withinBudget,
    latency_ms: {p50: r(lat.p50), p90: r(lat.p90), p99: r(lat.p99), max: r(lat.max)},
    bad_input: t.badInput,
    bad_input_wrong: t.badInputWrong,
    in_flight_to_killed: t.inFlightAtKill,
    forced_gc: forcedGcSummary(run),
    not_sent_instance_down: t.notSentInstanceDown,
    events_sent: acked.length,
    events_stored: acked.length - missing,
    events_missing: missing,
    events_duplicated: duplicated,
    events_unexpected: unexpected,
    escalation_result_wrong: resultWrong,
    report: report.counters,
    report_ok: report.ok,
    heap_growth_pct: r(heapGrowth),
    rss_growth_pct: r(rssGrowth),
    memory,
    ...(run.mode === 'postgres' ? {pg_connections: pgConnections} : {}),
    pg_connections_ok: pgOk,
    unhandled_rejections: unhandledCount,
    error_log_lines: logs.errors,
    error_log_messages: logs.messages,
    crashes,
    outage: {judged: t.outageJudged, cached_wrong: t.outageCachedWrong, cold_wrong: t.outageColdWrong, recovery_ms: run.recoveryMs === null ? null : Math.round(run.recoveryMs)},
    stale_setting_answers: t.staleSettingAnswers,
    setting_applied_ms: run.settingAppliedMs === null ? null : Math.round(run.settingAppliedMs),
    old_secret_accepted: t.oldSecretAccepted,
    cli_writes: run.cliWrites,
    cli_failures: run.cliFailures,
    faults: run.faults,
    failures: t.failures,
  };
  const ok =
    modeReport.signed_5xx === 0 && modeReport.signed_other_non_200 === 0 && modeReport.signed_bad_body === 0 && modeReport.connection_errors === 0 &&
    modeReport.bad_input_wrong === 0 && t.unclassified === 0 && withinPct === 100 &&
    missing === 0 && duplicated === 0 && unexpected === 0 && resultWrong === 0 && report.ok &&
    (options.seconds < MEMORY_JUDGED_FROM_SECONDS || heapGrowth <= HEAP_GROWTH_LIMIT_PCT) && pgOk && unhandledCount === 0 && crashes === 0 &&
    t.outageCachedWrong === 0 && t.outageColdWrong === 0 && (run.outage === undefined || (run.recoveryMs !== null && run.recoveryMs <= 10_000)) &&
    t.staleSettingAnswers === 0 && run.cliFailures === 0;
  void budgetMs;
  return {...modeReport, ok};
}

/** Heap growth from warm-up to the end allowed before the soak calls it a leak. */
export const HEAP_GROWTH_LIMIT_PCT = 5;
/** Shorter runs measure GC noise, not growth: their memory figures are reported, not judged. */
export const MEMORY_JUDGED_FROM_SECONDS = 120;
/** Memory samples (each a full GC in every instance) spread over the run after warm-up, no closer than the minimum. */
const MEMORY_SAMPLES = 40;
const MEMORY_SAMPLE_MIN_MS = 2_000;

/**
 * The call report as stored vs the answers given. Answers of a SIGKILLed
 * instance in its last second (its counts in memory, not yet written) and
 * requests in flight to it are uncertain: the stored count may lie anywhere
 * between the certain count and certain + uncertain.
 */
async function compareReport(run: ModeRun) {
  const killed = run.kills;
  const expected: Record<string, {expected: number; uncertain: number; stored: number; ok: boolean}> = {};
  const add = (counter: string, uncertain: boolean) => {
    const e = (expected[counter] ??= {expected: 0, uncertain: 0, stored: 0, ok: true});
    if (uncertain) e.uncertain++;
    else e.expected++;
  };
  for (const s of run.sent) {
    if (s.status !== 200 && !s.inFlightAtKill) continue;
    const killAt = killed.get(`${s.instance.name}#${s.generation}`);
    const uncertain = s.inFlightAtKill === true || (killAt !== undefined && s.at + (s.ms ?? 0) >= killAt - 1_500);
    if (s.inFlightAtKill) continue; // no answer seen: unknown what it would have counted; allowed below as slack
    if (s.kind === 'silence') add('silences', uncertain);
    if (s.transferTo === STORE_PHONE || s.transferTo === NEW_STORE_PHONE) add('transfers', uncertain);
    if (s.transferTo === AFTER_HOURS_PHONE) add('afterHours', uncertain);
    if (s.spoken === 'fallback') add('fallbacks', uncertain);
    if (s.kind === 'caller_id') {
      if (s.spoken === 'found' || s.spoken === 'found_stale') add('foundByCaller', uncertain);
      else if (s.spoken === 'ask_number') add('noNumber', uncertain);
    } else if (s.spoken === 'found' || s.spoken === 'found_stale') add('ordersFound', uncertain);
    else if (s.spoken === 'not_found') add('ordersNotFound', uncertain);
  }
  const slack = run.tally.inFlightAtKill;
  const callerIdTransfers = run.sent.filter((s) => s.kind === 'caller_id' && s.status === 200 && s.transferTo !== undefined).length;
  const stored = await withStorage(run.databaseUrl, async (storage) => {
    const days = await Promise.all(run.shops.map((shop) => storage.getReport(shop.shop, '2000-01-01', '2999-12-31')));
    const sum: Record<string, number> = {};
    for (const day of days.flat()) for (const c of REPORT_COUNTERS) sum[c] = (sum[c] ?? 0) + (day[c] ?? 0);
    return sum;
  });
  let ok = true;
  for (const c of REPORT_COUNTERS) {
    const e = (expected[c] ??= {expected: 0, uncertain: 0, stored: 0, ok: true});
    e.stored = stored[c] ?? 0;
    e.ok = e.stored >= e.expected && e.stored <= e.expected + e.uncertain + slack;
    if (!e.ok) {
      ok = false;
      const fromCallerId = c === 'transfers' ? `; ${callerIdTransfers} of the answers were transfers after a caller-ID lookup` : '';
      fail(run.tally, `call report ${c}: stored ${e.stored}, answers say ${e.expected} (+ up to ${e.uncertain + slack} uncertain)${fromCallerId}`);
    }
  }
  return {counters: expected, ok};
}

/** Error-level lines in the instances' logs, by message; unhandled rejections among them. */
function scanLogs(files: string[]) {
  const messages: Record<string, number> = {};
  let errors = 0;
  let unhandled = 0;
  for (const file of files) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      if (!line.startsWith('{')) {
        if (/unhandled|UnhandledPromiseRejection/i.test(line)) unhandled++;
        continue;
      }
      const level = /"level":(\d+)/.exec(line)?.[1];
      if (level && Number(level) >= 50) {
        errors++;
        const msg = /"msg":"([^"]*)"/.exec(line)?.[1] ?? '?';
        messages[msg] = (messages[msg] ?? 0) + 1;
        if (/unhandled/i.test(msg)) unhandled++;
      }
    }
  }
  return {errors, messages, unhandled};
}

function overall(startedAt: Date, options: SoakOptions, budgetMs: number, modes: ModeReport[], shopify: Record<string, number>): SoakReport {
  const judged = modes.reduce((n, m) => n + m.answers_timed, 0);
  const within = modes.reduce((n, m) => n + m.answers_within_budget, 0);
  return {
    started_at: startedAt.toISOString(),
    seconds: options.seconds,
    rate: options.rate,
    budget_ms: budgetMs,
    modes,
    shopify,
    signed_5xx: modes.reduce((n, m) => n + m.signed_5xx, 0),
    within_budget_pct: judged ? Math.floor((within / judged) * 100_000) / 1000 : 100,
    events_sent: modes.reduce((n, m) => n + m.events_sent, 0),
    events_stored: modes.reduce((n, m) => n + m.events_stored, 0),
    heap_growth_pct: Math.max(0, ...modes.map((m) => m.heap_growth_pct)),
    ok: modes.every((m) => m.ok),
  };
}
