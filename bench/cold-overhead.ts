/**
 * The cold path's overhead above Shopify, over real sockets: cold lookups
 * one at a time against a Shopify stand-in that answers in a fixed 150 ms,
 * each followed by
 * - the floor: one bare request to the same stand-in from the service's
 *   process, through its own connection pool (Shopify's share);
 * - the hop: the same signed event POSTed to a bare Koa route
 *   (bench/baseline-server.ts) by the same client (the network's and the
 *   framework's share, which a bare route pays as well).
 * Overhead = lookup p50 − floor p50 − hop p50. Every step runs after the
 * same ~150 ms of idleness, as a real cold lookup does: on a shared machine
 * that alone makes each of them several times slower than back to back.
 * Orders are numbered from `firstOrder` on, so that a second measurement in
 * the same process finds none of them cached.
 */
import {postEvent, signedLookup, speaksOrder} from './callina-request.ts';
import {startChild, type Child, type Message} from './child.ts';
import {summarize, type LatencySummary} from './stats.ts';

export interface ColdOverheadReport {
  lookups: number;
  shopifyMs: number;
  /** Answer time of a cold lookup at the Callina client. */
  lookup: LatencySummary;
  /** A bare request to the same stand-in from the service's process. */
  floor: LatencySummary;
  /** The same event answered by a bare Koa route, at the same client. */
  hop: LatencySummary;
  overhead_p50_ms: number;
}

interface ServiceReady extends Message {
  url: string;
  hookPath: string;
  secret: string;
}

/** The first few run before the JIT has compiled the path. */
const WARMUP = 5;

export async function measureColdOverhead(service: Child<ServiceReady>, lookups: number, shopifyMs: number, firstOrder: number): Promise<ColdOverheadReport> {
  const {url, hookPath, secret} = service.ready;
  const lookupMs: number[] = [];
  const floorMs: number[] = [];
  const hopMs: number[] = [];
  let bare: Child<Message & {url: string}> | undefined;
  try {
    for (let i = -WARMUP; i < lookups; i++) {
      const n = firstOrder + WARMUP + i;
      const event = signedLookup(secret, String(n), `call_cold_${n}`, hookPath);
      const lookup = await postEvent(url, event);
      if (!speaksOrder(lookup.text, n)) throw new Error(`cold-overhead scenario: lookup of ${n} did not find its order: ${lookup.text}`);
      bare ??= await startChild('./baseline-server.ts', {BENCH_BODY: lookup.text});
      const floor = await service.ask<Message & {ms: number}>({type: 'floor'});
      const hop = await postEvent(bare.ready.url, event);
      if (hop.text.length !== lookup.text.length) throw new Error('cold-overhead scenario: the bare route answered another body');
      if (i < 0) continue;
      lookupMs.push(lookup.ms);
      floorMs.push(floor.ms);
      hopMs.push(hop.ms);
    }
  } finally {
    await bare?.stop();
  }
  const [lookup, floor, hop] = [summarize(lookupMs), summarize(floorMs), summarize(hopMs)];
  return {lookups, shopifyMs, lookup, floor, hop, overhead_p50_ms: lookup.p50 - floor.p50 - hop.p50};
}
