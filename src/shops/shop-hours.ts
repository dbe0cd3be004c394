import type {BusinessHours} from '../hours/business-hours.ts';
import type {ShopRecord} from '../storage/storage.ts';

/** A shop's hours for the schedule maths. A zone not known yet counts as UTC (the CLI and the page ask for one first). */
export function businessHoursOf(shop: ShopRecord): BusinessHours {
  return {weekly: shop.businessHours, closedDates: shop.closedDates, timeZone: shop.timeZone ?? 'UTC'};
}
