import type {TimeRange, WeeklyHours} from './schedule.ts';
import {dayOfIsoDate, instantAt, wallTime, weekdayOf} from './zoned-time.ts';

/**
 * Is the shop open, and when does it open next? Pure schedule maths in
 * the shop's zone, no I/O. Rules:
 * - no weekly schedule (null) = open all day, every day;
 * - a range belongs to the day it starts on: a closed date cancels the
 *   ranges starting that day, including their part after midnight;
 * - times are wall-clock times: "09:00" is 09:00 on the shop's clocks on
 *   both sides of a DST change.
 */
export interface BusinessHours {
  weekly: WeeklyHours | null;
  /** "2026-12-24": whole local days without opening hours. */
  closedDates: readonly string[];
  timeZone: string;
}

const ALL_DAY: readonly TimeRange[] = [{start: 0, end: 1440}];
/** How far ahead to look for an opening: a year of closed dates plus a week. */
const HORIZON_DAYS = 400;

function rangesOn(hours: BusinessHours, closed: ReadonlySet<number>, day: number): readonly TimeRange[] {
  if (closed.has(day)) return [];
  return hours.weekly === null ? ALL_DAY : (hours.weekly[weekdayOf(day)] ?? []);
}

function closedDays(hours: BusinessHours): Set<number> {
  return new Set(hours.closedDates.map(dayOfIsoDate).filter((d) => d !== undefined));
}

const crossesMidnight = (r: TimeRange) => r.end <= r.start;

export function isOpen(hours: BusinessHours, at: Date): boolean {
  const closed = closedDays(hours);
  const {day, minutes} = wallTime(at, hours.timeZone);
  const today = rangesOn(hours, closed, day).some((r) => r.start <= minutes && (crossesMidnight(r) || minutes < r.end));
  return today || rangesOn(hours, closed, day - 1).some((r) => crossesMidnight(r) && minutes < r.end);
}

/** The first opening after `at` (a range's start), or null if the schedule never opens within the horizon. */
export function nextOpening(hours: BusinessHours, at: Date): Date | null {
  const closed = closedDays(hours);
  const {day} = wallTime(at, hours.timeZone);
  for (let d = day; d <= day + HORIZON_DAYS; d++) {
    for (const range of rangesOn(hours, closed, d)) {
      const start = instantAt(d, range.start, hours.timeZone);
      if (start.getTime() > at.getTime()) return start;
    }
  }
  return null;
}
