import type {ShipmentState} from '../orders/order-status.ts';
import type {ItemCounts, ParcelPhase, WaitingReason} from './classify-order.ts';
import {languageOf, type Language, type Locale} from './locale.ts';

/**
 * Every sentence Anna says about an order, one table per language. The
 * `OrderPhrases` type makes a missing translation a compile error. Each
 * function returns whole sentences; dates, carriers and names arrive
 * already in words. Sentences may start lower-case ("the parcel …"):
 * the renderer capitalises. German is formal throughout ("Sie", "Ihre").
 */

/** One parcel, in words. */
export interface ParcelFacts {
  /** Noun phrase as used mid-sentence: "order ORD-12345", "Ihre Bestellung 1001", "the parcel". */
  subject: string;
  carrier: string | null;
  /** When it was handed over, e.g. "yesterday". */
  shipped: string | null;
  /** Estimated arrival, only when today or later, e.g. "tomorrow". */
  arrives: string | null;
  /** When it was delivered or picked up. */
  delivered: string | null;
}

export interface PhaseCount {
  phase: ParcelPhase;
  count: number;
}

export type ParcelState = Exclude<ShipmentState, 'canceled'>;
type ParcelSentence = (p: ParcelFacts) => string;

export interface OrderPhrases {
  /** The order as a subject or object mid-sentence; `name` may be empty. */
  order(name: string): string;
  /** A single parcel when the order is only partly shipped. */
  parcel: string;

  waiting: Record<WaitingReason, (name: string) => string>;
  parcelState: Record<ParcelState, ParcelSentence>;
  cancelled(name: string, when: string | null): string;
  refunded(name: string): string;
  restocked(name: string): string;
  partial(name: string, counts: ItemCounts | null): string;
  /** Several parcels (at least two); `partial` when more items are still to come. */
  parcels(name: string, partial: boolean, phases: readonly PhaseCount[]): string;
  lastArrives(when: string): string;
  lastDelivered(when: string): string;

  // Second sentences.
  attemptedHint(carrier: string | null): string;
  paymentAuthorized: string;
  paymentRefunded: string;
  paymentPartlyRefunded: string;
  nothingCharged: string;
  /** `chars` already spaced for speech: "4 7 1 1". */
  tracking(chars: string): string;
  teamOffer(canTransfer: boolean): string;

  // Lookup-level answers.
  notFound(name: string, canTransfer: boolean): string;
  noOrderNumber: string;
  stillChecking(canTransfer: boolean): string;
  unavailable(canTransfer: boolean): string;
}

/** "a", "a and b", "a, b and c". */
function joinList(items: readonly string[], and: string): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${and} ${items.at(-1)}`;
}

function total(phases: readonly PhaseCount[]): number {
  return phases.reduce((sum, p) => sum + p.count, 0);
}

// ---------------------------------------------------------------- English

const withCarrier = (carrier: string | null): string => (carrier ? ` with ${carrier}` : '');

function enShipped(p: ParcelFacts, onTheWay: boolean): string {
  const sent = p.shipped ? `${p.subject} was shipped ${p.shipped}` : `${p.subject} has been shipped`;
  const next = p.arrives ? ` and arrives ${p.arrives}` : onTheWay ? ' and is on its way' : '';
  return `${sent}${withCarrier(p.carrier)}${next}.`;
}

const EN_PHASE: Record<ParcelPhase, readonly [one: string, many: string]> = {
  delivered: ['has been delivered', 'have been delivered'],
  ready: ['is ready for pickup', 'are ready for pickup'],
  onTheWay: ['is on its way', 'are on their way'],
  preparing: ['is being prepared', 'are being prepared'],
  delayed: ['is delayed', 'are delayed'],
};

function enPhase({phase, count}: PhaseCount, all: number): string {
  const [one, many] = EN_PHASE[phase];
  if (count === all) return `${all === 2 ? 'both' : `all ${all}`} ${many}`;
  return count === 1 ? `one ${one}` : `${count} ${many}`;
}

const enOrder = (name: string): string => (name ? `order ${name}` : 'your order');

const en: OrderPhrases = {
  order: enOrder,
  parcel: 'the parcel',

  waiting: {
    preparing: (n) => `${enOrder(n)} is being prepared and has not been shipped yet.`,
    scheduled: (n) => `${enOrder(n)} is scheduled to be shipped at a later date.`,
    onHold: (n) => `${enOrder(n)} is on hold at the moment and has not been shipped yet.`,
    declined: (n) => `${enOrder(n)} could not be accepted by the warehouse yet, so it has not been shipped.`,
    notRequired: (n) => `Nothing in ${enOrder(n)} needs to be shipped.`,
    awaitingPayment: (n) => `${enOrder(n)} has not been shipped yet because the payment has not arrived.`,
    paymentIncomplete: (n) => `${enOrder(n)} has not been shipped yet because the payment is not complete.`,
    paymentExpired: (n) => `${enOrder(n)} has not been shipped because the payment authorization has expired.`,
    paymentVoided: (n) => `${enOrder(n)} will not be shipped because the payment was cancelled.`,
    shipped: (n) => `${enOrder(n)} has been shipped.`,
    partlyShipped: (n) => `Part of ${enOrder(n)} has been shipped, and the rest will follow.`,
    unknown: (n) => `I found ${enOrder(n)}, but I can't see its current status right now.`,
  },

  parcelState: {
    label_created: (p) => `${p.subject} is ready to ship and will be handed to ${p.carrier ?? 'the carrier'} soon.`,
    label_voided: (p) => `${p.subject} is not on its way yet because its shipping label was cancelled.`,
    submitted: (p) => `${p.subject} has been passed to the warehouse for shipping.`,
    confirmed: (p) => `The warehouse has confirmed ${p.subject} and is preparing it for shipping.`,
    fulfilled: (p) => enShipped(p, false),
    unknown: (p) => enShipped(p, false),
    in_transit: (p) => enShipped(p, true),
    out_for_delivery: (p) => `${p.subject} is out for delivery${withCarrier(p.carrier)} and should arrive today.`,
    attempted_delivery: (p) => `${p.carrier ?? 'the carrier'} tried to deliver ${p.subject} but could not hand it over.`,
    delayed: (p) =>
      p.arrives
        ? `${p.subject} is delayed and should now arrive ${p.arrives}.`
        : `${p.shipped ? `${p.subject} was shipped ${p.shipped}` : `${p.subject} has been shipped`}${withCarrier(p.carrier)} but is delayed.`,
    failure: (p) => `Unfortunately, ${p.carrier ?? 'the carrier'} could not deliver ${p.subject}.`,
    not_delivered: (p) => `Unfortunately, ${p.carrier ?? 'the carrier'} could not deliver ${p.subject}.`,
    delivered: (p) => (p.delivered ? `${p.subject} was delivered ${p.delivered}.` : `${p.subject} has been delivered.`),
    ready_for_pickup: (p) => `${p.subject} is ready for pickup.`,
    picked_up: (p) => (p.delivered ? `${p.subject} was picked up ${p.delivered}.` : `${p.subject} has been picked up.`),
  },

  cancelled: (n, when) => (when ? `${enOrder(n)} was cancelled ${when}.` : `${enOrder(n)} has been cancelled.`),
  refunded: (n) => `${enOrder(n)} has been refunded in full.`,
  restocked: (n) => `The items in ${enOrder(n)} were put back into stock, so it will not be shipped.`,
  partial: (n, counts) =>
    counts
      ? `${counts.shipped === 1 ? 'one' : counts.shipped} of ${counts.total} items in ${enOrder(n)} ${counts.shipped === 1 ? 'has' : 'have'} been shipped, and the rest will follow.`
      : `Part of ${enOrder(n)} has been shipped, and the rest will follow.`,
  parcels: (n, partial, phases) => {
    const all = total(phases);
    const list = joinList(phases.map((p) => enPhase(p, all)), 'and');
    if (partial) return `The items shipped so far are in ${all} parcels: ${list}.`;
    const verb = phases.some((p) => p.phase === 'preparing') ? 'split into' : 'sent in';
    return `${enOrder(n)} was ${verb} ${all} parcels: ${list}.`;
  },
  lastArrives: (when) => `The last one should arrive ${when}.`,
  lastDelivered: (when) => `The last one was delivered ${when}.`,

  attemptedHint: (carrier) =>
    `Please look out for a notice from ${carrier ?? 'the carrier'} about the next attempt or where to pick it up.`,
  paymentAuthorized: 'Your payment has been authorized and will be charged later.',
  paymentRefunded: 'The payment has been refunded.',
  paymentPartlyRefunded: 'Part of the payment has been refunded.',
  nothingCharged: 'Nothing was charged.',
  tracking: (chars) => `The tracking number ends in ${chars}.`,
  teamOffer: (canTransfer) =>
    canTransfer ? 'If you like, I can connect you with our team.' : "The store's team will be glad to help you with this.",

  notFound: (name, canTransfer) =>
    `${name ? `I couldn't find an order with the number ${name}.` : "I couldn't find that order."} ` +
    `Please check the number and tell me again${canTransfer ? ', or I can connect you with our team' : ''}.`,
  noOrderNumber: 'Could you please tell me your order number? You can find it in your order confirmation email.',
  stillChecking: (canTransfer) =>
    "I'm still waiting for the shop's system. " +
    (canTransfer ? 'Let me transfer you to our team.' : 'Please give me a moment and then ask me again.'),
  unavailable: (canTransfer) =>
    "I'm sorry, I can't reach the shop's order system right now. " +
    (canTransfer ? 'Let me transfer you to our team.' : 'Please try again later or contact the store by email.'),
};

// ---------------------------------------------------------------- German

const mit = (carrier: string | null): string => (carrier ? ` mit ${carrier}` : '');
const paketdienst = (carrier: string | null): string => carrier ?? 'der Paketdienst';

function deShipped(p: ParcelFacts, onTheWay: boolean): string {
  const when = p.shipped ? ` ${p.shipped}` : '';
  const next = p.arrives ? ` und kommt ${p.arrives} an` : onTheWay ? ' und ist unterwegs' : '';
  return `${p.subject} wurde${when}${mit(p.carrier)} verschickt${next}.`;
}

const DE_PHASE: Record<ParcelPhase, readonly [one: string, many: string]> = {
  delivered: ['wurde zugestellt', 'wurden zugestellt'],
  ready: ['liegt zur Abholung bereit', 'liegen zur Abholung bereit'],
  onTheWay: ['ist unterwegs', 'sind unterwegs'],
  preparing: ['wird noch vorbereitet', 'werden noch vorbereitet'],
  delayed: ['verzögert sich', 'verzögern sich'],
};

function dePhase({phase, count}: PhaseCount, all: number): string {
  const [one, many] = DE_PHASE[phase];
  if (count === all) return `${all === 2 ? 'beide' : `alle ${all}`} ${many}`;
  return count === 1 ? `eines ${one}` : `${count} ${many}`;
}

/** Nominative and accusative (feminine: same form). */
const bestellung = (name: string): string => (name ? `Ihre Bestellung ${name}` : 'Ihre Bestellung');
/** Genitive and dative. */
const ihrerBestellung = (name: string): string => (name ? `Ihrer Bestellung ${name}` : 'Ihrer Bestellung');

const de: OrderPhrases = {
  order: bestellung,
  parcel: 'das Paket',

  waiting: {
    preparing: (n) => `${bestellung(n)} wird gerade vorbereitet und wurde noch nicht verschickt.`,
    scheduled: (n) => `${bestellung(n)} ist für einen späteren Versand eingeplant.`,
    onHold: (n) => `${bestellung(n)} ist zurzeit angehalten und wurde noch nicht verschickt.`,
    declined: (n) => `Das Lager konnte ${bestellung(n)} noch nicht annehmen, daher wurde sie noch nicht verschickt.`,
    notRequired: (n) => `Für ${bestellung(n)} ist kein Versand nötig.`,
    awaitingPayment: (n) =>
      `${bestellung(n)} wurde noch nicht verschickt, weil die Zahlung noch nicht eingegangen ist.`,
    paymentIncomplete: (n) =>
      `${bestellung(n)} wurde noch nicht verschickt, weil die Zahlung noch nicht vollständig ist.`,
    paymentExpired: (n) => `${bestellung(n)} wurde nicht verschickt, weil die Zahlungsfreigabe abgelaufen ist.`,
    paymentVoided: (n) => `${bestellung(n)} wird nicht verschickt, weil die Zahlung storniert wurde.`,
    shipped: (n) => `${bestellung(n)} wurde verschickt.`,
    partlyShipped: (n) => `Ein Teil ${ihrerBestellung(n)} wurde bereits verschickt, der Rest folgt.`,
    unknown: (n) => `Ich habe ${bestellung(n)} gefunden, kann ihren aktuellen Stand aber gerade nicht sehen.`,
  },

  parcelState: {
    label_created: (p) =>
      `${p.subject} ist versandbereit und wird in Kürze an ${p.carrier ?? 'den Paketdienst'} übergeben.`,
    label_voided: (p) => `${p.subject} ist noch nicht unterwegs, weil das Versandetikett storniert wurde.`,
    submitted: (p) => `${p.subject} wurde zum Versand an das Lager übergeben.`,
    confirmed: (p) => `Das Lager hat ${p.subject} bestätigt und bereitet den Versand vor.`,
    fulfilled: (p) => deShipped(p, false),
    unknown: (p) => deShipped(p, false),
    in_transit: (p) => deShipped(p, true),
    out_for_delivery: (p) => `${p.subject} wird heute${p.carrier ? ` von ${p.carrier}` : ''} zugestellt.`,
    attempted_delivery: (p) =>
      `${paketdienst(p.carrier)} konnte ${p.subject} beim Zustellversuch nicht übergeben.`,
    delayed: (p) =>
      p.arrives
        ? `${p.subject} verzögert sich und kommt voraussichtlich ${p.arrives} an.`
        : `${p.subject} wurde${p.shipped ? ` ${p.shipped}` : ''}${mit(p.carrier)} verschickt, verzögert sich aber.`,
    failure: (p) => `Leider konnte ${paketdienst(p.carrier)} ${p.subject} nicht zustellen.`,
    not_delivered: (p) => `Leider konnte ${paketdienst(p.carrier)} ${p.subject} nicht zustellen.`,
    delivered: (p) => `${p.subject} wurde${p.delivered ? ` ${p.delivered}` : ''} zugestellt.`,
    ready_for_pickup: (p) => `${p.subject} liegt zur Abholung bereit.`,
    picked_up: (p) => `${p.subject} wurde${p.delivered ? ` ${p.delivered}` : ''} abgeholt.`,
  },

  cancelled: (n, when) => `${bestellung(n)} wurde${when ? ` ${when}` : ''} storniert.`,
  refunded: (n) => `${bestellung(n)} wurde vollständig erstattet.`,
  restocked: (n) => `Die Artikel ${ihrerBestellung(n)} wurden wieder eingelagert, daher wird sie nicht verschickt.`,
  partial: (n, counts) =>
    counts
      ? `Von ${ihrerBestellung(n)} ${counts.shipped === 1 ? 'wurde' : 'wurden'} bisher ${counts.shipped === 1 ? 'einer' : counts.shipped} von ${counts.total} Artikeln verschickt, der Rest folgt.`
      : `Ein Teil ${ihrerBestellung(n)} wurde bereits verschickt, der Rest folgt.`,
  parcels: (n, partial, phases) => {
    const all = total(phases);
    const list = joinList(phases.map((p) => dePhase(p, all)), 'und');
    if (partial) return `Die bisher verschickten Artikel sind in ${all} Paketen: ${list}.`;
    return phases.some((p) => p.phase === 'preparing')
      ? `${bestellung(n)} wurde auf ${all} Pakete aufgeteilt: ${list}.`
      : `${bestellung(n)} wurde in ${all} Paketen verschickt: ${list}.`;
  },
  lastArrives: (when) => `Das letzte kommt voraussichtlich ${when} an.`,
  lastDelivered: (when) => `Das letzte wurde ${when} zugestellt.`,

  attemptedHint: (carrier) =>
    `Bitte achten Sie auf eine Benachrichtigung ${carrier ? `von ${carrier}` : 'des Paketdienstes'} zum nächsten Zustellversuch oder zur Abholstelle.`,
  paymentAuthorized: 'Ihre Zahlung ist autorisiert und wird später abgebucht.',
  paymentRefunded: 'Die Zahlung wurde Ihnen erstattet.',
  paymentPartlyRefunded: 'Ein Teil des Betrags wurde Ihnen bereits erstattet.',
  nothingCharged: 'Es wurde Ihnen nichts abgebucht.',
  tracking: (chars) => `Die Sendungsnummer endet auf ${chars}.`,
  teamOffer: (canTransfer) =>
    canTransfer
      ? 'Wenn Sie möchten, verbinde ich Sie gern mit unserem Team.'
      : 'Das Team des Shops hilft Ihnen dabei gern weiter.',

  notFound: (name, canTransfer) =>
    `${name ? `Ich konnte keine Bestellung mit der Nummer ${name} finden.` : 'Ich konnte diese Bestellung nicht finden.'} ` +
    `Bitte prüfen Sie die Nummer und nennen Sie sie mir noch einmal${canTransfer ? ', oder ich verbinde Sie mit unserem Team' : ''}.`,
  noOrderNumber:
    'Könnten Sie mir bitte Ihre Bestellnummer nennen? Sie finden sie in Ihrer Bestellbestätigung per E-Mail.',
  stillChecking: (canTransfer) =>
    'Ich warte noch auf eine Antwort vom System des Shops. ' +
    (canTransfer ? 'Ich verbinde Sie mit unserem Team.' : 'Bitte fragen Sie mich in einem Moment noch einmal.'),
  unavailable: (canTransfer) =>
    'Es tut mir leid, ich kann das Bestellsystem des Shops gerade nicht erreichen. ' +
    (canTransfer
      ? 'Ich verbinde Sie mit unserem Team.'
      : 'Bitte versuchen Sie es später noch einmal oder schreiben Sie dem Shop eine E-Mail.'),
};

const TABLES: Record<Language, OrderPhrases> = {en, de};

export function orderPhrases(locale: Locale): OrderPhrases {
  return TABLES[languageOf(locale)];
}
