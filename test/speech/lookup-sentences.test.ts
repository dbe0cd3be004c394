import {describe, expect, it} from 'vitest';
import {LOCALES, type Locale} from '../../src/speech/locale.ts';
import {orderPhrases} from '../../src/speech/order-phrases.ts';
import {sayNoOrderNumber, sayNotFound, sayStillChecking, sayUnavailable} from '../../src/speech/render-order.ts';
import {speechProblems} from './speech-fixtures.ts';

describe('sayNotFound', () => {
  it.each<[Locale, string, boolean, string]>([
    ['en', 'ORD-12345', false, "I couldn't find an order with the number ORD-12345. Please check the number and tell me again."],
    ['en', 'ORD-12345', true, "I couldn't find an order with the number ORD-12345. Please check the number and tell me again, or I can connect you with our team."],
    ['en', '#1001', false, "I couldn't find an order with the number 1001. Please check the number and tell me again."],
    ['en', '', false, "I couldn't find that order. Please check the number and tell me again."],
    ['de-AT', 'ORD-12345', false, 'Ich konnte keine Bestellung mit der Nummer ORD-12345 finden. Bitte prüfen Sie die Nummer und nennen Sie sie mir noch einmal.'],
    ['de', '1001', true, 'Ich konnte keine Bestellung mit der Nummer 1001 finden. Bitte prüfen Sie die Nummer und nennen Sie sie mir noch einmal, oder ich verbinde Sie mit unserem Team.'],
    ['de-CH', '', false, 'Ich konnte diese Bestellung nicht finden. Bitte prüfen Sie die Nummer und nennen Sie sie mir noch einmal.'],
  ])('%s %j canTransfer=%s', (locale, spokenName, canTransfer, expected) => {
    expect(sayNotFound(locale, {spokenName, canTransfer})).toBe(expected);
  });
});

describe('sayNoOrderNumber', () => {
  it.each<[Locale, string]>([
    ['en', 'Could you please tell me your order number? You can find it in your order confirmation email.'],
    ['de-DE', 'Könnten Sie mir bitte Ihre Bestellnummer nennen? Sie finden sie in Ihrer Bestellbestätigung per E-Mail.'],
  ])('%s', (locale, expected) => {
    expect(sayNoOrderNumber(locale)).toBe(expected);
  });
});

describe('sayStillChecking', () => {
  it.each<[Locale, boolean, string]>([
    ['en', false, "I'm still waiting for the shop's system. Please give me a moment and then ask me again."],
    ['en', true, "I'm still waiting for the shop's system. Let me transfer you to our team."],
    ['de', false, 'Ich warte noch auf eine Antwort vom System des Shops. Bitte fragen Sie mich in einem Moment noch einmal.'],
    ['de-AT', true, 'Ich warte noch auf eine Antwort vom System des Shops. Ich verbinde Sie mit unserem Team.'],
  ])('%s canTransfer=%s', (locale, canTransfer, expected) => {
    expect(sayStillChecking(locale, {canTransfer})).toBe(expected);
  });
});

describe('sayUnavailable', () => {
  it.each<[Locale, boolean, string]>([
    ['en', false, "I'm sorry, I can't reach the shop's order system right now. Please try again later or contact the store by email."],
    ['en', true, "I'm sorry, I can't reach the shop's order system right now. Let me transfer you to our team."],
    ['de', false, 'Es tut mir leid, ich kann das Bestellsystem des Shops gerade nicht erreichen. Bitte versuchen Sie es später noch einmal oder schreiben Sie dem Shop eine E-Mail.'],
    ['de-CH', true, 'Es tut mir leid, ich kann das Bestellsystem des Shops gerade nicht erreichen. Ich verbinde Sie mit unserem Team.'],
  ])('%s canTransfer=%s', (locale, canTransfer, expected) => {
    expect(sayUnavailable(locale, {canTransfer})).toBe(expected);
  });
});

describe('every lookup sentence in every locale', () => {
  const cases = LOCALES.flatMap((locale) =>
    [false, true].flatMap((canTransfer) => [
      [locale, 'notFound', sayNotFound(locale, {spokenName: 'ORD-12345', canTransfer})],
      [locale, 'notFound without a number', sayNotFound(locale, {spokenName: '', canTransfer})],
      [locale, 'noOrderNumber', sayNoOrderNumber(locale)],
      [locale, 'stillChecking', sayStillChecking(locale, {canTransfer})],
      [locale, 'unavailable', sayUnavailable(locale, {canTransfer})],
    ] as const),
  );
  it.each(cases)('%s %s is speakable', (locale, _what, text) => {
    expect(speechProblems(text, locale)).toEqual([]);
  });
});

/** Both tables must offer the same phrases, including nested per-state tables. */
function keyPaths(value: object, prefix = ''): string[] {
  return Object.entries(value).flatMap(([key, v]) =>
    typeof v === 'object' && v !== null ? keyPaths(v, `${prefix}${key}.`) : [`${prefix}${key}:${typeof v}`],
  );
}

it('English and German phrase tables have the same keys, and each is a string or a function', () => {
  const english = keyPaths(orderPhrases('en')).sort();
  const german = keyPaths(orderPhrases('de')).sort();
  expect(german).toEqual(english);
  expect(english.every((k) => /:(string|function)$/.test(k))).toBe(true);
  expect(english).toContain('parcelState.in_transit:function');
  expect(english).toContain('waiting.onHold:function');
});

it('every German locale uses the German table', () => {
  for (const locale of ['de', 'de-AT', 'de-DE', 'de-CH'] as const) {
    expect(orderPhrases(locale)).toBe(orderPhrases('de'));
  }
  expect(orderPhrases('en')).not.toBe(orderPhrases('de'));
});
