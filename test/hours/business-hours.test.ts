import {describe, expect, it} from 'vitest';
import {isOpen, nextOpening, type BusinessHours} from '../../src/hours/business-hours.ts';
import {parseWeeklyHours} from '../../src/hours/schedule.ts';
import {instantAt, localIsoDate, wallTime} from '../../src/hours/zoned-time.ts';

function hours(text: string, timeZone: string, closedDates: string[] = []): BusinessHours {
  const parsed = parseWeeklyHours(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return {weekly: parsed.value, closedDates, timeZone};
}

const OFFICE = 'Mon-Fri 09:00-17:00, Sat 10:00-13:00';

/**
 * [what, schedule, zone, closed dates, instant (UTC), open?, next opening (UTC) or null].
 * Vienna: CET +1, CEST +2 from 2026-03-29 01:00Z until 2026-10-25 01:00Z.
 * New York: EST -5, EDT -4 from 2026-03-08 07:00Z until 2026-11-01 06:00Z.
 */
const CASES: [string, string, string, string[], string, boolean, string | null][] = [
  ['Vienna, Friday one minute before closing', OFFICE, 'Europe/Vienna', [], '2026-03-27T15:59:00Z', true, '2026-03-28T09:00:00Z'],
  ['Vienna, Friday at closing time: closed, back Saturday 10:00 CET', OFFICE, 'Europe/Vienna', [], '2026-03-27T16:00:00Z', false, '2026-03-28T09:00:00Z'],
  ['Vienna, Saturday at opening time', OFFICE, 'Europe/Vienna', [], '2026-03-28T09:00:00Z', true, '2026-03-30T07:00:00Z'],
  ['Vienna, Saturday after closing, over the spring-forward Sunday: Monday 09:00 CEST', OFFICE, 'Europe/Vienna', [], '2026-03-28T12:00:00Z', false, '2026-03-30T07:00:00Z'],
  ['Vienna, Monday after spring-forward, 09:00 CEST is 07:00Z', OFFICE, 'Europe/Vienna', [], '2026-03-30T07:00:00Z', true, '2026-03-31T07:00:00Z'],
  ['Vienna, Monday 08:30 CEST: not yet', OFFICE, 'Europe/Vienna', [], '2026-03-30T06:30:00Z', false, '2026-03-30T07:00:00Z'],
  ['Vienna, Saturday before fall-back: Monday 09:00 CET is 08:00Z', OFFICE, 'Europe/Vienna', [], '2026-10-24T12:00:00Z', false, '2026-10-26T08:00:00Z'],
  ['Vienna, Monday after fall-back, 08:30Z is 09:30 CET', OFFICE, 'Europe/Vienna', [], '2026-10-26T08:30:00Z', true, '2026-10-27T08:00:00Z'],
  ['New York, Friday 16:59 EST', OFFICE, 'America/New_York', [], '2026-03-06T21:59:00Z', true, '2026-03-07T15:00:00Z'],
  ['New York, Saturday after closing, over spring-forward: Monday 09:00 EDT is 13:00Z', OFFICE, 'America/New_York', [], '2026-03-07T19:00:00Z', false, '2026-03-09T13:00:00Z'],
  ['New York, Monday 09:00 EDT', OFFICE, 'America/New_York', [], '2026-03-09T13:00:00Z', true, '2026-03-10T13:00:00Z'],
  ['New York, Saturday before fall-back: Monday 09:00 EST is 14:00Z', OFFICE, 'America/New_York', [], '2026-10-31T18:00:00Z', false, '2026-11-02T14:00:00Z'],
  ['New York, Monday 13:30Z is 08:30 EST: not yet', OFFICE, 'America/New_York', [], '2026-11-02T13:30:00Z', false, '2026-11-02T14:00:00Z'],
  // Far from the server: the shop's day differs from UTC's.
  ['Auckland, Monday 09:00 NZDT is Sunday 20:00Z', OFFICE, 'Pacific/Auckland', [], '2026-01-11T20:00:00Z', true, '2026-01-12T20:00:00Z'],
  ['Auckland, Sunday 19:59Z is Monday 08:59 local: not yet', OFFICE, 'Pacific/Auckland', [], '2026-01-11T19:59:00Z', false, '2026-01-11T20:00:00Z'],
  ['Honolulu, Friday 16:00 local is Saturday 02:00Z', OFFICE, 'Pacific/Honolulu', [], '2026-05-16T02:00:00Z', true, '2026-05-16T20:00:00Z'],
  // Ranges across midnight.
  ['night shift, Friday 23:00', 'Fri 22:00-02:00', 'Europe/Vienna', [], '2026-05-15T21:00:00Z', true, '2026-05-22T20:00:00Z'],
  ['night shift, Saturday 01:59 belongs to Friday', 'Fri 22:00-02:00', 'Europe/Vienna', [], '2026-05-15T23:59:00Z', true, '2026-05-22T20:00:00Z'],
  ['night shift, Saturday 02:00: closed, back next Friday 22:00', 'Fri 22:00-02:00', 'Europe/Vienna', [], '2026-05-16T00:00:00Z', false, '2026-05-22T20:00:00Z'],
  ['night shift over spring-forward: Sunday 03:30 CEST still open', 'Sat 22:00-04:00', 'Europe/Vienna', [], '2026-03-29T01:30:00Z', true, '2026-04-04T20:00:00Z'],
  ['night shift over spring-forward: Sunday 04:00 CEST closed', 'Sat 22:00-04:00', 'Europe/Vienna', [], '2026-03-29T02:00:00Z', false, '2026-04-04T20:00:00Z'],
  ['a range to 24:00 then one from 00:00', 'Mon 18:00-24:00, Tue 00:00-02:00', 'Europe/Vienna', [], '2026-05-11T22:30:00Z', true, '2026-05-18T16:00:00Z'],
  // A start inside the spring-forward gap opens when the clocks jump.
  ['opening at 02:30 on the spring-forward night opens at 03:00 CEST', 'Sun 02:30-05:00', 'Europe/Vienna', [], '2026-03-28T12:00:00Z', false, '2026-03-29T01:00:00Z'],
  ['... and is open from that moment', 'Sun 02:30-05:00', 'Europe/Vienna', [], '2026-03-29T01:00:00Z', true, '2026-04-05T00:30:00Z'],
  // Closed dates.
  ['Christmas Eve, a Thursday, closed all day', OFFICE, 'Europe/Vienna', ['2026-12-24', '2026-12-25'], '2026-12-24T10:00:00Z', false, '2026-12-26T09:00:00Z'],
  ['the day before Christmas Eve: back on the 26th, skipping both', OFFICE, 'Europe/Vienna', ['2026-12-24', '2026-12-25'], '2026-12-23T17:00:00Z', false, '2026-12-26T09:00:00Z'],
  ['a closed Friday cancels its night range, after midnight too', 'Fri 22:00-02:00', 'Europe/Vienna', ['2026-05-15'], '2026-05-15T23:00:00Z', false, '2026-05-22T20:00:00Z'],
  ['a closed Saturday does not cut Friday night short', 'Fri 22:00-02:00', 'Europe/Vienna', ['2026-05-16'], '2026-05-15T23:00:00Z', true, '2026-05-22T20:00:00Z'],
  ['a closed date is the shop\'s date, not UTC\'s: 00:30 local on the 24th is closed', 'always', 'Europe/Vienna', ['2026-12-24'], '2026-12-23T23:30:00Z', false, '2026-12-24T23:00:00Z'],
  ['... and 23:30 local on the 23rd is open', 'always', 'Europe/Vienna', ['2026-12-24'], '2026-12-23T22:30:00Z', true, '2026-12-24T23:00:00Z'],
  // No schedule, no hours.
  ['always: open at 03:00 on a Sunday', 'always', 'America/New_York', [], '2026-05-17T07:00:00Z', true, '2026-05-18T04:00:00Z'],
  ['never: closed, no opening ever', 'never', 'Europe/Vienna', [], '2026-05-18T08:00:00Z', false, null],
  ['several ranges a day: lunch break closed', 'Mon-Fri 09:00-12:00 13:00-17:00', 'Europe/Vienna', [], '2026-05-18T10:30:00Z', false, '2026-05-18T11:00:00Z'],
];

describe('business hours', () => {
  it.each(CASES)('%s', (_what, text, zone, closed, at, open, next) => {
    const h = hours(text, zone, closed);
    expect(isOpen(h, new Date(at))).toBe(open);
    expect(nextOpening(h, new Date(at))?.toISOString() ?? null).toBe(next === null ? null : new Date(next).toISOString());
  });

  it('finds the opening after a long run of closed dates', () => {
    const closed = Array.from({length: 60}, (_, i) => new Date(Date.UTC(2026, 6, 1 + i)).toISOString().slice(0, 10));
    expect(nextOpening(hours(OFFICE, 'Europe/Vienna', closed), new Date('2026-06-30T20:00:00Z'))?.toISOString()).toBe('2026-08-31T07:00:00.000Z');
  });
});

describe('zoned time', () => {
  it.each([
    ['Vienna summer', '2026-07-01T22:30:00Z', 'Europe/Vienna', '2026-07-02', 30],
    ['New York winter', '2026-01-01T03:00:00Z', 'America/New_York', '2025-12-31', 22 * 60],
    ['Kathmandu (+05:45)', '2026-01-01T00:00:00Z', 'Asia/Kathmandu', '2026-01-01', 5 * 60 + 45],
    ['Kiritimati (+14)', '2026-01-01T12:00:00Z', 'Pacific/Kiritimati', '2026-01-02', 2 * 60],
  ])('%s: local date and minutes', (_what, at, zone, date, minutes) => {
    expect(localIsoDate(new Date(at), zone)).toBe(date);
    expect(wallTime(new Date(at), zone).minutes).toBe(minutes);
  });

  it('the fall-back hour, shown twice, maps to its first occurrence', () => {
    const day = Date.UTC(2026, 9, 25) / 86_400_000;
    expect(instantAt(day, 2 * 60 + 30, 'Europe/Vienna').toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });
});
