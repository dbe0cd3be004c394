import {describe, expect, it} from 'vitest';
import {formatWeeklyHours, parseClosedDates, parseWeeklyHours} from '../../src/hours/schedule.ts';

describe('weekly hours as merchants write them', () => {
  it.each([
    ['Mon-Fri 09:00-17:00, Sat 10:00-13:00', 'Mon-Fri 09:00-17:00, Sat 10:00-13:00'],
    ['mon - fri 9:00 - 17:00; saturday 10-13', 'Mon-Fri 09:00-17:00, Sat 10:00-13:00'],
    ['Mon-Fri 09:00-12:00 13:00-17:00', 'Mon-Fri 09:00-12:00 13:00-17:00'],
    ['Mon 13:00-17:00, Mon 09:00-12:00, Tue 09:00-12:00 13:00-17:00', 'Mon-Tue 09:00-12:00 13:00-17:00'],
    ['Fri 22:00-02:00', 'Fri 22:00-02:00'],
    ['Sat-Mon 10:00-14:00', 'Mon 10:00-14:00, Sat-Sun 10:00-14:00'],
    ['Mon Wed Fri 08:00-24:00', 'Mon 08:00-24:00, Wed 08:00-24:00, Fri 08:00-24:00'],
    ['Sun 00:00-24:00', 'Sun 00:00-24:00'],
    ['ALWAYS', 'always'],
    [' never ', 'never'],
  ])('%j reads as %j, and that reads back the same', (input, canonical) => {
    const parsed = parseWeeklyHours(input);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(formatWeeklyHours(parsed.value)).toBe(canonical);
    const again = parseWeeklyHours(canonical);
    expect(again).toEqual(parsed);
  });

  it.each([
    ['', 'hours_empty', ''],
    ['Mox-Fri 09:00-17:00', 'hours_day_unknown', 'Mox'],
    ['Mon-Fry 09:00-17:00', 'hours_day_unknown', 'Fry'],
    ['Mon-Fri 09:00-25:00', 'hours_time_invalid', '25:00'],
    ['Mon-Fri 9:75-17:00', 'hours_time_invalid', '9:75'],
    ['Mon-Fri 24:00-02:00', 'hours_time_invalid', '24:00'],
    ['Mon-Fri 09:00', 'hours_time_invalid', '09:00'],
    ['Mon-Fri 09:00-17:00, Sat', 'hours_time_missing', 'Sat'],
    ['09:00-17:00', 'hours_day_missing', '09:00-17:00'],
    ['Mon-Fri 09:00-17:00,, Sat 10:00-12:00', 'hours_day_missing', ''],
    ['Mon 09:00-09:00', 'hours_range_empty', '09:00-09:00'],
    ['Mon 00:00-24:00 00:00-00:00', 'hours_range_empty', '00:00-00:00'],
  ])('%j is refused with %s, pointing at %j', (input, code, part) => {
    const parsed = parseWeeklyHours(input);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error).toMatchObject({code, part});
    if (part) expect(parsed.error.message).toContain(part);
  });
});

describe('closed dates', () => {
  it.each([
    ['2026-12-25,2026-12-24', ['2026-12-24', '2026-12-25']],
    ['2026-12-24 2026-12-24, 2027-01-01', ['2026-12-24', '2027-01-01']],
    ['none', []],
    ['', []],
    ['2028-02-29', ['2028-02-29']],
  ])('%j → %j', (input, dates) => {
    expect(parseClosedDates(input)).toEqual({ok: true, value: dates});
  });

  it.each([
    ['2026-12-24,2026-13-01', '2026-13-01'],
    ['2027-02-29', '2027-02-29'],
    ['24.12.2026', '24.12.2026'],
    ['2026-12-24,tomorrow', 'tomorrow'],
  ])('%j is refused, pointing at %j', (input, part) => {
    expect(parseClosedDates(input)).toMatchObject({ok: false, error: {code: 'date_invalid', part}});
  });

  it('refuses more than 200 dates', () => {
    const many = Array.from({length: 201}, (_, i) => new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10)).join(',');
    expect(parseClosedDates(many)).toMatchObject({ok: false, error: {code: 'dates_too_many'}});
  });
});
