import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {SPEECH_SITUATIONS, speechTable, TABLE_CLOCK, TABLE_LOCALES} from '../../src/speech/speech-catalogue.ts';
import {speechProblems} from './speech-fixtures.ts';

/**
 * Issue 10, the speech table: docs/speech.md lists every situation × every
 * locale, generated from src/speech/speech-catalogue.ts at a pinned clock.
 */
describe('the speech table (docs/speech.md)', () => {
  it('is current: run `npm run speech-table` after changing any wording', () => {
    const file = readFileSync(new URL('../../docs/speech.md', import.meta.url), 'utf8');
    // A plain equality would print 1000 lines; name the first differing line instead.
    const expected = speechTable().split('\n');
    const actual = file.split('\n');
    const first = expected.findIndex((line, i) => line !== actual[i]);
    expect(first === -1 ? null : {line: first + 1, expected: expected[first], actual: actual[first]}).toBeNull();
    expect(actual.length).toBe(expected.length);
  });

  it('covers en, en-US, de-DE, de-AT and de-CH, and every fixed sentence', () => {
    expect(TABLE_LOCALES).toEqual(['en', 'en-US', 'de-DE', 'de-AT', 'de-CH']);
    const names = SPEECH_SITUATIONS.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    for (const needed of [
      'no order number', 'not found, transfer possible', 'not found, no transfer', 'budget exceeded, transfer possible',
      'budget exceeded, no transfer', 'Shopify unavailable, transfer possible', 'Shopify unavailable, no way to reach the team',
      'escalation, store phone set', 'escalation, no store phone, no contact hint', 'shop must reconnect the app, transfer possible',
      'not found, older orders hidden, no way to reach the team',
      // Business hours (issue 12)
      'escalation, closed, after-hours number set', 'budget exceeded, closed, after-hours number set',
      'Shopify unavailable, closed, after-hours number set', 'something broke in our service, closed, after-hours number set',
      'escalation, closed, back tomorrow at 9 am', 'escalation, closed, back on a weekday (Monday) at noon',
      'escalation, closed, back tomorrow, contact hint', 'escalation, closed, the schedule never opens',
      'escalation, closed, the schedule never opens, contact hint', 'budget exceeded, closed, back tomorrow, contact hint',
      'Shopify unavailable, closed, back tomorrow', 'something broke in our service, closed, back tomorrow',
      // Caller ID (issue 11)
      'one order found by phone, on its way', 'one order found by e-mail, on its way', 'two orders by phone', 'two orders by e-mail',
      'three orders by phone', 'more than three orders by phone (the three newest named)', 'no current order by phone',
      'no current order by e-mail',
    ]) {
      expect(names).toContain(needed);
    }
  });

  it('does not depend on the real clock', () => {
    expect(speechTable()).toBe(speechTable(SPEECH_SITUATIONS, {...TABLE_CLOCK}));
    expect(speechTable()).toContain('2026-05-13T10:00:00.000Z');
  });

  it('names a caller-ID order once, with when it was placed, in the first sentence', () => {
    const one = SPEECH_SITUATIONS.filter((s) => s.name.startsWith('one order'));
    expect(one.length).toBeGreaterThan(5);
    for (const situation of one) {
      for (const locale of TABLE_LOCALES) {
        const text = situation.say(locale, TABLE_CLOCK);
        expect(text.match(/1 0 0 1/g), text).toHaveLength(1);
        expect(text.split(/(?<=[.?!]) /)[0], text).toMatch(/1 0 0 1, (placed |die Sie )/);
      }
    }
  });

  const cells = SPEECH_SITUATIONS.flatMap((s) => TABLE_LOCALES.map((locale) => [s.name, locale, s.say(locale, TABLE_CLOCK)] as const));
  it.each(cells)('%s (%s) keeps every invariant', (_name, locale, text) => {
    expect(speechProblems(text, locale)).toEqual([]);
  });
});
