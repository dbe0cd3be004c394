import type {ShipmentState} from '../orders/order-status.ts';
import type {SpokenCarrier} from './carriers.ts';
import type {ItemCounts, ParcelPhase, ParcelProblem, WaitingReason} from './classify-order.ts';
import {languageOf, type Language, type Locale} from './locale.ts';

/**
 * Every sentence Anna says about an order, one table per language. The
 * `OrderPhrases` type makes a missing translation a compile error. Each
 * function returns whole sentences; dates, carriers and order numbers
 * arrive already in words. Sentences may start lower-case ("your order …"):
 * the renderer capitalises. German is formal throughout ("Sie", "Ihre").
 *
 * House rules: one voice ("our team"); estimates are always hedged ("should
 * arrive" / "kommt voraussichtlich … an"); lateness is said plainly; no
 * shop jargon ("fulfillment", "authorization", "restocked").
 */

/** One parcel, in words. */
export interface ParcelFacts {
  /** Noun phrase as used mid-sentence: "your order 1 0 0 1", "Ihre Bestellung 1 0 0 1", "the parcel". */
  subject: string;
  carrier: SpokenCarrier;
  /** When the carrier got it (`inTransitAt`), e.g. "yesterday". */
  shipped: string | null;
  /** When the label was made or the order marked shipped. */
  packed: string | null;
  /** Estimated arrival, only when today or later, e.g. "tomorrow". */
  arrives: string | null;
  /** A passed estimate, e.g. "last Friday". */
  due: string | null;
  /** When it was delivered or picked up. */
  delivered: string | null;
}

export interface PhaseCount {
  phase: ParcelPhase;
  count: number;
}

/** How Anna can send the caller on: a transfer, the contact the merchant configured, or neither. */
export interface Contact {
  canTransfer: boolean;
  /** Spoken as given, e.g. "hello@shop.at" or "Montag bis Freitag 9 bis 17 Uhr unter 0662 275124". */
  contactHint: string | null;
}

export type ParcelState = Exclude<ShipmentState, 'canceled'>;
type ParcelSentence = (p: ParcelFacts) => string;

/** Several parcels and the worst problem among them. */
export interface ParcelsProblem {
  problem: ParcelProblem;
  count: number;
  total: number;
  carrier: SpokenCarrier;
}

export interface OrderPhrases {
  /** The order as a subject or object mid-sentence; `name` (already spelled) may be empty. */
  order(name: string): string;
  /**
   * The spelled number with when it was placed, used wherever `name` is
   * ("1 0 0 1, placed on 3 May,"); a comma before the sentence's stop is dropped.
   */
  placedOrder(name: string, placed: string): string;
  /** The one parcel of a partly shipped order: "the parcel with part of your order …". */
  partParcel(name: string): string;
  /** A parcel as the subject of a second sentence. */
  parcel: string;

  waiting: Record<WaitingReason, (name: string) => string>;
  /** Nothing shipped long after the order was placed (`placed`: "on 3 May"). */
  unshippedLate(name: string, placed: string | null): string;
  parcelState: Record<ParcelState, ParcelSentence>;
  parcelProblem: Record<Exclude<ParcelProblem, 'failed' | 'attempted' | 'delayed'>, ParcelSentence>;
  /** One or more of several parcels has a problem: this sentence replaces the summary. */
  parcelsProblem(name: string, p: ParcelsProblem): string;
  cancelled(name: string, when: string | null, travelling: SpokenCarrier | null): string;
  refunded(name: string, travelling: SpokenCarrier | null): string;
  restocked(name: string, returned: boolean): string;
  partial(name: string, counts: ItemCounts | null): string;
  /** Several parcels (at least two); `partial` when more items are still to come. */
  parcels(name: string, partial: boolean, phases: readonly PhaseCount[]): string;
  lastArrives(when: string): string;
  lastDelivered(when: string): string;

  // Second sentences.
  attemptedHint(carrier: SpokenCarrier): string;
  money: {
    reserved: string;
    refunded: string;
    partlyRefunded: string;
    notRefundedYet: string;
    nothingCharged: string;
  };
  /** `chars` already spaced for speech: "4 7 1 1". */
  tracking(chars: string): string;
  /** The offer of help; null when there is no way to reach the team. */
  teamOffer(contact: Contact): string | null;
  /** To a caller who may not hear payment details: only when a transfer is possible. */
  paymentOffer(canTransfer: boolean): string | null;
  /** Appended to the first sentence of an answer served from an expired cache. */
  asOfLastUpdate(sentence: string): string;
}

/** "a", "a and b", "a, b and c". */
function joinList(items: readonly string[], and: string): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${and} ${items.at(-1)}`;
}

function total(phases: readonly PhaseCount[]): number {
  return phases.reduce((sum, p) => sum + p.count, 0);
}

/** The hint as a phrase inside a sentence: no final full stop of its own. */
export function hintPhrase(hint: string): string {
  return hint.trim().replace(/[.!?;,:\s]+$/u, '');
}

function appendBeforeStop(sentence: string, tail: string): string {
  return sentence.replace(/[.!?]?$/, `${tail}.`);
}

// ---------------------------------------------------------------- English

const withCarrier = (c: SpokenCarrier): string => (c.named ? ` with ${c.en}` : '');
const enOrder = (name: string): string => (name ? `your order ${name}` : 'your order');
const shouldArrive = (when: string | null, moving: boolean): string =>
  when ? ` and should arrive ${when}` : moving ? ' and is on its way' : '';

/** `moving`: the carrier reports it in transit, worth saying when no estimate is known. */
function enShipped(p: ParcelFacts, moving: boolean): string {
  if (p.shipped) return `${p.subject} was shipped ${p.shipped}${withCarrier(p.carrier)}${shouldArrive(p.arrives, moving)}.`;
  return `${p.subject} is on its way${withCarrier(p.carrier)}${shouldArrive(p.arrives, false)}.`;
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

/** "one of the 3 parcels of your order …" / "2 of the 3 parcels …". */
const enSomeParcels = (name: string, count: number, all: number): string =>
  `${count === 1 ? 'one' : count} of the ${all} parcels of ${enOrder(name)}`;

const en: OrderPhrases = {
  order: enOrder,
  placedOrder: (name, placed) => `${name}, placed ${placed},`,
  partParcel: (n) => `the parcel with part of ${enOrder(n)}`,
  parcel: 'the parcel',

  waiting: {
    preparing: (n) => `${enOrder(n)} is being prepared and has not been shipped yet.`,
    scheduled: (n) => `${enOrder(n)} is scheduled to be shipped at a later date.`,
    onHold: (n) => `${enOrder(n)} has not been shipped yet because something still needs to be sorted out.`,
    declined: (n) => `There is a hold-up with ${enOrder(n)}, and it has not been shipped yet.`,
    notRequired: (n) => `Nothing in ${enOrder(n)} needs to be shipped.`,
    awaitingPayment: (n) => `${enOrder(n)} has not been shipped yet because the payment has not arrived.`,
    paymentIncomplete: (n) => `${enOrder(n)} has not been shipped yet because the payment is not complete.`,
    paymentExpired: (n) => `${enOrder(n)} has not been shipped because the payment did not go through.`,
    paymentVoided: (n) => `${enOrder(n)} will not be shipped because the payment was cancelled.`,
    notShippedYet: (n) => `${enOrder(n)} has not been shipped yet.`,
    shipped: (n) => `${enOrder(n)} has been shipped.`,
    partlyShipped: (n) => `Part of ${enOrder(n)} has been shipped, and the rest will follow.`,
    unknown: (n) => `I found ${enOrder(n)}, but I can't see its current status right now.`,
  },
  unshippedLate: (n, placed) =>
    placed
      ? `${enOrder(n)} was placed ${placed} but has not been shipped yet, so it is running late.`
      : `${enOrder(n)} has not been shipped yet and is running late.`,

  parcelState: {
    label_created: (p) =>
      `${p.subject} is packed and should be handed to ${p.carrier.en} shortly.`,
    label_voided: (p) => `${p.subject} is being prepared for shipping.`,
    submitted: (p) => `${p.subject} is being prepared for shipping.`,
    confirmed: (p) => `${p.subject} is being prepared for shipping.`,
    fulfilled: (p) => enShipped(p, false),
    unknown: (p) => enShipped(p, false),
    in_transit: (p) => enShipped(p, true),
    out_for_delivery: (p) => `${p.subject} is out for delivery${withCarrier(p.carrier)} and should arrive today.`,
    attempted_delivery: (p) => `${p.carrier.en} tried to deliver ${p.subject} but could not hand it over.`,
    delayed: (p) =>
      p.arrives
        ? `${p.subject} is delayed and should now arrive ${p.arrives}.`
        : p.shipped
          ? `${p.subject} was shipped ${p.shipped}${withCarrier(p.carrier)} but is delayed.`
          : `${p.subject} is on its way${withCarrier(p.carrier)} but is delayed.`,
    failure: (p) => `Unfortunately, ${p.carrier.en} could not deliver ${p.subject}.`,
    not_delivered: (p) => `Unfortunately, ${p.carrier.en} could not deliver ${p.subject}.`,
    delivered: (p) => (p.delivered ? `${p.subject} was delivered ${p.delivered}.` : `${p.subject} has been delivered.`),
    ready_for_pickup: (p) => `${p.subject} is ready for pickup.`,
    picked_up: (p) => (p.delivered ? `${p.subject} was picked up ${p.delivered}.` : `${p.subject} has been picked up.`),
  },
  parcelProblem: {
    estimatePassed: (p) =>
      p.due ? `${p.subject} should have arrived ${p.due} and is running late.` : `${p.subject} is running late.`,
    notPickedUp: (p) =>
      `${p.subject} was packed${p.packed ? ` ${p.packed}` : ''} but has still not been handed to ${p.carrier.en}, so it is running late.`,
  },
  parcelsProblem: (n, {problem, count, total: all, carrier}) => {
    const some = enSomeParcels(n, count, all);
    const verb = count === 1 ? 'is' : 'are';
    switch (problem) {
      case 'failed':
        return `Unfortunately, ${carrier.en} could not deliver ${some}.`;
      case 'attempted':
        return `${carrier.en} tried to deliver ${some} but could not hand ${count === 1 ? 'it' : 'them'} over.`;
      case 'delayed':
        return `${some} ${verb} delayed.`;
      case 'estimatePassed':
      case 'notPickedUp':
        return `${some} ${verb} running late.`;
    }
  },

  cancelled: (n, when, travelling) => {
    const base = when ? `${enOrder(n)} was cancelled ${when}` : `${enOrder(n)} has been cancelled`;
    return travelling ? `${base}, but a parcel is still on its way${withCarrier(travelling)}.` : `${base}.`;
  },
  refunded: (n, travelling) =>
    travelling
      ? `${enOrder(n)} has been refunded in full, but a parcel is still on its way${withCarrier(travelling)}.`
      : `${enOrder(n)} has been refunded in full.`,
  restocked: (n, returned) =>
    returned ? `The items in ${enOrder(n)} have come back to us.` : `${enOrder(n)} will not be shipped.`,
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

  attemptedHint: (c) => `Please look out for a notice from ${c.en} about the next attempt or where to pick it up.`,
  money: {
    reserved: 'The amount is reserved and will only be charged later.',
    refunded: 'The payment has been refunded.',
    partlyRefunded: 'Part of the payment has been refunded.',
    notRefundedYet: 'The payment has not been refunded yet.',
    nothingCharged: 'Nothing has been charged.',
  },
  tracking: (chars) => `The tracking number ends in ${chars}.`,
  teamOffer: ({canTransfer, contactHint}) =>
    canTransfer
      ? 'If you like, I can connect you with our team.'
      : contactHint
        ? `Our team is happy to help: ${hintPhrase(contactHint)}.`
        : null,
  paymentOffer: (canTransfer) => (canTransfer ? 'For questions about the payment, I can connect you with our team.' : null),
  asOfLastUpdate: (sentence) => appendBeforeStop(sentence, ', as of the last update'),
};

// ---------------------------------------------------------------- German

const mit = (c: SpokenCarrier): string => (c.named ? ` mit ${c.de.dat}` : '');
/** "von der Deutschen Post", "von DHL", "vom Paketdienst". */
const von = (c: SpokenCarrier): string => (c.de.dat.startsWith('dem ') ? `vom ${c.de.dat.slice(4)}` : `von ${c.de.dat}`);
const voraussichtlich = (when: string | null, moving: boolean): string =>
  when ? ` und kommt voraussichtlich ${when} an` : moving ? ' und ist unterwegs' : '';

function deShipped(p: ParcelFacts, moving: boolean): string {
  if (p.shipped) return `${p.subject} wurde ${p.shipped}${mit(p.carrier)} verschickt${voraussichtlich(p.arrives, moving)}.`;
  return `${p.subject} ist${mit(p.carrier)} unterwegs${voraussichtlich(p.arrives, false)}.`;
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
/** "eines der 3 Pakete Ihrer Bestellung …" / "2 der 3 Pakete …". */
const deSomeParcels = (name: string, count: number, all: number): string =>
  `${count === 1 ? 'eines' : count} der ${all} Pakete ${ihrerBestellung(name)}`;

const de: OrderPhrases = {
  order: bestellung,
  placedOrder: (name, placed) => `${name}, die Sie ${placed} aufgegeben haben,`,
  partParcel: (n) => `das Paket mit einem Teil ${ihrerBestellung(n)}`,
  parcel: 'das Paket',

  waiting: {
    preparing: (n) => `${bestellung(n)} wird gerade vorbereitet und wurde noch nicht verschickt.`,
    scheduled: (n) => `${bestellung(n)} ist für einen späteren Versand eingeplant.`,
    onHold: (n) => `${bestellung(n)} wurde noch nicht verschickt, weil noch etwas geklärt werden muss.`,
    declined: (n) => `Bei ${ihrerBestellung(n)} gibt es eine Verzögerung, sie wurde noch nicht verschickt.`,
    notRequired: (n) => `Für ${bestellung(n)} ist kein Versand nötig.`,
    awaitingPayment: (n) =>
      `${bestellung(n)} wurde noch nicht verschickt, weil die Zahlung noch nicht eingegangen ist.`,
    paymentIncomplete: (n) =>
      `${bestellung(n)} wurde noch nicht verschickt, weil die Zahlung noch nicht vollständig ist.`,
    paymentExpired: (n) => `${bestellung(n)} wurde nicht verschickt, weil die Zahlung nicht durchgegangen ist.`,
    paymentVoided: (n) => `${bestellung(n)} wird nicht verschickt, weil die Zahlung storniert wurde.`,
    notShippedYet: (n) => `${bestellung(n)} wurde noch nicht verschickt.`,
    shipped: (n) => `${bestellung(n)} wurde verschickt.`,
    partlyShipped: (n) => `Ein Teil ${ihrerBestellung(n)} wurde bereits verschickt, der Rest folgt.`,
    unknown: (n) => `Ich habe ${bestellung(n)} gefunden, kann ihren aktuellen Stand aber gerade nicht sehen.`,
  },
  unshippedLate: (n, placed) =>
    placed
      ? `${bestellung(n)} wurde ${placed} aufgegeben, aber noch nicht verschickt und verspätet sich daher.`
      : `${bestellung(n)} wurde noch nicht verschickt und verspätet sich.`,

  parcelState: {
    label_created: (p) =>
      `${p.subject} ist versandbereit und wird voraussichtlich in Kürze an ${p.carrier.de.acc} übergeben.`,
    label_voided: (p) => `${p.subject} wird für den Versand vorbereitet.`,
    submitted: (p) => `${p.subject} wird für den Versand vorbereitet.`,
    confirmed: (p) => `${p.subject} wird für den Versand vorbereitet.`,
    fulfilled: (p) => deShipped(p, false),
    unknown: (p) => deShipped(p, false),
    in_transit: (p) => deShipped(p, true),
    out_for_delivery: (p) =>
      `${p.subject} ist${p.carrier.named ? ` bei ${p.carrier.de.dat}` : ''} in der Zustellung und kommt voraussichtlich heute an.`,
    attempted_delivery: (p) => `${p.carrier.de.nom} konnte ${p.subject} beim Zustellversuch nicht übergeben.`,
    delayed: (p) =>
      p.arrives
        ? `${p.subject} verzögert sich und kommt voraussichtlich ${p.arrives} an.`
        : p.shipped
          ? `${p.subject} wurde ${p.shipped}${mit(p.carrier)} verschickt, verzögert sich aber.`
          : `${p.subject} ist${mit(p.carrier)} unterwegs, verzögert sich aber.`,
    failure: (p) => `Leider konnte ${p.carrier.de.nom} ${p.subject} nicht zustellen.`,
    not_delivered: (p) => `Leider konnte ${p.carrier.de.nom} ${p.subject} nicht zustellen.`,
    delivered: (p) => `${p.subject} wurde${p.delivered ? ` ${p.delivered}` : ''} zugestellt.`,
    ready_for_pickup: (p) => `${p.subject} liegt zur Abholung bereit.`,
    picked_up: (p) => `${p.subject} wurde${p.delivered ? ` ${p.delivered}` : ''} abgeholt.`,
  },
  parcelProblem: {
    estimatePassed: (p) =>
      p.due ? `${p.subject} hätte ${p.due} ankommen sollen und verspätet sich.` : `${p.subject} verspätet sich.`,
    notPickedUp: (p) =>
      `${p.subject} wurde${p.packed ? ` ${p.packed}` : ''} versandfertig gemacht, aber noch immer nicht an ${p.carrier.de.acc} übergeben und verspätet sich daher.`,
  },
  parcelsProblem: (n, {problem, count, total: all, carrier}) => {
    const some = deSomeParcels(n, count, all);
    switch (problem) {
      case 'failed':
        return `Leider konnte ${carrier.de.nom} ${some} nicht zustellen.`;
      case 'attempted':
        return `${carrier.de.nom} konnte ${some} beim Zustellversuch nicht übergeben.`;
      case 'delayed':
      case 'estimatePassed':
      case 'notPickedUp':
        return `${some} ${count === 1 ? 'verspätet sich' : 'verspäten sich'}.`;
    }
  },

  cancelled: (n, when, travelling) => {
    const base = `${bestellung(n)} wurde${when ? ` ${when}` : ''} storniert`;
    return travelling ? `${base}, ein Paket ist aber noch${mit(travelling)} unterwegs.` : `${base}.`;
  },
  refunded: (n, travelling) =>
    travelling
      ? `${bestellung(n)} wurde vollständig erstattet, ein Paket ist aber noch${mit(travelling)} unterwegs.`
      : `${bestellung(n)} wurde vollständig erstattet.`,
  restocked: (n, returned) =>
    returned ? `Die Artikel ${ihrerBestellung(n)} sind wieder bei uns angekommen.` : `${bestellung(n)} wird nicht verschickt.`,
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

  attemptedHint: (c) =>
    `Bitte achten Sie auf eine Benachrichtigung ${von(c)} zum nächsten Zustellversuch oder zur Abholstelle.`,
  money: {
    reserved: 'Der Betrag ist für Sie reserviert und wird erst später abgebucht.',
    refunded: 'Die Zahlung wurde Ihnen erstattet.',
    partlyRefunded: 'Ein Teil des Betrags wurde Ihnen bereits erstattet.',
    notRefundedYet: 'Die Zahlung wurde Ihnen noch nicht erstattet.',
    nothingCharged: 'Es wurde Ihnen nichts abgebucht.',
  },
  tracking: (chars) => `Die Sendungsnummer endet auf ${chars}.`,
  teamOffer: ({canTransfer, contactHint}) =>
    canTransfer
      ? 'Wenn Sie möchten, verbinde ich Sie gern mit unserem Team.'
      : contactHint
        ? `Unser Team hilft Ihnen gern weiter: ${hintPhrase(contactHint)}.`
        : null,
  paymentOffer: (canTransfer) => (canTransfer ? 'Bei Fragen zur Zahlung verbinde ich Sie gern mit unserem Team.' : null),
  asOfLastUpdate: (sentence) => appendBeforeStop(sentence, ', so der letzte Stand'),
};

const TABLES: Record<Language, OrderPhrases> = {en, de};

export function orderPhrases(locale: Locale): OrderPhrases {
  return TABLES[languageOf(locale)];
}
