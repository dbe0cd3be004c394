import type {OrderStatus} from '../orders/order-status.ts';
import {languageOf, type Language, type Locale} from './locale.ts';
import {isValidDate, speakDate} from './relative-date.ts';
import {renderOrderStatus, spellOrderNumber} from './render-order.ts';

/**
 * What Anna says when she found a caller's orders without an order number
 * (by the phone they call from, or an e-mail they said). Caller ID proves
 * little, so these sentences carry order numbers, dates and (through the
 * order renderer, unverified) shipping status only: never the caller's
 * number or address, names, items or amounts. German is formal ("Sie").
 */

export type CallerSource = 'phone' | 'email';

/** One order in a short choice: its number and when it was placed ("yesterday", "on 3 May"). */
export interface OrderChoice {
  name: string;
  placed: string | null;
}

export interface CallerLookupPhrases {
  /** Two or more: name up to three, ask which one. `total` may exceed the choices shown. */
  choose(choices: readonly OrderChoice[], total: number, source: CallerSource): string;
  /** Nothing current found: ask for the number (or the e-mail, when the phone found nothing). */
  none(source: CallerSource): string;
}

/** "a, and b" / "a; b; and c": items carry commas of their own. */
function list(items: readonly string[], and: string): string {
  if (items.length <= 1) return items.join('');
  if (items.length === 2) return `${items[0]}, ${and} ${items[1]}`;
  return `${items.slice(0, -1).join('; ')}; ${and} ${items.at(-1)}`;
}

const EN_COUNTS = ['no', 'one', 'two', 'three'];
const DE_COUNTS = ['keine', 'eine', 'zwei', 'drei'];

const en: CallerLookupPhrases = {
  choose(choices, total, source) {
    const from = source === 'phone' ? 'from this number' : 'for this email address';
    const items = list(choices.map((c) => (c.placed ? `order ${c.name}, placed ${c.placed}` : `order ${c.name}`)), 'and');
    const intro =
      total > choices.length
        ? `I see ${total} current orders ${from}, the newest being ${items}.`
        : `I see ${EN_COUNTS[total] ?? total} orders ${from}: ${items}.`;
    return `${intro} Which one do you mean?`;
  },
  none: (source) =>
    source === 'phone'
      ? "I couldn't find a current order for the number you're calling from. Could you tell me your order number, or the email address you ordered with?"
      : "I couldn't find a current order for that email address. Could you tell me your order number?",
};

const de: CallerLookupPhrases = {
  choose(choices, total, source) {
    const zu = source === 'phone' ? 'zu dieser Nummer' : 'zu dieser E-Mail-Adresse';
    const items = list(choices.map((c) => (c.placed ? `Bestellung ${c.name}, ${c.placed} aufgegeben` : `Bestellung ${c.name}`)), 'und');
    const intro =
      total > choices.length
        ? `Ich sehe ${total} aktuelle Bestellungen ${zu}, die neuesten sind ${items}.`
        : `Ich sehe ${DE_COUNTS[total] ?? total} Bestellungen ${zu}: ${items}.`;
    return `${intro} Welche meinen Sie?`;
  },
  none: (source) =>
    source === 'phone'
      ? 'Ich konnte zu der Nummer, von der Sie anrufen, keine aktuelle Bestellung finden. Können Sie mir Ihre Bestellnummer nennen, oder die E-Mail-Adresse, mit der Sie bestellt haben?'
      : 'Ich konnte zu dieser E-Mail-Adresse keine aktuelle Bestellung finden. Können Sie mir Ihre Bestellnummer nennen?',
};

const TABLES: Record<Language, CallerLookupPhrases> = {en, de};

export function callerLookupPhrases(locale: Locale): CallerLookupPhrases {
  return TABLES[languageOf(locale)];
}

/** At most this many orders are named in a choice. */
export const MAX_CHOICES = 3;

export interface CallerOrdersSpeech {
  locale: Locale;
  timeZone: string;
  now: Date;
  source: CallerSource;
  canTransfer: boolean;
  /** The merchant's contact, offered where a problem needs the team and nobody can take the call. */
  contactHint?: string | null;
  /** Served from an expired cache (Shopify unreachable): said so. */
  stale?: boolean;
}

/**
 * The caller's current orders (newest first, already filtered) in words:
 * none → ask for the number; one → its status as a number lookup says
 * it, unverified, naming the order once with when it was placed ("your
 * order 1 0 0 1, placed on 3 May, was shipped …"); more → a short choice.
 * At most two sentences, as every answer.
 */
export function sayCallerOrders(orders: readonly OrderStatus[], opts: CallerOrdersSpeech): string {
  const words = callerLookupPhrases(opts.locale);
  const placed = (order: OrderStatus) =>
    isValidDate(order.createdAt) && isValidDate(opts.now) ? speakDate(order.createdAt > opts.now ? opts.now : order.createdAt, opts) : null;
  const [only] = orders;
  if (!only) return words.none(opts.source);
  if (orders.length === 1) {
    return renderOrderStatus(only, {
      locale: opts.locale, timeZone: opts.timeZone, now: opts.now, spokenName: only.name, placed: placed(only), verified: false,
      canTransfer: opts.canTransfer, contactHint: opts.contactHint ?? null, stale: opts.stale ?? false,
    });
  }
  const choices = orders.slice(0, MAX_CHOICES).map((o) => ({name: spellOrderNumber(o.name), placed: placed(o)}));
  return words.choose(choices, orders.length, opts.source);
}
