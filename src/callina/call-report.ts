import {instantAt, isoDateOfDay, wallTime} from '../hours/zoned-time.ts';
import type {Logger} from '../log.ts';
import type {ReportCounter, ReportIncrement, ShopRecord, Storage} from '../storage/storage.ts';
import type {EventName} from './events.ts';
import type {Answer} from './reply.ts';

/** Caller-ID lookups that named the caller's order, or offered a choice of several (stale answers included). */
const FOUND_BY_CALLER = new Set(['caller_found', 'caller_found_stale', 'caller_choice', 'caller_choice_stale']);

/** What one answered event adds to the shop's day. */
export function countersFor(event: EventName, answer: Answer): ReportCounter[] {
  const counters: ReportCounter[] = [];
  const {outcome, handoff} = answer;
  if (outcome === 'found' || outcome === 'found_stale') counters.push('ordersFound');
  else if (FOUND_BY_CALLER.has(outcome)) counters.push('foundByCaller');
  else if (outcome === 'not_found') counters.push('ordersNotFound');
  // Anna asked for the number: none understood, and the caller ID or e-mail found no current
  // order, was withheld by Shopify, or its query failed (caller-orders.ts).
  else if (outcome === 'no_number' || outcome.startsWith('caller_')) counters.push('noNumber');
  else if (outcome === 'budget_exceeded' || outcome.startsWith('unavailable_')) counters.push('fallbacks');
  if (event === 'silence.detected') counters.push('silences');
  if (handoff === 'store') counters.push('transfers');
  else if (handoff === 'after_hours' || handoff === 'closed') counters.push('afterHours');
  return counters;
}

export interface CallReportOptions {
  storage: Storage;
  log: Logger;
  /** How often pending counts are written (default every second). */
  flushMs?: number;
  /** Shop-days held while storage fails; beyond this, new counts are dropped (and logged). */
  maxPending?: number;
}

/**
 * The merchant's call report, written off the call path: `count` only adds
 * to a map in memory; a timer writes what gathered, all shops in one
 * batch, so a call never waits for (or fails on) the report. A failed
 * write keeps its counts for the next one. `close` writes the rest.
 */
export class CallReport {
  readonly #storage: Storage;
  readonly #log: Logger;
  readonly #maxPending: number;
  #pending = new Map<string, ReportIncrement>();
  #flushing: Promise<void> | undefined;
  readonly #timer: NodeJS.Timeout;
  /** Per zone, the local day that `[from, to)` covers: one Intl lookup a day instead of one a call. */
  readonly #days = new Map<string, {from: number; to: number; day: string}>();

  constructor(options: CallReportOptions) {
    this.#storage = options.storage;
    this.#log = options.log;
    this.#maxPending = options.maxPending ?? 10_000;
    this.#timer = setInterval(() => void this.flush(), options.flushMs ?? 1_000);
    this.#timer.unref();
  }

  count(shop: ShopRecord, event: EventName, answer: Answer, at: Date): void {
    const counters = countersFor(event, answer);
    if (counters.length === 0) return;
    const day = this.#localDay(at, shop.timeZone ?? 'UTC');
    const key = `${shop.shop}\n${day}`;
    let entry = this.#pending.get(key);
    if (!entry) {
      if (this.#pending.size >= this.#maxPending) {
        this.#log.warn({shop: shop.shop}, 'call report: too many unwritten counts, dropping one');
        return;
      }
      this.#pending.set(key, (entry = {shop: shop.shop, day, counts: {}}));
    }
    for (const c of counters) entry.counts[c] = (entry.counts[c] ?? 0) + 1;
  }

  #localDay(at: Date, timeZone: string): string {
    const t = at.getTime();
    const cached = this.#days.get(timeZone);
    if (cached && t >= cached.from && t < cached.to) return cached.day;
    const {day} = wallTime(at, timeZone);
    const span = {from: instantAt(day, 0, timeZone).getTime(), to: instantAt(day + 1, 0, timeZone).getTime(), day: isoDateOfDay(day)};
    this.#days.set(timeZone, span);
    return span.day;
  }

  /**
   * Writes everything counted so far; one write at a time. A write already
   * under way took only what had gathered when it began: wait for it, then
   * write what came since.
   */
  async flush(): Promise<void> {
    while (this.#flushing) await this.#flushing;
    this.#flushing = this.#write().finally(() => (this.#flushing = undefined));
    await this.#flushing;
  }

  async #write(): Promise<void> {
    if (this.#pending.size === 0) return;
    const batch = this.#pending;
    this.#pending = new Map();
    try {
      await this.#storage.addToReport([...batch.values()]);
    } catch (error) {
      this.#log.warn({err: error, shopDays: batch.size}, 'call report not written; keeping the counts for the next try');
      for (const [key, entry] of batch) {
        const now = this.#pending.get(key);
        if (!now) this.#pending.set(key, entry);
        else for (const [c, n] of Object.entries(entry.counts) as [ReportCounter, number][]) now.counts[c] = (now.counts[c] ?? 0) + n;
      }
    }
  }

  /** Stops the timer and writes the rest (graceful shutdown). */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
  }
}
