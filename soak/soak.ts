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
 *
 * The parts: mode-run.ts (shared state and the report's shape),
 * judge-answers.ts (traffic and each answer's verdict), faults.ts,
 * judge-run.ts (the verdict at the end), database.ts.
 */
import {mkdirSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Agent} from 'undici';
import {startChild} from '../bench/child.ts';
import {summarize} from '../bench/stats.ts';
import {parseClosedDates, parseWeeklyHours} from '../src/hours/schedule.ts';
import {registerShop} from '../src/shops/shop-registry.ts';
import {createDatabase, query, withStorage} from './database.ts';
import {changeStorePhone, cliWrite, killOne, rotateSecret, terminateConnections} from './faults.ts';
import {startInstance, type Instance} from './instances.ts';
import {send} from './judge-answers.ts';
import {judge, overall} from './judge-run.ts';
import {AFTER_HOURS_PHONE, KEY, ModeRun, ORDER_CACHE_MAX, POOL_SIZE, SCHEDULE, sleep, STORE_PHONE, type FaultName, type ForcedGc, type ModeName, type ModeReport, type ShopTarget, type SoakOptions, type SoakReport} from './mode-run.ts';
import type {ShopifyMode} from './shopify-sim.ts';

export {ALL_FAULTS, SCHEDULE, type FaultName, type ModeName, type ModeReport, type SoakOptions, type SoakReport} from './mode-run.ts';

/** Memory samples (each a full GC in every instance) spread over the run after warm-up, no closer than the minimum. */
const MEMORY_SAMPLES = 40;
const MEMORY_SAMPLE_MIN_MS = 2_000;

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
