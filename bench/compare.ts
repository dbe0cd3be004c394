/**
 * npm run bench:compare -- <other checkout> — this checkout's service (A)
 * against another's (B, e.g. a `git worktree` of the commit before a
 * change), in one process, so that both face the same machine at the same
 * moments. Rounds alternate A, the bare Koa route, B; the verdict is the
 * median of the per-round A/B ratios, which a noisy shared machine moves
 * far less than it moves either figure alone (single rounds scatter by
 * ±30 % here). Then cold lookups, one each in turn, p50 latency: with
 * Shopify answered by nock in each service's process, then over real
 * sockets by a loopback Shopify both services share (no nock, whose own
 * few milliseconds of CPU per request blur the nock figure).
 *
 *   COMPARE_ROUNDS   warm rounds (default 11), COMPARE_SECONDS per round (2)
 *   COMPARE_COLD     cold lookups each through nock (default 120; 0 skips them)
 *   COMPARE_SOCKETS  cold lookups each over real sockets (default 120; 0 skips them)
 *
 * The other checkout needs its own bench/app-server.ts (any commit since
 * the bench exists), for COMPARE_SOCKETS its bench/tail-server.ts, and
 * node_modules (a symlink to this one's will do).
 */
import {resolve} from 'node:path';
import type {Request} from 'autocannon';
import {postEvent, signedLookup, speaksOrder} from './callina-request.ts';
import {startChild, type Child, type Message} from './child.ts';
import {load} from './load.ts';
import {median} from './stats.ts';

const other = process.argv[2];
if (!other) {
  console.error('usage: npm run bench:compare -- <path of the other checkout>');
  process.exit(64);
}
const ROUNDS = Number(process.env.COMPARE_ROUNDS ?? 11);
const SECONDS = Number(process.env.COMPARE_SECONDS ?? 2);
const COLD = Number(process.env.COMPARE_COLD ?? 120);
const SOCKETS = Number(process.env.COMPARE_SOCKETS ?? 120);

type Ready = Message & {url: string; hookPath: string; secret: string};
type Stats = Message & {cpuMicros: number};
const start = (file: string, delayMs: number) => startChild<Ready>(file, {BENCH_SHOPIFY_DELAY_MS: String(delayMs)});
const files = {a: './app-server.ts', b: `${resolve(other)}/bench/app-server.ts`};

let seq = 0;
const lookup = (app: Child<Ready>, n: number): Request => signedLookup(app.ready.secret, String(n), `call_compare_${++seq}`, app.ready.hookPath);
/** Order n asked of one service: its answer must speak that order (not a fallback). */
async function ask(app: Child<Ready>, n: number): Promise<{ms: number; text: string}> {
  const answer = await postEvent(app.ready.url, lookup(app, n));
  if (!speaksOrder(answer.text, n)) throw new Error(`lookup of ${n} did not find its order: ${answer.text}`);
  return answer;
}

// Warm: 200 orders cached through the real path, then asked again and again at 50 connections.
const warmOrders = Array.from({length: 200}, (_, i) => 10_001 + i);
const a = await start(files.a, 1);
const b = await start(files.b, 1);
for (const app of [a, b]) for (const n of warmOrders) await ask(app, n);
const bare = await startChild<Message & {url: string}>('./baseline-server.ts', {BENCH_BODY: (await ask(a, warmOrders[0]!)).text});
async function cpuPerRequest(child: Child, url: string, requests: () => Request[]): Promise<number> {
  const before = await child.ask<Stats>({type: 'stats'});
  const result = await load({url, connections: 50, duration: SECONDS, requests: requests()});
  const after = await child.ask<Stats>({type: 'stats'});
  if (result.non2xx || result.errors) throw new Error(`errors in a warm round: ${JSON.stringify(result)}`);
  return (after.cpuMicros - before.cpuMicros) / result.requests;
}
const rounds = {a: [] as number[], b: [] as number[], bare: [] as number[]};
const warmA = () => cpuPerRequest(a, a.ready.url, () => warmOrders.map((n) => lookup(a, n)));
const warmB = () => cpuPerRequest(b, b.ready.url, () => warmOrders.map((n) => lookup(b, n)));
const warmBare = () => cpuPerRequest(bare, bare.ready.url, () => warmOrders.map((n) => lookup(a, n)));
// JIT warm-up
await warmA();
await warmBare();
await warmB();
for (let i = 0; i < ROUNDS; i++) {
  rounds.a.push(await warmA());
  rounds.bare.push(await warmBare());
  rounds.b.push(await warmB());
}
await Promise.all([a.stop(), b.stop(), bare.stop()]);
const us = (values: number[]) => values.map((v) => Math.round(v)).join(' ');
console.log(`warm CPU per request, µs: A ${us(rounds.a)} | B ${us(rounds.b)} | bare route ${us(rounds.bare)}`);
console.log(`warm: median A/B ${median(rounds.a.map((v, i) => v / rounds.b[i]!)).toFixed(3)}; ` +
  `A ÷ bare ${(median(rounds.a) / median(rounds.bare)).toFixed(2)} ×, B ÷ bare ${(median(rounds.b) / median(rounds.bare)).toFixed(2)} ×`);

if (COLD > 0) {
  // Cold: Shopify answers after 150 ms (nock, in each service's process); A and B asked in turn, one at a time.
  const coldA = await start(files.a, 150);
  const coldB = await start(files.b, 150);
  for (let i = 0; i < 20; i++) {
    await ask(coldA, 500_000 + i);
    await ask(coldB, 500_000 + i);
  }
  const ms = {a: [] as number[], b: [] as number[]};
  for (let i = 0; i < COLD; i++) {
    ms.a.push((await ask(coldA, 600_000 + i)).ms);
    ms.b.push((await ask(coldB, 600_000 + i)).ms);
  }
  await Promise.all([coldA.stop(), coldB.stop()]);
  console.log(`cold p50 (150 ms Shopify): A ${median(ms.a).toFixed(2)} ms, B ${median(ms.b).toFixed(2)} ms, A − B ${(median(ms.a) - median(ms.b)).toFixed(2)} ms (${COLD} each)`);
}

if (SOCKETS > 0) {
  // Cold over real sockets: one loopback Shopify answering in 150 ms, both services sending to it through their own pools.
  const standIn = await startChild<Message & {url: string}>('./tail-shopify.ts', {});
  await standIn.ask({type: 'mode', fixedMs: 150});
  const serve = (dir: string) => startChild<Ready>(`${dir}/bench/tail-server.ts`, {BENCH_SHOPIFY_URL: standIn.ready.url, SHOPIFY_HEDGE_DELAY_MS: 'off'});
  const [sa, sb] = [await serve(resolve('.')), await serve(resolve(other))];
  const ms = {a: [] as number[], b: [] as number[]};
  // Each order asked of both (each has its own cache), who goes first alternating; the first 20 warm the JIT.
  for (let i = -20; i < SOCKETS; i++) {
    const n = 700_020 + i;
    const took = new Map<Child<Ready>, number>();
    for (const app of i % 2 ? [sa, sb] : [sb, sa]) took.set(app, (await ask(app, n)).ms);
    if (i >= 0) (ms.a.push(took.get(sa)!), ms.b.push(took.get(sb)!));
  }
  await Promise.all([sa.stop(), sb.stop(), standIn.stop()]);
  console.log(`cold p50 over sockets (150 ms Shopify): A ${median(ms.a).toFixed(2)} ms, B ${median(ms.b).toFixed(2)} ms, ` +
    `A − B ${(median(ms.a) - median(ms.b)).toFixed(2)} ms, median of paired A − B ${median(ms.a.map((v, i) => v - ms.b[i]!)).toFixed(2)} ms (${SOCKETS} each)`);
}
process.exit(0);
