import {describe, expect, it} from 'vitest';
import {LOCALES, type Locale} from '../../src/speech/locale.ts';
import {daysFromToday, isTimeZone, speakDate, YEAR_AFTER_DAYS} from '../../src/speech/relative-date.ts';
import {daysFromNow, NOW, VIENNA} from './speech-fixtures.ts';

const at = (iso: string): Date => new Date(iso);

describe('speakDate relative to Wednesday 13 May 2026, 12:00 in Vienna', () => {
  // [case, date, English, German]
  it.each<[string, Date, string, string]>([
    ['today', daysFromNow(0), 'today', 'heute'],
    ['tomorrow', daysFromNow(1), 'tomorrow', 'morgen'],
    ['yesterday', daysFromNow(-1), 'yesterday', 'gestern'],
    ['day after tomorrow', daysFromNow(2), 'the day after tomorrow', 'übermorgen'],
    ['day before yesterday', daysFromNow(-2), 'the day before yesterday', 'vorgestern'],
    ['+3 days: coming weekday', daysFromNow(3), 'on Saturday', 'am Samstag'],
    ['+6 days: last weekday named', daysFromNow(6), 'on Tuesday', 'am Dienstag'],
    ['+7 days: the same weekday is a date', daysFromNow(7), 'on 20 May', 'am 20. Mai'],
    ['-3 days, previous week', daysFromNow(-3), 'last Sunday', 'letzten Sonntag'],
    ['-6 days, previous week', daysFromNow(-6), 'last Thursday', 'letzten Donnerstag'],
    ['-7 days: a date', daysFromNow(-7), 'on 6 May', 'am 6. Mai'],
    ['later this year', at('2026-08-01T10:00:00Z'), 'on 1 August', 'am 1. August'],
    ['earlier this year, January', at('2026-01-20T10:00:00Z'), 'on 20 January', 'am 20. Januar'],
    ['another year', at('2025-12-24T10:00:00Z'), 'on 24 December 2025', 'am 24. Dezember 2025'],
    ['next year', at('2027-03-02T10:00:00Z'), 'on 2 March 2027', 'am 2. März 2027'],
    ['00:00 local is already today', at('2026-05-12T22:00:00Z'), 'today', 'heute'],
    ['23:59 local the evening before', at('2026-05-12T21:59:00Z'), 'yesterday', 'gestern'],
    ['23:59 local tonight is today', at('2026-05-13T21:59:00Z'), 'today', 'heute'],
    ['00:00 local next night is tomorrow', at('2026-05-13T22:00:00Z'), 'tomorrow', 'morgen'],
  ])('%s', (_case, date, english, german) => {
    expect(speakDate(date, {locale: 'en', timeZone: VIENNA, now: NOW})).toBe(english);
    expect(speakDate(date, {locale: 'de-DE', timeZone: VIENNA, now: NOW})).toBe(german);
  });
});

describe('a past weekday in the current week (weeks start on Monday)', () => {
  const saturday = at('2026-05-16T10:00:00Z');
  it.each<[string, Date, string, string]>([
    ['Monday of this week', at('2026-05-11T10:00:00Z'), 'on Monday', 'am Montag'],
    ['Wednesday of this week', at('2026-05-13T10:00:00Z'), 'on Wednesday', 'am Mittwoch'],
    ['Sunday of last week', at('2026-05-10T10:00:00Z'), 'last Sunday', 'letzten Sonntag'],
  ])('%s, seen from Saturday', (_case, date, english, german) => {
    expect(speakDate(date, {locale: 'en', timeZone: VIENNA, now: saturday})).toBe(english);
    expect(speakDate(date, {locale: 'de', timeZone: VIENNA, now: saturday})).toBe(german);
  });
});

describe('issue 10, dates: US style for en-US, the weekday within a week', () => {
  it.each<[string, Date, string]>([
    ['a date this year', daysFromNow(20), 'on June 2'],
    ['a date last year, months ago', at('2025-12-22T10:00:00Z'), 'on December 22, 2025'],
    ['within the week: the weekday', daysFromNow(4), 'on Sunday'],
    ['last week: the weekday', daysFromNow(-4), 'last Saturday'],
    ['tomorrow', daysFromNow(1), 'tomorrow'],
  ])('%s', (_case, date, expected) => {
    expect(speakDate(date, {locale: 'en-US', timeZone: VIENNA, now: NOW})).toBe(expected);
  });

  it('British English keeps day before month', () => {
    expect(speakDate(daysFromNow(20), {locale: 'en', timeZone: VIENNA, now: NOW})).toBe('on 2 June');
  });
});

describe('January by region', () => {
  const january = at('2026-01-20T10:00:00Z');
  it.each<[Locale, string]>([
    ['en', 'on 20 January'],
    ['de', 'am 20. Januar'],
    ['de-DE', 'am 20. Januar'],
    ['de-CH', 'am 20. Januar'],
    ['de-AT', 'am 20. Jänner'],
  ])('%s says %s', (locale, expected) => {
    expect(speakDate(january, {locale, timeZone: VIENNA, now: NOW})).toBe(expected);
  });

  it('Austrians hear "Jänner" with the year too, and no other month changes', () => {
    const opts = {locale: 'de-AT' as const, timeZone: VIENNA, now: NOW};
    expect(speakDate(at('2027-01-05T10:00:00Z'), opts)).toBe('am 5. Jänner 2027');
    expect(speakDate(at('2026-02-05T10:00:00Z'), opts)).toBe('am 5. Februar');
  });
});

describe('across the new year', () => {
  it.each<[string, string, string, string]>([
    ['New Year’s Eve → 1 January', '2026-12-31T10:00:00Z', '2027-01-01T10:00:00Z', 'tomorrow'],
    ['1 January → New Year’s Eve', '2027-01-01T10:00:00Z', '2026-12-31T10:00:00Z', 'yesterday'],
    ['weekday across the year end', '2026-12-30T10:00:00Z', '2027-01-02T10:00:00Z', 'on Saturday'],
    ['issue 10: a date early next year, days away, needs no year', '2026-12-30T10:00:00Z', '2027-01-08T10:00:00Z', 'on 8 January'],
    ['issue 10: a date last December, a week ago, needs no year', '2027-01-05T10:00:00Z', '2026-12-22T10:00:00Z', 'on 22 December'],
    ['issue 10: another year and months away: the year', '2027-05-05T10:00:00Z', '2026-12-22T10:00:00Z', 'on 22 December 2026'],
  ])('%s', (_case, now, date, expected) => {
    expect(speakDate(at(date), {locale: 'en', timeZone: VIENNA, now: at(now)})).toBe(expected);
  });
});

describe('calendar days in the zone, not 24-hour spans (DST)', () => {
  // [case, zone, now, date, expected]; each pair is 23 or 24 hours apart.
  it.each<[string, string, string, string, string]>([
    // Vienna springs forward on 29 March 2026: that day has 23 hours.
    ['Vienna spring: 23 h earlier is yesterday', VIENNA, '2026-03-29T22:30:00Z', '2026-03-28T23:30:00Z', 'yesterday'],
    ['Vienna spring: 21 h later is still today', VIENNA, '2026-03-28T23:30:00Z', '2026-03-29T21:30:00Z', 'today'],
    // Vienna falls back on 25 October 2026: that day has 25 hours.
    ['Vienna autumn: 24 h earlier is still today', VIENNA, '2026-10-25T22:30:00Z', '2026-10-24T22:30:00Z', 'today'],
    ['Vienna autumn: 24 h later is still today', VIENNA, '2026-10-24T22:30:00Z', '2026-10-25T22:30:00Z', 'today'],
    ['New York spring: 23 h earlier is yesterday', 'America/New_York', '2026-03-09T04:30:00Z', '2026-03-08T05:30:00Z', 'yesterday'],
    ['New York autumn: 24 h earlier is still today', 'America/New_York', '2026-11-02T04:30:00Z', '2026-11-01T04:30:00Z', 'today'],
    ['New York autumn: 25 h later is tomorrow', 'America/New_York', '2026-11-01T04:00:00Z', '2026-11-02T05:00:00Z', 'tomorrow'],
  ])('%s', (_case, timeZone, now, date, expected) => {
    expect(speakDate(at(date), {locale: 'en', timeZone, now: at(now)})).toBe(expected);
  });
});

describe('the same instants in different zones', () => {
  // 23:30 on 12 May in New York is already 05:30 on 13 May in Vienna.
  const now = at('2026-05-13T03:30:00Z');
  const date = at('2026-05-13T04:30:00Z');
  it.each<[string, string]>([
    ['America/New_York', 'tomorrow'],
    [VIENNA, 'today'],
  ])('%s → %s', (timeZone, expected) => {
    expect(speakDate(date, {locale: 'en', timeZone, now})).toBe(expected);
  });

  // Kiritimati (UTC+14) and Pago Pago (UTC−11) straddle the date line: 25 hours apart.
  it.each<[string, string, string, string]>([
    ['Pacific/Kiritimati', '2026-05-10T10:00:00Z', '2026-05-10T12:00:00Z', 'today'],
    ['Pacific/Pago_Pago', '2026-05-10T10:00:00Z', '2026-05-10T12:00:00Z', 'tomorrow'],
    ['Pacific/Kiritimati', '2026-05-10T11:30:00Z', '2026-05-10T10:00:00Z', 'today'],
    ['Pacific/Pago_Pago', '2026-05-10T11:30:00Z', '2026-05-10T10:00:00Z', 'yesterday'],
    ['Pacific/Kiritimati', '2026-05-10T10:00:00Z', '2026-05-09T12:00:00Z', 'yesterday'],
    ['Pacific/Pago_Pago', '2026-05-10T10:00:00Z', '2026-05-09T12:00:00Z', 'today'],
  ])('date line: %s, now %s, date %s → %s', (timeZone, now, date, expected) => {
    expect(speakDate(at(date), {locale: 'en', timeZone, now: at(now)})).toBe(expected);
  });

  it('a weekday is the weekday in the zone, not in UTC', () => {
    // 2026-05-16T11:00Z is Saturday in UTC but already Sunday in Kiritimati.
    const opts = {locale: 'de' as const, now: at('2026-05-13T09:00:00Z')};
    expect(speakDate(at('2026-05-16T11:00:00Z'), {...opts, timeZone: 'Pacific/Kiritimati'})).toBe('am Sonntag');
    expect(speakDate(at('2026-05-16T11:00:00Z'), {...opts, timeZone: 'Pacific/Pago_Pago'})).toBe('am Samstag');
  });
});

describe('daysFromToday', () => {
  it.each<[number]>([[-400], [-7], [-1], [0], [1], [6], [365]])('%i days', (days) => {
    expect(daysFromToday(daysFromNow(days), {timeZone: VIENNA, now: NOW})).toBe(days);
  });
});

describe('bad input', () => {
  it('an unknown time zone falls back to UTC instead of failing a call', () => {
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone(VIENNA)).toBe(true);
    // 23:30 UTC yesterday is "today" in Vienna but "yesterday" in UTC.
    const date = at('2026-05-12T23:30:00Z');
    expect(speakDate(date, {locale: 'en', timeZone: 'Mars/Olympus_Mons', now: NOW})).toBe('yesterday');
    expect(speakDate(date, {locale: 'en', timeZone: VIENNA, now: NOW})).toBe('today');
  });

  it('an invalid Date is refused, never spoken as "NaN"', () => {
    expect(() => speakDate(new Date(Number.NaN), {locale: 'en', timeZone: VIENNA, now: NOW})).toThrow(RangeError);
    expect(() => speakDate(NOW, {locale: 'de', timeZone: VIENNA, now: new Date('garbage')})).toThrow(RangeError);
  });

  const WEEKDAYS = 'Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag';
  const MONTHS = 'January|February|March|April|May|June|July|August|September|October|November|December|' +
    'Jänner|Januar|Februar|März|Mai|Juni|Juli|Oktober|Dezember';
  const SHAPE = new RegExp(
    '^(today|tomorrow|yesterday|the day after tomorrow|the day before yesterday|heute|morgen|gestern|übermorgen|vorgestern' +
      `|(on|last|am|letzten) (${WEEKDAYS})|on \\d{1,2} (${MONTHS})( \\d{4})?|on (${MONTHS}) \\d{1,2}(, \\d{4})?|am \\d{1,2}\\. (${MONTHS})( \\d{4})?)$`,
  );
  it.each(LOCALES.map((l) => [l] as const))('%s: every day within ±400 days has one of the documented shapes', (locale) => {
    for (let days = -400; days <= 400; days++) {
      const text = speakDate(daysFromNow(days), {locale, timeZone: VIENNA, now: NOW});
      expect(text).toMatch(SHAPE);
      // The year is spoken exactly when it is not this year and months away.
      expect(/\d{4}$/.test(text)).toBe(daysFromNow(days).getUTCFullYear() !== 2026 && Math.abs(days) > YEAR_AFTER_DAYS);
      // American callers hear the month first.
      if (locale === 'en-US' && /\d/.test(text)) expect(text).toMatch(/^on [A-Z][a-z]+ \d{1,2}(, \d{4})?$/);
    }
  });
});
