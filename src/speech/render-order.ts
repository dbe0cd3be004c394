import type {OrderStatus, PaymentState, Shipment} from '../orders/order-status.ts';
import {
  classifyOrder,
  needsAttention as situationNeedsAttention,
  parcelPhase,
  type ParcelPhase,
  type Situation,
} from './classify-order.ts';
import type {Locale} from './locale.ts';
import {orderPhrases, type OrderPhrases, type ParcelFacts, type PhaseCount} from './order-phrases.ts';
import {daysFromToday, isValidDate, speakDate} from './relative-date.ts';

/**
 * OrderStatus → what Anna says: at most two sentences, status first, then
 * the most useful extra (an offer of the team in problem states, the
 * tracking number's end for a verified caller, a payment note). Never
 * throws for any OrderStatus: bad dates are left out, not spoken.
 */

export interface RenderOptions {
  locale: Locale;
  /** The shop's IANA zone; decides what "today" is. */
  timeZone: string;
  now: Date;
  /** The order number as it should be spoken, e.g. "ORD-12345" or "1001"; a leading "#" is dropped. */
  spokenName: string;
  /** Only a verified caller hears the tracking number's last four characters. */
  verified: boolean;
  /** Whether a person can take the call; shapes the offer in problem states. Default false. */
  canTransfer?: boolean;
}

const MAX_SENTENCES = 2;

interface Context {
  words: OrderPhrases;
  name: string;
  opts: RenderOptions;
}

export function renderOrderStatus(status: OrderStatus, opts: RenderOptions): string {
  const ctx: Context = {words: orderPhrases(opts.locale), name: spokenOrderName(opts.spokenName), opts};
  return finish(sentencesFor(classifyOrder(status), status, ctx));
}

/**
 * True when the answer sends the caller to the shop's team (delayed or
 * failed delivery, on hold, payment expired, …): a hint for the caller of
 * the renderer to offer a transfer.
 */
export function needsAttention(status: OrderStatus): boolean {
  return situationNeedsAttention(classifyOrder(status));
}

export function sayNotFound(locale: Locale, {spokenName, canTransfer}: {spokenName: string; canTransfer: boolean}): string {
  return orderPhrases(locale).notFound(spokenOrderName(spokenName), canTransfer);
}

export function sayNoOrderNumber(locale: Locale): string {
  return orderPhrases(locale).noOrderNumber;
}

export function sayStillChecking(locale: Locale, {canTransfer}: {canTransfer: boolean}): string {
  return orderPhrases(locale).stillChecking(canTransfer);
}

export function sayUnavailable(locale: Locale, {canTransfer}: {canTransfer: boolean}): string {
  return orderPhrases(locale).unavailable(canTransfer);
}

/** Candidate sentences, most important first; `finish` keeps the first two. */
function sentencesFor(situation: Situation, status: OrderStatus, ctx: Context): (string | null)[] {
  const {words: w, name} = ctx;
  const offer = situationNeedsAttention(situation) ? w.teamOffer(ctx.opts.canTransfer ?? false) : null;
  switch (situation.kind) {
    case 'cancelled':
      return [w.cancelled(name, pastDate(status.cancelledAt, ctx)), paymentAfterCancel(status.payment, w)];
    case 'refunded':
      return [w.refunded(name)];
    case 'restocked':
      return [w.restocked(name), offer];
    case 'waiting': {
      const authorized =
        status.payment === 'authorized' && (situation.reason === 'preparing' || situation.reason === 'scheduled');
      return [
        w.waiting[situation.reason](name),
        offer,
        authorized ? w.paymentAuthorized : null,
        partlyRefunded(status.payment, w),
      ];
    }
    case 'oneParcel': {
      const {parcel} = situation;
      return [
        parcelSentence(parcel, w.order(name), ctx),
        offer,
        tracking(parcel, ctx),
        parcel.state === 'attempted_delivery' ? w.attemptedHint(carrierName(parcel.carrier)) : null,
        partlyRefunded(status.payment, w),
      ];
    }
    case 'partial': {
      const [only] = situation.parcels;
      const second =
        situation.parcels.length === 1 && only
          ? parcelSentence(only, w.parcel, ctx)
          : w.parcels(name, true, phaseCounts(situation.parcels));
      return [w.partial(name, situation.counts), second, offer];
    }
    case 'parcels':
      return [
        w.parcels(name, false, phaseCounts(situation.parcels)),
        offer,
        lastEvent(situation.parcels, ctx),
        partlyRefunded(status.payment, w),
      ];
  }
}

function parcelSentence(parcel: Shipment, subject: string, ctx: Context): string {
  const state = parcel.state === 'canceled' ? 'unknown' : parcel.state; // classifyOrder drops those
  return ctx.words.parcelState[state](parcelFacts(parcel, subject, ctx));
}

function parcelFacts(parcel: Shipment, subject: string, ctx: Context): ParcelFacts {
  return {
    subject,
    carrier: carrierName(parcel.carrier),
    shipped: pastDate(parcel.shippedAt, ctx),
    arrives: futureDate(parcel.estimatedDeliveryAt, ctx),
    delivered: pastDate(parcel.deliveredAt, ctx),
  };
}

// Summary order: good news first, problems last.
const PHASE_ORDER: readonly ParcelPhase[] = ['delivered', 'ready', 'onTheWay', 'preparing', 'delayed'];

function phaseCounts(parcels: readonly Shipment[]): PhaseCount[] {
  const phases = parcels.map((p) => parcelPhase(p.state));
  return PHASE_ORDER.map((phase) => ({phase, count: phases.filter((p) => p === phase).length})).filter(
    (c) => c.count > 0,
  );
}

/** "The last one was delivered …" or "… should arrive …", only when every parcel gives that date. */
function lastEvent(parcels: readonly Shipment[], ctx: Context): string | null {
  const open = parcels.filter((p) => parcelPhase(p.state) !== 'delivered');
  if (open.length === 0) {
    const when = pastDate(latest(parcels.map((p) => p.deliveredAt)), ctx);
    return when ? ctx.words.lastDelivered(when) : null;
  }
  const estimates = open.map((p) => p.estimatedDeliveryAt);
  const allAhead = estimates.every((d) => futureDate(d, ctx) !== null);
  const when = allAhead ? futureDate(latest(estimates), ctx) : null;
  return when ? ctx.words.lastArrives(when) : null;
}

/** The latest of the dates, or null when any is missing. */
function latest(dates: readonly (Date | null)[]): Date | null {
  if (!dates.every(isValidDate)) return null;
  return dates.reduce<Date | null>((max, d) => (max === null || d > max ? d : max), null);
}

function paymentAfterCancel(payment: PaymentState, w: OrderPhrases): string | null {
  if (payment === 'refunded') return w.paymentRefunded;
  if (payment === 'voided') return w.nothingCharged;
  return partlyRefunded(payment, w);
}

function partlyRefunded(payment: PaymentState, w: OrderPhrases): string | null {
  return payment === 'partially_refunded' ? w.paymentPartlyRefunded : null;
}

function tracking(parcel: Shipment, ctx: Context): string | null {
  if (!ctx.opts.verified || !parcel.trackingLast4) return null;
  const chars = parcel.trackingLast4.replace(/[^0-9a-z]/gi, '').slice(-4).toUpperCase();
  // Spaced so that "4711" is read digit by digit, not as "four thousand …".
  return chars ? ctx.words.tracking(chars.split('').join(' ')) : null;
}

/** A date in the past: one "after now" (clock skew) is spoken as now; an invalid one not at all. */
function pastDate(date: Date | null, ctx: Context): string | null {
  const {now} = ctx.opts;
  if (!isValidDate(date) || !isValidDate(now)) return null;
  return speakDate(date > now ? now : date, ctx.opts);
}

/** A date still ahead (today or later); a passed estimate is not worth saying. */
function futureDate(date: Date | null, ctx: Context): string | null {
  if (!isValidDate(date) || !isValidDate(ctx.opts.now)) return null;
  return daysFromToday(date, ctx.opts) >= 0 ? speakDate(date, ctx.opts) : null;
}

// Shopify's placeholder carrier names say nothing to a caller; nor do the
// placeholders an integration stores as text ("null", "N/A"), found by fuzzing.
const NAMELESS_CARRIERS: ReadonlySet<string> = new Set([
  'other', 'others', 'andere', 'sonstige', 'custom',
  'null', 'undefined', 'nan', 'none', 'n a', 'na', 'unknown', 'keine', 'unbekannt',
]);

/** A carrier name safe to speak: no sentence punctuation (it would break the sentence count). */
export function carrierName(carrier: string | null): string | null {
  const name = (carrier ?? '')
    .replace(/[^\p{L}\p{N} &'+-]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  // A name has a letter or a digit ("-" alone is none).
  return /[\p{L}\p{N}]/u.test(name) && !NAMELESS_CARRIERS.has(name.toLowerCase()) ? name : null;
}

/** "#1001" → "1001": a leading hash would be read as "hash"/"Raute". */
export function spokenOrderName(spokenName: string): string {
  return spokenName.trim().replace(/^#+\s*/, '');
}

function finish(sentences: readonly (string | null)[]): string {
  return sentences
    .filter((s): s is string => Boolean(s))
    .slice(0, MAX_SENTENCES)
    .map((s) => s.charAt(0).toUpperCase() + s.slice(1))
    .join(' ');
}
