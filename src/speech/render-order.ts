import type {OrderStatus, PaymentState, Shipment} from '../orders/order-status.ts';
import {spokenCarrier} from './carriers.ts';
import {
  classifyOrder,
  needsAttention as situationNeedsAttention,
  parcelPhase,
  paymentWorthSaying,
  type ParcelPhase,
  type ParcelProblem,
  type ProblemParcels,
  type Situation,
} from './classify-order.ts';
import type {Locale} from './locale.ts';
import {orderPhrases, type Contact, type OrderPhrases, type ParcelFacts, type PhaseCount} from './order-phrases.ts';
import {fixedPhrases} from './phrases.ts';
import {daysFromToday, isValidDate, speakDate} from './relative-date.ts';

/**
 * OrderStatus → what Anna says: at most two sentences, the most important
 * first. Something wrong always wins the first sentence; the second is the
 * most useful extra (the offer of help in problem states, money matters for
 * a verified caller, the tracking number's end). Never throws for any
 * OrderStatus: bad dates are left out, not spoken.
 */

export interface RenderOptions {
  locale: Locale;
  /** The shop's IANA zone; decides what "today" is. */
  timeZone: string;
  now: Date;
  /** The order number as the shop writes it, e.g. "ORD-12345" or "#1001"; spoken character by character. */
  spokenName: string;
  /**
   * The caller's phone matched the order's (verification mode caller_phone).
   * Only then: payment state, refunds, amounts and the tracking number's end.
   */
  verified: boolean;
  /** Whether a person can take the call; shapes every offer. Default false. */
  canTransfer?: boolean;
  /** The merchant's contact ("hello@shop.at"), offered when no transfer is possible. */
  contactHint?: string | null;
  /** The answer comes from an expired cache (Shopify unreachable): said so. */
  stale?: boolean;
  /**
   * When the order was placed, in words ("on 3 May"): said once, with the
   * number, where the caller did not give one (found by caller ID): "your
   * order 1 0 0 1, placed on 3 May, was shipped …".
   */
  placed?: string | null;
}

const MAX_SENTENCES = 2;

interface Context {
  words: OrderPhrases;
  name: string;
  opts: RenderOptions;
  contact: Contact;
}

export function renderOrderStatus(status: OrderStatus, opts: RenderOptions): string {
  const contact = {canTransfer: opts.canTransfer ?? false, contactHint: opts.contactHint ?? null};
  const words = orderPhrases(opts.locale);
  const spelled = spellOrderNumber(opts.spokenName);
  const name = opts.placed && spelled ? words.placedOrder(spelled, opts.placed) : spelled;
  const ctx: Context = {words, name, opts, contact};
  const situation = classifyOrder(status, {verified: opts.verified, timeZone: opts.timeZone, now: opts.now});
  const sentences = sentencesFor(situation, status, ctx)
    .filter((s): s is string => Boolean(s))
    .map((s) => s.replace(/,(?=[.!?,])/g, '')); // a "placed …," clause before a stop or a comma of its own
  const [first] = sentences;
  if (first !== undefined && opts.stale) sentences[0] = ctx.words.asOfLastUpdate(first);
  return finish(sentences);
}

/**
 * True when the answer sends the caller to the shop's team (a delivery
 * failed or is late, on hold, payment failed, …): a hint for the caller of
 * the renderer to offer a transfer.
 */
export function needsAttention(status: OrderStatus, opts: Pick<RenderOptions, 'timeZone' | 'now' | 'verified'>): boolean {
  return situationNeedsAttention(classifyOrder(status, opts));
}

function contactOf(o: {canTransfer: boolean; contactHint?: string | null | undefined}): Contact {
  return {canTransfer: o.canTransfer, contactHint: o.contactHint ?? null};
}

type FixedOptions = {canTransfer: boolean; contactHint?: string | null};

/** No order with this number; `olderHidden` when orders older than 60 days are invisible to the app. */
export function sayNotFound(locale: Locale, o: FixedOptions & {spokenName: string; olderHidden?: boolean}): string {
  return fixedPhrases(locale).notFound(spellOrderNumber(o.spokenName), o.olderHidden ?? false, contactOf(o));
}

export function sayNoOrderNumber(locale: Locale): string {
  return fixedPhrases(locale).noOrderNumber;
}

export function sayStillChecking(locale: Locale, o: FixedOptions): string {
  return fixedPhrases(locale).stillChecking(contactOf(o));
}

export function sayUnavailable(locale: Locale, o: FixedOptions): string {
  return fixedPhrases(locale).unavailable(contactOf(o));
}

/** The shop's connection to Shopify is gone until the merchant reconnects. */
export function sayReconnectNeeded(locale: Locale, o: FixedOptions): string {
  return fixedPhrases(locale).reconnect(contactOf(o));
}

/** Candidate sentences, most important first; `finish` keeps the first two. */
function sentencesFor(situation: Situation, status: OrderStatus, ctx: Context): (string | null)[] {
  const {words: w, name, contact} = ctx;
  const offer = situationNeedsAttention(situation) ? w.teamOffer(contact) : null;
  const money = moneyNote(status, ctx);
  switch (situation.kind) {
    case 'cancelled': {
      const carrier = situation.travelling ? spokenCarrier(situation.travelling.carrier) : null;
      const first = w.cancelled(name, pastDate(status.cancelledAt, ctx), carrier);
      // A parcel on its way to someone who cancelled: the way to the team comes before the money.
      return carrier ? [first, offer, money] : [first, money, offer];
    }
    case 'refunded': {
      const carrier = situation.travelling ? spokenCarrier(situation.travelling.carrier) : null;
      return [w.refunded(name, carrier), offer];
    }
    case 'restocked':
      return [w.restocked(name, situation.returned), offer, money];
    case 'waiting': {
      const first = situation.late
        ? w.unshippedLate(name, ctx.opts.placed ? null : pastDate(status.createdAt, ctx)) // said with the name already
        : w.waiting[situation.reason](name);
      const reserved =
        ctx.opts.verified && status.payment === 'authorized' && (situation.reason === 'preparing' || situation.reason === 'scheduled');
      // Unverified, a failed payment is not named, but the way to the team still is.
      const hiddenProblem = situation.reason === 'notShippedYet' && (status.payment === 'expired' || status.payment === 'voided');
      return [first, offer, reserved ? w.money.reserved : null, money, hiddenProblem ? w.teamOffer(contact) : null];
    }
    case 'oneParcel': {
      const {parcel, problem} = situation;
      return [
        parcelSentence(parcel, w.order(name), problem, ctx),
        offer,
        problem === 'attempted' ? w.attemptedHint(spokenCarrier(parcel.carrier)) : null,
        money,
        tracking(parcel, ctx),
      ];
    }
    case 'partial': {
      const {parcels, problem} = situation;
      if (problem) return [problemSentence(problem, parcels.length === 1, ctx), problemExtra(problem, offer, ctx)];
      const [only] = parcels;
      const second =
        parcels.length === 1 && only ? parcelSentence(only, w.parcel, null, ctx) : w.parcels(name, true, phaseCounts(parcels));
      return [w.partial(name, situation.counts), second];
    }
    case 'parcels': {
      const {parcels, problem} = situation;
      if (problem) return [problemSentence(problem, false, ctx), problemExtra(problem, offer, ctx)];
      return [w.parcels(name, false, phaseCounts(parcels)), lastEvent(parcels, ctx), money];
    }
  }
}

/** The first sentence when a parcel of several (or of a partly shipped order) has a problem. */
function problemSentence(p: ProblemParcels, onlyParcel: boolean, ctx: Context): string {
  const {words: w, name} = ctx;
  if (onlyParcel) return parcelSentence(p.parcel, w.partParcel(name), p.problem, ctx);
  return w.parcelsProblem(name, {problem: p.problem, count: p.count, total: p.total, carrier: spokenCarrier(p.parcel.carrier)});
}

function problemExtra(p: ProblemParcels, offer: string | null, ctx: Context): string | null {
  return p.problem === 'attempted' ? ctx.words.attemptedHint(spokenCarrier(p.parcel.carrier)) : offer;
}

/** A parcel's sentence: lateness if that is its problem, else its state (which names the other problems). */
function parcelSentence(parcel: Shipment, subject: string, problem: ParcelProblem | null, ctx: Context): string {
  const facts = parcelFacts(parcel, subject, ctx);
  if (problem === 'estimatePassed' || problem === 'notPickedUp') return ctx.words.parcelProblem[problem](facts);
  const state = parcel.state === 'canceled' ? 'unknown' : parcel.state; // classifyOrder drops those
  return ctx.words.parcelState[state](facts);
}

function parcelFacts(parcel: Shipment, subject: string, ctx: Context): ParcelFacts {
  // "Shipped" means a carrier has it: the first movement, or (marked shipped without tracking) the shop's own record.
  const handedOver = parcel.inTransitAt ?? (parcel.state === 'fulfilled' || parcel.state === 'unknown' ? parcel.shippedAt : null);
  return {
    subject,
    carrier: spokenCarrier(parcel.carrier),
    shipped: pastDate(handedOver, ctx),
    packed: pastDate(parcel.shippedAt, ctx),
    arrives: futureDate(parcel.estimatedDeliveryAt, ctx),
    due: passedDate(parcel.estimatedDeliveryAt, ctx),
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

/**
 * The money sentence: to a verified caller what happened to the payment
 * where it matters (cancelled, returned, partly refunded); to anyone else,
 * where payment details exist that they may not hear, the offer to connect
 * them (only when a transfer is possible).
 */
function moneyNote(status: OrderStatus, ctx: Context): string | null {
  const note = moneyFor(status, ctx.words);
  if (ctx.opts.verified) return note;
  return note !== null || paymentWorthSaying(status) ? ctx.words.paymentOffer(ctx.contact.canTransfer) : null;
}

function moneyFor(status: OrderStatus, w: OrderPhrases): string | null {
  const payment: PaymentState = status.payment;
  if (status.cancelledAt === null && status.fulfillment !== 'restocked') {
    return payment === 'partially_refunded' ? w.money.partlyRefunded : null;
  }
  // Cancelled or taken back: the caller wants to know about the money.
  switch (payment) {
    case 'refunded':
      return w.money.refunded;
    case 'partially_refunded':
      return w.money.partlyRefunded;
    case 'paid':
    case 'partially_paid':
      return w.money.notRefundedYet;
    case 'voided':
    case 'expired':
    case 'pending':
    case 'authorized':
      return w.money.nothingCharged;
    case 'unknown':
      return null;
  }
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

/** A date still ahead (today or later). */
function futureDate(date: Date | null, ctx: Context): string | null {
  if (!isValidDate(date) || !isValidDate(ctx.opts.now)) return null;
  return daysFromToday(date, ctx.opts) >= 0 ? speakDate(date, ctx.opts) : null;
}

/** A date already behind us (yesterday or earlier): a passed estimate. */
function passedDate(date: Date | null, ctx: Context): string | null {
  if (!isValidDate(date) || !isValidDate(ctx.opts.now)) return null;
  return daysFromToday(date, ctx.opts) < 0 ? speakDate(date, ctx.opts) : null;
}

/**
 * An order number as any TTS voice reads it: character by character,
 * letters spelled, separators dropped. "ORD-12345" → "O R D 1 2 3 4 5",
 * "#1001" → "1 0 0 1", "2024-00042" → "2 0 2 4 0 0 0 4 2". Without this,
 * voices say "twelve thousand …" or "ORD minus …".
 */
export function spellOrderNumber(name: string): string {
  const upper = name.normalize('NFC').replace(/[^\p{L}\p{N}]+/gu, '').toLocaleUpperCase('de');
  // Upper-casing can turn one letter into two ("ß" → "SS"): split after, not before.
  return [...upper.replace(/[^\p{L}\p{N}]+/gu, '')].join(' ');
}

function finish(sentences: readonly string[]): string {
  return sentences
    .slice(0, MAX_SENTENCES)
    .map((s) => s.charAt(0).toUpperCase() + s.slice(1))
    .join(' ');
}
