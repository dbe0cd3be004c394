import {dayOfIsoDate} from './zoned-time.ts';

/**
 * A shop's weekly opening hours as merchants write them:
 * "Mon-Fri 09:00-17:00, Sat 10:00-13:00". Several ranges per day
 * ("Mon-Fri 09:00-12:00 13:00-17:00", or the same day in two entries);
 * a range whose end is not after its start crosses midnight
 * ("Fri 22:00-02:00" runs into Saturday morning). "always" is no schedule
 * (open all day, every day), "never" a schedule without any range.
 */

export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
const FULL_NAMES = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/** Minutes since midnight; `end` ≤ `start` means the range ends on the next day. */
export interface TimeRange {
  start: number;
  end: number;
}

/** Index 0 = Monday … 6 = Sunday; each day's ranges sorted by start. */
export type WeeklyHours = readonly (readonly TimeRange[])[];

/** A stable code (the settings page translates it), the part of the input at fault, and a message in English. */
export interface ScheduleError {
  code: 'hours_empty' | 'hours_day_missing' | 'hours_day_unknown' | 'hours_time_missing' | 'hours_time_invalid' | 'hours_range_empty' | 'date_invalid' | 'dates_too_many';
  part: string;
  message: string;
}

export type Parsed<T> = {ok: true; value: T} | {ok: false; error: ScheduleError};

const fail = (code: ScheduleError['code'], part: string, message: string): {ok: false; error: ScheduleError} =>
  ({ok: false, error: {code, part, message}});

/** null = always open. */
export function parseWeeklyHours(text: string): Parsed<WeeklyHours | null> {
  const input = text.trim();
  if (/^always$/i.test(input)) return {ok: true, value: null};
  if (/^never$/i.test(input)) return {ok: true, value: WEEKDAYS.map(() => [])};
  if (input === '') return fail('hours_empty', '', 'is empty: write days and times like "Mon-Fri 09:00-17:00", or always, or never');
  const days: TimeRange[][] = WEEKDAYS.map(() => []);
  for (const rawEntry of input.split(/[,;]/)) {
    const entry = rawEntry.trim().replace(/\s*[-–]\s*/g, '-');
    if (entry === '') return fail('hours_day_missing', rawEntry, 'has an empty entry between commas');
    const tokens = entry.split(/\s+/);
    const firstTime = tokens.findIndex((t) => /^\d/.test(t));
    const dayTokens = firstTime === -1 ? tokens : tokens.slice(0, firstTime);
    const rangeTokens = firstTime === -1 ? [] : tokens.slice(firstTime);
    if (dayTokens.length === 0) return fail('hours_day_missing', entry, `"${entry}" needs the days first, like "Mon-Fri 09:00-17:00"`);
    if (rangeTokens.length === 0) return fail('hours_time_missing', entry, `"${entry}" needs opening times, like "09:00-17:00"`);
    const selected = new Set<number>();
    for (const token of dayTokens) {
      const parsed = parseDays(token);
      if (!parsed.ok) return parsed;
      parsed.value.forEach((d) => selected.add(d));
    }
    for (const token of rangeTokens) {
      const range = parseRange(token);
      if (!range.ok) return range;
      selected.forEach((d) => days[d]!.push(range.value));
    }
  }
  return {ok: true, value: days.map((ranges) => dedupe(ranges))};
}

function dedupe(ranges: TimeRange[]): TimeRange[] {
  const seen = new Set<string>();
  return ranges
    .filter((r) => !seen.has(`${r.start}-${r.end}`) && seen.add(`${r.start}-${r.end}`))
    .sort((a, b) => a.start - b.start || a.end - b.end);
}

function dayIndex(name: string): number {
  const lower = name.toLowerCase();
  const short = WEEKDAYS.findIndex((d) => d.toLowerCase() === lower);
  return short !== -1 ? short : FULL_NAMES.indexOf(lower);
}

/** "Mon", "monday" or a range "Mon-Fri" (a range may wrap round the week: "Sat-Mon"). */
function parseDays(token: string): Parsed<number[]> {
  const [from, to, extra] = token.split('-');
  const a = dayIndex(from ?? '');
  const b = to === undefined ? a : dayIndex(to);
  if (extra !== undefined || a === -1 || b === -1) {
    const bad = a === -1 ? from! : to === undefined || b !== -1 ? token : to;
    return fail('hours_day_unknown', bad, `"${bad}" is not a day: use ${WEEKDAYS.join(', ')}`);
  }
  const out: number[] = [];
  for (let d = a; ; d = (d + 1) % 7) {
    out.push(d);
    if (d === b) break;
  }
  return {ok: true, value: out};
}

/** "9:00", "09:30", "17" → minutes; "24:00" only as an end. */
function parseTime(text: string, isEnd: boolean): number | undefined {
  const m = /^(\d{1,2})(?::(\d{2}))?$/.exec(text);
  if (!m) return undefined;
  const hours = Number(m[1]);
  const minutes = Number(m[2] ?? 0);
  if (minutes > 59) return undefined;
  const total = hours * 60 + minutes;
  if (total > 1440 || (total === 1440 && !isEnd)) return undefined;
  return total;
}

function parseRange(token: string): Parsed<TimeRange> {
  const [from, to, extra] = token.split('-');
  if (to === undefined || extra !== undefined) return fail('hours_time_invalid', token, `"${token}" is not a time range like 09:00-17:00`);
  const start = parseTime(from!, false);
  if (start === undefined) return fail('hours_time_invalid', from!, `"${from}" is not a time between 00:00 and 23:59`);
  const end = parseTime(to, true);
  if (end === undefined) return fail('hours_time_invalid', to, `"${to}" is not a time between 00:00 and 24:00`);
  if (start === end) return fail('hours_range_empty', token, `"${token}" opens and closes at the same time (all day is 00:00-24:00)`);
  return {ok: true, value: {start, end}};
}

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** The canonical text: consecutive days with the same ranges grouped, as parseWeeklyHours reads it back. */
export function formatWeeklyHours(weekly: WeeklyHours | null): string {
  if (weekly === null) return 'always';
  const perDay = weekly.map((ranges) => ranges.map((r) => `${hhmm(r.start)}-${hhmm(r.end)}`).join(' '));
  const entries: string[] = [];
  for (let d = 0; d < 7; ) {
    let last = d;
    while (last + 1 < 7 && perDay[last + 1] === perDay[d]) last++;
    if (perDay[d]) entries.push(`${WEEKDAYS[d]}${last > d ? `-${WEEKDAYS[last]}` : ''} ${perDay[d]}`);
    d = last + 1;
  }
  return entries.length === 0 ? 'never' : entries.join(', ');
}

export const MAX_CLOSED_DATES = 200;

/** "2026-12-24,2026-12-25" (commas or spaces) → sorted, without repeats; "none" or "" → []. */
export function parseClosedDates(text: string): Parsed<string[]> {
  const input = text.trim();
  if (input === '' || /^none$/i.test(input)) return {ok: true, value: []};
  const dates = new Set<string>();
  for (const part of input.split(/[\s,;]+/).filter(Boolean)) {
    if (dayOfIsoDate(part) === undefined) return fail('date_invalid', part, `"${part}" is not a date like 2026-12-24`);
    dates.add(part);
  }
  if (dates.size > MAX_CLOSED_DATES) return fail('dates_too_many', String(dates.size), `has ${dates.size} dates; at most ${MAX_CLOSED_DATES}`);
  return {ok: true, value: [...dates].sort()};
}
