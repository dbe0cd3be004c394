import {describe, expect, it} from 'vitest';
import {sayAfterHoursTransfer, sayClosedNow, sayLeadThenTeamBack, sayTeamBack} from '../../src/speech/hours-phrases.ts';
import type {Locale} from '../../src/speech/locale.ts';

const VIENNA = 'Europe/Vienna';
/** Monday 2026-05-18, 10:00 in Vienna. */
const NOW = new Date('2026-05-18T08:00:00Z');

describe('when the team is back', () => {
  it.each([
    ['en', '2026-05-18T12:00:00Z', 'Our team is back today from 2 pm.'],
    ['en', '2026-05-19T07:30:00Z', 'Our team is back tomorrow from 9:30 am.'],
    ['en', '2026-05-22T10:00:00Z', 'Our team is back on Friday from noon.'],
    ['en', '2026-05-19T22:00:00Z', 'Our team is back the day after tomorrow from midnight.'],
    ['en', '2026-06-01T07:00:00Z', 'Our team is back on 1 June from 9 am.'],
    ['de', '2026-05-19T07:00:00Z', 'Unser Team ist morgen ab 9 Uhr wieder für Sie da.'],
    ['de', '2026-05-20T06:15:00Z', 'Unser Team ist übermorgen ab 8 Uhr 15 wieder für Sie da.'],
    ['de', '2026-05-22T12:00:00Z', 'Unser Team ist am Freitag ab 14 Uhr wieder für Sie da.'],
    ['de-AT', '2027-01-07T08:00:00Z', 'Unser Team ist am 7. Jänner 2027 ab 9 Uhr wieder für Sie da.'],
    ['de-DE', '2027-01-07T08:00:00Z', 'Unser Team ist am 7. Januar 2027 ab 9 Uhr wieder für Sie da.'],
  ] as const)('%s, opening at %s', (locale, next, sentence) => {
    expect(sayTeamBack(locale as Locale, {next: new Date(next), timeZone: VIENNA, now: NOW})).toBe(sentence);
  });

  it('reads the clock in the shop\'s zone, not the server\'s', () => {
    const ny = {next: new Date('2026-05-18T13:00:00Z'), timeZone: 'America/New_York', now: new Date('2026-05-18T05:00:00Z')};
    expect(sayTeamBack('en', ny)).toBe('Our team is back today from 9 am.');
  });

  it('adds the shop\'s contact hint as given, once, in both languages, in "our" voice and at most two sentences', () => {
    const when = {next: new Date('2026-05-19T07:00:00Z'), timeZone: VIENNA, now: NOW};
    expect(sayTeamBack('en', when, 'hello@shop.at')).toBe('Our team is back tomorrow from 9 am, and you can also reach us here: hello@shop.at.');
    expect(sayClosedNow('de', when, 'Montag bis Freitag 9 bis 17 Uhr unter 0662 275124.')).toBe(
      'Es tut mir leid, ich kann Sie gerade nicht verbinden. Unser Team ist morgen ab 9 Uhr wieder für Sie da, und Sie erreichen uns auch so: Montag bis Freitag 9 bis 17 Uhr unter 0662 275124.',
    );
    expect(sayLeadThenTeamBack('en', 'stillChecking', when, 'hello@shop.at')).toBe(
      "I'm still waiting for our order system, so please ask me again in a moment. Our team is back tomorrow from 9 am, and you can also reach us here: hello@shop.at.",
    );
    expect(sayTeamBack('en', when, '   ')).toBe('Our team is back tomorrow from 9 am.');
    expect(sayTeamBack('de', {...when, next: null}, 'hello@shop.at')).toBe('Unser Team ist telefonisch gerade nicht erreichbar, Sie erreichen uns aber so: hello@shop.at.');
    expect(sayTeamBack('en', {...when, next: null}, 'hello@shop.at')).toBe("Our team can't take calls at the moment, but you can reach us here: hello@shop.at.");
  });

  it('speaks of "our order system" before a transfer to the after-hours line, as the answers of the open shop do', () => {
    expect(sayAfterHoursTransfer('en', 'stillChecking')).toBe(
      "I'm still waiting for our order system. We're closed right now, so I'll put you through to our after-hours line.",
    );
    expect(sayAfterHoursTransfer('de', 'unavailable')).toBe(
      'Es tut mir leid, ich kann unser Bestellsystem gerade nicht erreichen. Wir haben gerade geschlossen, deshalb verbinde ich Sie mit unserer Nummer für Anrufe außerhalb der Öffnungszeiten.',
    );
    for (const locale of ['en', 'de'] as const) {
      for (const lead of ['stillChecking', 'unavailable', 'reconnect', 'apology'] as const) {
        expect(sayAfterHoursTransfer(locale, lead)).not.toMatch(/shop's|des Shops|den Shop|the store/);
      }
    }
  });

  it('every sentence exists in both languages and German stays formal', () => {
    const when = {next: new Date('2026-05-19T07:00:00Z'), timeZone: VIENNA, now: NOW};
    for (const lead of ['stillChecking', 'unavailable', 'reconnect', 'apology'] as const) {
      const en = [sayAfterHoursTransfer('en', lead), sayLeadThenTeamBack('en', lead, when)];
      const de = [sayAfterHoursTransfer('de', lead), sayLeadThenTeamBack('de', lead, when)];
      for (const [e, d] of en.map((s, i) => [s, de[i]!])) {
        expect(e).not.toBe(d);
        expect(d).not.toMatch(/\b(du|dich|dir|dein)\b/i);
      }
    }
  });
});
