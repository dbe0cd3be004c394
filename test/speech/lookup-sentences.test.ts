import {describe, expect, it} from 'vitest';
import {LOCALES, type Locale} from '../../src/speech/locale.ts';
import {orderPhrases} from '../../src/speech/order-phrases.ts';
import {fixedPhrases} from '../../src/speech/phrases.ts';
import {sayNoOrderNumber, sayNotFound, sayReconnectNeeded, sayStillChecking, sayUnavailable} from '../../src/speech/render-order.ts';
import {speechProblems} from './speech-fixtures.ts';

describe('sayNotFound', () => {
  it.each<[Locale, string, boolean, string]>([
    ['en', 'ORD-12345', false, "I couldn't find an order with the number O R D 1 2 3 4 5. Please check the number and tell me again."],
    ['en', 'ORD-12345', true, "I couldn't find an order with the number O R D 1 2 3 4 5. Please check the number and tell me again, or I can connect you with our team."],
    ['en', '#1001', false, "I couldn't find an order with the number 1 0 0 1. Please check the number and tell me again."],
    ['en', '', false, "I couldn't find that order. Please check the number and tell me again."],
    ['de-AT', 'ORD-12345', false, 'Ich konnte keine Bestellung mit der Nummer O R D 1 2 3 4 5 finden. Bitte prüfen Sie die Nummer und nennen Sie sie mir noch einmal.'],
    ['de', '1001', true, 'Ich konnte keine Bestellung mit der Nummer 1 0 0 1 finden. Bitte prüfen Sie die Nummer und nennen Sie sie mir noch einmal, oder ich verbinde Sie mit unserem Team.'],
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
    ['en', false, "I'm still waiting for our order system. Please give me a moment and then ask me again."],
    ['en', true, "I'm still waiting for our order system. Let me transfer you to our team."],
    ['de', false, 'Ich warte noch auf eine Antwort unseres Bestellsystems. Bitte fragen Sie mich in einem Moment noch einmal.'],
    ['de-AT', true, 'Ich warte noch auf eine Antwort unseres Bestellsystems. Ich verbinde Sie mit unserem Team.'],
  ])('%s canTransfer=%s', (locale, canTransfer, expected) => {
    expect(sayStillChecking(locale, {canTransfer})).toBe(expected);
  });
});

describe('sayUnavailable', () => {
  it.each<[Locale, boolean, string]>([
    ['en', false, "I'm sorry, I can't reach our order system right now. Please try again in a few minutes."],
    ['en', true, "I'm sorry, I can't reach our order system right now. Let me transfer you to our team."],
    ['de', false, 'Es tut mir leid, ich kann unser Bestellsystem gerade nicht erreichen. Bitte versuchen Sie es in ein paar Minuten noch einmal.'],
    ['de-CH', true, 'Es tut mir leid, ich kann unser Bestellsystem gerade nicht erreichen. Ich verbinde Sie mit unserem Team.'],
  ])('%s canTransfer=%s', (locale, canTransfer, expected) => {
    expect(sayUnavailable(locale, {canTransfer})).toBe(expected);
  });
});

describe('issue 10, false advice: older orders and a lost connection', () => {
  it.each<[Locale, boolean, string | null, string]>([
    ['en', true, null, "I couldn't find an order with the number 1 0 0 1, but I can only see orders from the last 60 days. For an older order, I can connect you with our team, or please check the number and tell me again."],
    ['en', false, 'hello@shop.at.', "I couldn't find an order with the number 1 0 0 1, but I can only see orders from the last 60 days. For an older order, our team is happy to help: hello@shop.at."],
    ['en', false, null, "I couldn't find an order with the number 1 0 0 1, but I can only see orders from the last 60 days. If your order is more recent, please check the number and tell me again."],
    ['de-AT', true, null, 'Ich konnte die Bestellung 1 0 0 1 nicht finden, ich sehe hier aber nur Bestellungen der letzten 60 Tage. Bei einer älteren Bestellung verbinde ich Sie gern mit unserem Team, sonst prüfen Sie bitte die Nummer und nennen Sie sie mir noch einmal.'],
    ['de-DE', false, 'hallo@shop.de', 'Ich konnte die Bestellung 1 0 0 1 nicht finden, ich sehe hier aber nur Bestellungen der letzten 60 Tage. Bei einer älteren Bestellung hilft Ihnen unser Team gern weiter: hallo@shop.de.'],
  ])('not found without read_all_orders: %s canTransfer=%s hint=%j says older orders cannot be looked up here', (locale, canTransfer, contactHint, expected) => {
    expect(sayNotFound(locale, {spokenName: '#1001', canTransfer, contactHint, olderHidden: true})).toBe(expected);
  });

  it.each<[Locale, boolean, string | null, string]>([
    ['en', true, null, "I'm sorry, I can't look up your order right now. Let me transfer you to our team."],
    ['en-US', false, 'hello@shop.at', "I'm sorry, I can't look up your order right now. Our team is happy to help: hello@shop.at."],
    ['en', false, null, "I'm sorry, I can't look up your order right now."],
    ['de-CH', false, null, 'Es tut mir leid, ich kann Ihre Bestellung gerade nicht abrufen.'],
  ])('reconnect needed: %s canTransfer=%s hint=%j, never "try again later"', (locale, canTransfer, contactHint, expected) => {
    const text = sayReconnectNeeded(locale, {canTransfer, contactHint});
    expect(text).toBe(expected);
    expect(text).not.toMatch(/again|later|später|noch einmal/i);
  });

  it('unavailable without a phone offers the merchant\'s contact instead of an e-mail that may not exist', () => {
    expect(sayUnavailable('de-AT', {canTransfer: false, contactHint: 'Montag bis Freitag 9 bis 17 Uhr unter 0662 275124'})).toBe(
      'Es tut mir leid, ich kann unser Bestellsystem gerade nicht erreichen. Unser Team hilft Ihnen gern weiter: Montag bis Freitag 9 bis 17 Uhr unter 0662 275124.',
    );
    for (const locale of LOCALES) expect(sayUnavailable(locale, {canTransfer: false})).not.toMatch(/e-?mail/i);
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
      [locale, 'unavailable with a hint', sayUnavailable(locale, {canTransfer, contactHint: 'hello@shop.at'})],
      [locale, 'reconnect', sayReconnectNeeded(locale, {canTransfer})],
      [locale, 'notFound, older orders hidden', sayNotFound(locale, {spokenName: 'ORD-12345', canTransfer, olderHidden: true})],
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

it('English and German fixed sentences have the same keys', () => {
  expect(keyPaths(fixedPhrases('de')).sort()).toEqual(keyPaths(fixedPhrases('en')).sort());
});

it('every German locale uses the German table', () => {
  for (const locale of ['de', 'de-AT', 'de-DE', 'de-CH'] as const) {
    expect(orderPhrases(locale)).toBe(orderPhrases('de'));
  }
  expect(orderPhrases('en')).not.toBe(orderPhrases('de'));
});
