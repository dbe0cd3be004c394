/**
 * Tail tolerance and connection reuse, against bench/tail-shopify.ts:
 * - distinct cold lookups against a heavy-tailed Shopify, hedging off and
 *   on (same seeded latencies): the share of real answers (not fallbacks)
 *   within the budget, answer times, and extra Shopify requests;
 * - cold lookups of one shop spaced seconds apart: TCP connections the
 *   service opened per lookup (each one a TLS handshake against Shopify);
 * - the cold path's own overhead above Shopify (bench/cold-overhead.ts).
 */
import {signedLookup, speaksOrder} from './callina-request.ts';
import {startChild, type Message} from './child.ts';
import {measureColdOverhead} from './cold-overhead.ts';
import {HEAVY_TAIL} from './heavy-tail.ts';
import {summarize, type LatencySummary} from './stats.ts';

export interface TailRun {
  hedging: string;
  lookups: number;
  real_answer_pct: number;
  fallbacks: number;
  extra_requests_pct: number;
  answer_ms: LatencySummary;
  /** The latencies the stand-in drew in this run (first requests and twins): the quantiles, checked. */
  shopify_ms: ServedLatency;
}
export interface TailReport {
  shopify: typeof HEAVY_TAIL;
  budgetMs: number;
  concurrency: number;
  off: TailRun;
  on: TailRun;
}
export interface ConnectionReport {
  lookups: number;
  spacingMs: number;
  connectionsOpened: number;
  perLookup: number;
}

interface ServerReady extends Message {
  url: string;
  hookPath: string;
  secret: string;
}
/** What the tail stand-in served since its last 'mode' message. */
export interface ServedLatency {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  stalled_pct: number;
}
interface StandInCounts extends Message {
  requests: number;
  connections: number;
  served: ServedLatency;
}

const BUDGET_MS = 2000;

export async function tailScenarios(options: {
  lookups: number;
  concurrency: number;
  spacedLookups: number;
  spacingMs: number;
  overheadLookups: number;
  warmupLookups: number;
  step: (what: string) => void;
}) {
  const standIn = await startChild<Message & {url: string}>('./tail-shopify.ts', {});
  const serve = (hedge: string) =>
    startChild<ServerReady>('./tail-server.ts', {BENCH_SHOPIFY_URL: standIn.ready.url, SHOPIFY_HEDGE_DELAY_MS: hedge, LOOKUP_BUDGET_MS: String(BUDGET_MS)});
  try {
    const q = HEAVY_TAIL.quantiles.map(([p, ms]) => `p${p * 100}=${ms}`).join(' ');
    options.step(`tail: Shopify latency ${q} ms (log-linear between), above that (${HEAVY_TAIL.stallShare * 100} %) stalling ${HEAVY_TAIL.stallMs.join('–')} ms`);
    const runs: Record<'off' | 'on', TailRun> = {} as never;
    let first = 0;
    for (const [name, hedge] of [['off', 'off'], ['on', 'auto']] as const) {
      options.step(`tail: ${options.lookups} distinct cold lookups, ${options.concurrency} at a time, hedging ${hedge}`);
      await standIn.ask({type: 'mode'}); // reseeds: both runs face the same latencies
      const server = await serve(hedge);
      const before = await standIn.ask<StandInCounts>({type: 'stats'});
      const answers = await lookups(server.ready, 5_000_000 + first, options.lookups, options.concurrency);
      const after = await standIn.ask<StandInCounts>({type: 'stats'});
      await server.stop();
      first += options.lookups;
      const real = answers.filter((a) => a.real).length;
      runs[name] = {
        hedging: hedge,
        lookups: answers.length,
        real_answer_pct: (100 * real) / answers.length,
        fallbacks: answers.length - real,
        extra_requests_pct: (100 * (after.requests - before.requests - answers.length)) / answers.length,
        answer_ms: summarize(answers.map((a) => a.ms)),
        shopify_ms: after.served,
      };
    }

    options.step(`connections: ${options.spacedLookups} cold lookups of one shop, ${options.spacingMs / 1000} s apart (Shopify answering in 150 ms)`);
    await standIn.ask({type: 'mode', fixedMs: 150});
    const server = await serve('auto');
    const before = await standIn.ask<StandInCounts>({type: 'stats'});
    for (let i = 0; i < options.spacedLookups; i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, options.spacingMs));
      const [answer] = await lookups(server.ready, 7_000_000 + i, 1, 1);
      if (!answer?.real) throw new Error('connection scenario: lookup did not find its order');
    }
    const after = await standIn.ask<StandInCounts>({type: 'stats'});

    options.step(`cold overhead: ${options.overheadLookups} cold lookups one at a time, each beside a bare request to the same 150 ms Shopify and the same event to a bare Koa route`);
    const coldOverhead = await measureColdOverhead(server, options.overheadLookups, 150, 8_000_000);
    // A process that has answered a few hundred calls: V8 has compiled the path by then (in the first
    // hundred it still compiles about one function per lookup, on worker threads it must wake).
    options.step(`cold overhead again, after ${options.warmupLookups} more cold lookups (4 at a time)`);
    const warmup = await lookups(server.ready, 7_100_000, options.warmupLookups, 4);
    if (warmup.some((answer) => !answer.real)) throw new Error('cold-overhead warm-up: a lookup did not find its order');
    const coldOverheadWarmed = {...(await measureColdOverhead(server, options.overheadLookups, 150, 8_100_000)), afterLookups: options.warmupLookups};
    await server.stop();

    const opened = after.connections - before.connections;
    const connections: ConnectionReport = {lookups: options.spacedLookups, spacingMs: options.spacingMs, connectionsOpened: opened, perLookup: opened / options.spacedLookups};
    const tail: TailReport = {shopify: HEAVY_TAIL, budgetMs: BUDGET_MS, concurrency: options.concurrency, off: runs.off, on: runs.on};
    return {tail, connections, coldOverhead, coldOverheadWarmed};
  } finally {
    await standIn.stop();
  }
}

/** `count` lookups of distinct orders from `first` on, `concurrency` at a time; each answer's time and whether it was the order. */
async function lookups(server: ServerReady, first: number, count: number, concurrency: number) {
  const answers: {ms: number; real: boolean}[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const n = first + next++;
      const request = signedLookup(server.secret, String(n), `call_tail_${n}`, server.hookPath);
      const started = performance.now();
      const res = await fetch(`${server.url}${request.path}`, {method: 'POST', headers: request.headers, body: String(request.body)});
      const text = await res.text();
      answers.push({ms: performance.now() - started, real: res.status === 200 && speaksOrder(text, n)});
    }
  };
  await Promise.all(Array.from({length: concurrency}, worker));
  return answers;
}
