import {languageOf, type Language, type Locale} from './locale.ts';

/**
 * Dates as a caller wants to hear them: relative to today in the shop's
 * time zone, as an adverbial phrase that fits "was shipped …" / "arrives …"
 * ("wurde … verschickt" / "kommt … an").
 *
 * Rules (days are calendar days in `timeZone`, never 24-hour spans):
 *   0 today / heute, +1 tomorrow / morgen, -1 yesterday / gestern,
 *   +2 the day after tomorrow / übermorgen, -2 the day before yesterday / vorgestern,
 *   +3…+6 on Friday / am Freitag,
 *   -3…-6 on Monday / am Montag when in the current week (weeks start on Monday),
 *         last Friday / letzten Freitag when in the previous week,
 *   otherwise on 12 May / am 12. Mai (en-US: on May 12), with the year
 *   only when it is not the current year and more than YEAR_AFTER_DAYS
 *   away (a listener places "on 3 January" said in December correctly).
 *   de-AT says "Jänner" for January.
 */

export interface Clock {
  /** IANA zone, e.g. "Europe/Vienna"; an unknown zone falls back to UTC. */
  timeZone: string;
  now: Date;
}

export interface DateSpeechOptions extends Clock {
  locale: Locale;
}

interface CivilDate {
  year: number;
  month: number;
  day: number;
}

interface DateWords {
  /** Keyed by day offset from today, -2…+2. */
  near: Readonly<Record<number, string>>;
  weekdays: readonly string[]; // Sunday first, like Date#getUTCDay
  months: readonly string[];
  on(weekday: string): string;
  last(weekday: string): string;
  date(day: number, month: string, year: number | null): string;
}

/** Beyond this many days, a date in another year is spoken with its year. */
export const YEAR_AFTER_DAYS = 90;

/** American order: month first, the year after a comma. */
const usDate = (day: number, month: string, year: number | null): string =>
  `on ${month} ${day}${year === null ? '' : `, ${year}`}`;

const WORDS: Record<Language, DateWords> = {
  en: {
    near: {
      [-2]: 'the day before yesterday',
      [-1]: 'yesterday',
      0: 'today',
      1: 'tomorrow',
      2: 'the day after tomorrow',
    },
    weekdays: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
    months: [
      'January', 'February', 'March', 'April', 'May', 'June',
      'July', 'August', 'September', 'October', 'November', 'December',
    ],
    on: (weekday) => `on ${weekday}`,
    last: (weekday) => `last ${weekday}`,
    date: (day, month, year) => `on ${day} ${month}${year === null ? '' : ` ${year}`}`,
  },
  de: {
    near: {[-2]: 'vorgestern', [-1]: 'gestern', 0: 'heute', 1: 'morgen', 2: 'übermorgen'},
    weekdays: ['Sonntag', 'Montag', 'Dienstag', 'Mittwoch', 'Donnerstag', 'Freitag', 'Samstag'],
    months: [
      'Januar', 'Februar', 'März', 'April', 'Mai', 'Juni',
      'Juli', 'August', 'September', 'Oktober', 'November', 'Dezember',
    ],
    on: (weekday) => `am ${weekday}`,
    last: (weekday) => `letzten ${weekday}`,
    date: (day, month, year) => `am ${day}. ${month}${year === null ? '' : ` ${year}`}`,
  },
};

const MS_PER_DAY = 86_400_000;

export function isValidDate(value: Date | null | undefined): value is Date {
  return value instanceof Date && !Number.isNaN(value.getTime());
}

export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', {timeZone});
    return true;
  } catch {
    return false;
  }
}

// Building a DateTimeFormat is costly; a shop has one zone, so few entries.
const formatters = new Map<string, Intl.DateTimeFormat>();

function calendarFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US-u-ca-gregory-nu-latn', {
      timeZone: isTimeZone(timeZone) ? timeZone : 'UTC',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * Civil dates already worked out, by zone and UTC quarter hour:
 * formatToParts is the costliest step of an answer (~5 µs), one answer
 * asks about "now" several times, every warm call asks about a new "now",
 * and a cached order's dates come back with every call about it. Keyed by
 * the instant itself, "now" never hit; keyed by quarter hour it does:
 * every zone's offset is a whole number of quarter hours, so a date can
 * only change on such a boundary. A quarter hour that still spans two
 * dates (an old local-mean-time offset) is simply not cached.
 */
const civilDates = new Map<string, Map<number, Readonly<CivilDate>>>();
const QUARTER_HOUR_MS = 900_000;

/** The wall-calendar date of an instant in a zone; Intl knows the zone's rules (DST, date line). */
function civilDate(instant: Date, timeZone: string): Readonly<CivilDate> {
  // A small-integer key per zone: building and hashing a string key per call showed in the profile.
  const quarter = Math.floor(instant.getTime() / QUARTER_HOUR_MS);
  let dates = civilDates.get(timeZone);
  if (dates === undefined) civilDates.set(timeZone, (dates = new Map()));
  let date = dates.get(quarter);
  if (date === undefined) {
    const first = formatCivilDate(new Date(quarter * QUARTER_HOUR_MS), timeZone);
    const last = formatCivilDate(new Date((quarter + 1) * QUARTER_HOUR_MS - 1), timeZone);
    if (dayNumber(first) !== dayNumber(last)) return formatCivilDate(instant, timeZone);
    date = first;
    if (dates.size >= 10_000) dates.clear();
    dates.set(quarter, date);
  }
  return date;
}

function formatCivilDate(instant: Date, timeZone: string): Readonly<CivilDate> {
  const parts = calendarFormatter(timeZone).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((p) => p.type === type)?.value);
  return Object.freeze({year: part('year'), month: part('month'), day: part('day')});
}

/** Days since 1970-01-01 for a calendar date: pure calendar arithmetic, no offsets involved. */
function dayNumber({year, month, day}: CivilDate): number {
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

/** 0 = Sunday … 6 = Saturday. */
function weekdayOf(date: CivilDate): number {
  return new Date(dayNumber(date) * MS_PER_DAY).getUTCDay();
}

/** Today in the zone as a day count (days since 1970-01-01): what every spoken date is relative to. */
export function todayNumber({timeZone, now}: Clock): number {
  return dayNumber(civilDate(now, timeZone));
}

/** Calendar days from today (in the zone) to `date`: 1 is tomorrow, -1 yesterday. */
export function daysFromToday(date: Date, {timeZone, now}: Clock): number {
  return dayNumber(civilDate(date, timeZone)) - dayNumber(civilDate(now, timeZone));
}

function monthName(locale: Locale, month: number): string {
  if (locale === 'de-AT' && month === 1) return 'Jänner';
  return WORDS[languageOf(locale)].months[month - 1] ?? '';
}

/** Throws a RangeError on an invalid Date; callers on the call path filter those first. */
export function speakDate(date: Date, {locale, timeZone, now}: DateSpeechOptions): string {
  if (!isValidDate(date) || !isValidDate(now)) throw new RangeError('speakDate needs valid dates');
  const words = WORDS[languageOf(locale)];
  const target = civilDate(date, timeZone);
  const today = civilDate(now, timeZone);
  const offset = dayNumber(target) - dayNumber(today);

  const near = words.near[offset];
  if (near !== undefined) return near;

  const weekday = words.weekdays[weekdayOf(target)] ?? '';
  if (offset >= 3 && offset <= 6) return words.on(weekday);
  if (offset <= -3 && offset >= -6) {
    const daysSinceMonday = (weekdayOf(today) + 6) % 7;
    return offset + daysSinceMonday >= 0 ? words.on(weekday) : words.last(weekday);
  }
  const year = target.year === today.year || Math.abs(offset) <= YEAR_AFTER_DAYS ? null : target.year;
  const sayDate = locale === 'en-US' ? usDate : words.date;
  return sayDate(target.day, monthName(locale, target.month), year);
}
