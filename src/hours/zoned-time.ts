/**
 * Wall-clock time in an IANA zone, worked out with Intl only: Intl knows
 * each zone's rules (DST, historic offsets), the server's own zone never
 * matters. Days are counted as civil dates since 1970-01-01, so "the next
 * day" is plain arithmetic whatever the offsets do.
 */

const MS_PER_DAY = 86_400_000;
const MS_PER_MINUTE = 60_000;

export interface WallTime {
  /** Civil days since 1970-01-01 of the local date. */
  day: number;
  /** Minutes since local midnight, 0..1439. */
  minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US-u-ca-gregory-nu-latn', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The zone's offset from UTC at an instant, in milliseconds (Vienna in summer: +7,200,000). */
function offsetMs(instant: number, timeZone: string): number {
  const parts = formatter(timeZone).formatToParts(instant);
  const n = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return asUtc - (instant - (((instant % 1000) + 1000) % 1000));
}

export function wallTime(instant: Date, timeZone: string): WallTime {
  const local = instant.getTime() + offsetMs(instant.getTime(), timeZone);
  const day = Math.floor(local / MS_PER_DAY);
  return {day, minutes: Math.floor((local - day * MS_PER_DAY) / MS_PER_MINUTE)};
}

/**
 * The instant at which the zone's clocks show `minutes` on `day`. A time
 * shown twice (fall-back) gives the first; a time skipped by a
 * spring-forward gives the moment the clocks jump past it (02:30 → the
 * instant they go from 02:00 to 03:00), so `isOpen` and `nextOpening` agree.
 */
export function instantAt(day: number, minutes: number, timeZone: string): Date {
  const local = day * MS_PER_DAY + minutes * MS_PER_MINUTE;
  // The offsets a day either side cover both sides of any transition on this date.
  const candidates = [...new Set([local - offsetMs(local - MS_PER_DAY, timeZone), local - offsetMs(local + MS_PER_DAY, timeZone)])].sort((a, b) => a - b);
  const reached = (t: number) => {
    const w = wallTime(new Date(t), timeZone);
    return w.day > day || (w.day === day && w.minutes >= minutes);
  };
  const exact = candidates.find((t) => {
    const w = wallTime(new Date(t), timeZone);
    return w.day === day && w.minutes === minutes;
  });
  if (exact !== undefined) return new Date(exact);
  // In a gap: bisect, by minutes, for the first instant whose wall time is at or past the requested one.
  let lo = Math.floor(candidates[0]! / MS_PER_MINUTE) - 1;
  let hi = Math.ceil(candidates.at(-1)! / MS_PER_MINUTE);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (reached(mid * MS_PER_MINUTE)) hi = mid;
    else lo = mid;
  }
  return new Date(hi * MS_PER_MINUTE);
}

/** 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday). */
export function weekdayOf(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

/** "2026-12-24" → civil day number; undefined for anything that is not a real date. */
export function dayOfIsoDate(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return ms / MS_PER_DAY;
}

/** Civil day number → "2026-12-24". */
export function isoDateOfDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The local date of an instant in a zone, "2026-12-24": the shop's day for its call report. */
export function localIsoDate(instant: Date, timeZone: string): string {
  return isoDateOfDay(wallTime(instant, timeZone).day);
}
