/**
 * Sending the soak's traffic and judging every answer as it arrives:
 * status, words, transfers, the budget (less the soak's own forced GC
 * pauses), and what the outage may say for cached and cold orders.
 */
import {request, type Agent} from 'undici';
import type {Instance} from './instances.ts';
import {NEW_STORE_PHONE, ORDER_CACHE_MAX, STORE_PHONE, type ModeRun, type Sent, type ShopTarget, type Tally} from './mode-run.ts';
import {BAD_INPUT, CALLERS, callerPhone, classifyLookup, ORDER_UNIVERSE, pickKind, plan, type Kind, type Planned} from './traffic.ts';

export const cacheKey = (instance: Instance) => `${instance.name}#${instance.generation}`;

/** Picks what to send next, sends it, and judges the answer. */
export async function send(run: ModeRun, agent: Agent, now: () => number, budgetMs: number): Promise<void> {
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

export const pending = new Set<Sent>();

export function fail(tally: Tally, message: string) {
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
