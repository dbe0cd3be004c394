import {isoDateOfDay, wallTime} from '../hours/zoned-time.ts';
import {REPORT_COUNTERS, type ReportDay, type ShopRecord, type Storage} from '../storage/storage.ts';

/** At most what the retention keeps. */
export const MAX_REPORT_DAYS = 90;

/**
 * The shop's last `days` local days up to today, oldest first, every day
 * present (a quiet day is zeros). Shared by the settings API and the CLI.
 */
export async function reportDays(storage: Storage, shop: ShopRecord, days: number, now: Date = new Date()): Promise<ReportDay[]> {
  const today = wallTime(now, shop.timeZone ?? 'UTC').day;
  const first = today - days + 1;
  const stored = new Map((await storage.getReport(shop.shop, isoDateOfDay(first), isoDateOfDay(today))).map((d) => [d.day, d]));
  return Array.from({length: days}, (_, i) => {
    const day = isoDateOfDay(first + i);
    return stored.get(day) ?? ({day, ...Object.fromEntries(REPORT_COUNTERS.map((c) => [c, 0]))} as ReportDay);
  });
}
