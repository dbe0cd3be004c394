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
    ]) {
      expect(names).toContain(needed);
    }
  });

  it('does not depend on the real clock', () => {
    expect(speechTable()).toBe(speechTable(SPEECH_SITUATIONS, {...TABLE_CLOCK}));
    expect(speechTable()).toContain('2026-05-13T10:00:00.000Z');
  });

  const cells = SPEECH_SITUATIONS.flatMap((s) => TABLE_LOCALES.map((locale) => [s.name, locale, s.say(locale, TABLE_CLOCK)] as const));
  it.each(cells)('%s (%s) keeps every invariant', (_name, locale, text) => {
    expect(speechProblems(text, locale)).toEqual([]);
  });
});
