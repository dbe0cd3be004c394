import type {OrderStatus, Shipment} from '../../src/orders/order-status.ts';
import type {Locale} from '../../src/speech/locale.ts';
import {languageOf} from '../../src/speech/locale.ts';

/** Builders and checks shared by the speech tests. */

export const DAY = 86_400_000;

/** Wednesday 13 May 2026, 12:00 in Vienna (CEST). */
export const NOW = new Date('2026-05-13T10:00:00Z');
export const VIENNA = 'Europe/Vienna';

/** A day offset from NOW, at the same wall time in Vienna (no DST change in May). */
export const daysFromNow = (days: number): Date => new Date(NOW.getTime() + days * DAY);

export function order(overrides: Partial<OrderStatus> = {}): OrderStatus {
  return {
    name: 'ORD-12345',
    createdAt: daysFromNow(-3),
    cancelledAt: null,
    fulfillment: 'fulfilled',
    payment: 'paid',
    totalQuantity: 3,
    shipments: [],
    phone: '+43660123456789',
    ...overrides,
  };
}

/** A parcel in transit with DHL; the carrier got it when it was shipped unless `inTransitAt` says otherwise. */
export function parcel(overrides: Partial<Shipment> = {}): Shipment {
  const shippedAt = overrides.shippedAt ?? daysFromNow(-1);
  return {
    state: 'in_transit',
    shippedAt,
    inTransitAt: shippedAt,
    estimatedDeliveryAt: daysFromNow(1),
    deliveredAt: null,
    carrier: 'DHL',
    quantity: 3,
    trackingLast4: '4711',
    ...overrides,
  };
}

const MONTHS_DE = 'Jänner|Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember';
const ORDINAL_DATE = new RegExp(`(\\d{1,2})\\. (?=(?:${MONTHS_DE})\\b)`, 'g');

/** Sentences in a text; the dot of a German date ("am 12. Mai") does not end one. */
export function countSentences(text: string): number {
  return text.replace(ORDINAL_DATE, '$1 ').match(/[.!?](?=\s|$)/g)?.length ?? 0;
}

/**
 * Everything that must hold for any text Anna speaks; returns the broken
 * rules (empty when fine) so a loop over many cases can report them all.
 */
export function speechProblems(text: string, locale: Locale): string[] {
  const problems: string[] = [];
  const rule = (broken: boolean, what: string): void => {
    if (broken) problems.push(`${what}: ${JSON.stringify(text)}`);
  };
  const sentences = countSentences(text);
  rule(sentences < 1 || sentences > 2, `${sentences} sentences`);
  rule(/\b(undefined|null|NaN|Invalid|object)\b/i.test(text), 'leaked a JS value');
  // "8:30 am" is how English speaks a time; "08:30" or "14:00" is a machine's.
  const spokenTimes = languageOf(locale) === 'en' ? text.replace(/\b(1[0-2]|[1-9]):[0-5]\d [ap]m\b/g, '') : text;
  rule(/\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}|T\d{2}:/.test(spokenTimes), 'ISO date or clock time');
  rule(/\b[A-Z]{2,}_[A-Z_]+\b|\b[a-z]+_[a-z_]+\b/.test(text), 'enum name');
  rule(!/^[A-ZÄÖÜ0-9]/.test(text), 'does not start with a capital or a number');
  rule(!/[.?!]$/.test(text), 'does not end a sentence');
  rule(/\s{2,}|\s[.,;:!?]|,,|\.\./.test(text), 'broken spacing or punctuation');
  rule(/\+\d{6,}/.test(text), 'speaks a phone number');
  if (languageOf(locale) === 'de') {
    rule(!/\b(Sie|Ihre|Ihrer|Ihnen)\b/.test(text), 'German without "Sie"/"Ihre"');
    rule(/\b(du|dein\w*|dich|dir|euch|euer)\b/i.test(text), 'German informal');
    rule(/\b(the|was|has|your|and|with)\b/.test(text), 'English word in German');
  } else {
    rule(/\b(Ihre|Sie|wurde|und|mit|Bestellung)\b/.test(text), 'German in English');
  }
  return problems;
}
