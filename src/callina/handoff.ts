import {isOpen, nextOpening} from '../hours/business-hours.ts';
import {businessHoursOf} from '../shops/shop-hours.ts';
import type {EscalationResult, ShopRecord} from '../storage/storage.ts';

/**
 * Where a caller who needs a person goes right now: the store phone while
 * the shop is open, the after-hours number outside its hours, else nowhere
 * — closed (Anna says when the team is back) or no phone at all.
 */
export type Handoff =
  | {kind: 'store'; phone: string}
  | {kind: 'after_hours'; phone: string}
  | {kind: 'closed'; next: Date | null; timeZone: string}
  | {kind: 'none'};
export type HandoffKind = Handoff['kind'];

export function handoffFor(shop: ShopRecord, now: Date): Handoff {
  const alwaysOpen = shop.businessHours === null && shop.closedDates.length === 0;
  if (alwaysOpen || isOpen(businessHoursOf(shop), now)) return shop.storePhone ? {kind: 'store', phone: shop.storePhone} : {kind: 'none'};
  if (shop.afterHoursPhone) return {kind: 'after_hours', phone: shop.afterHoursPhone};
  // Without a store phone there is no team to come back to: say what we say today.
  if (!shop.storePhone) return {kind: 'none'};
  const hours = businessHoursOf(shop);
  return {kind: 'closed', next: nextOpening(hours, now), timeZone: hours.timeZone};
}

/** Whether a person can take the call now: decides whether Anna offers one. */
export const canHandOff = (h: Handoff): h is Extract<Handoff, {phone: string}> => h.kind === 'store' || h.kind === 'after_hours';

export const ESCALATION_RESULT: Record<HandoffKind, EscalationResult> = {
  store: 'transferred',
  after_hours: 'after_hours',
  closed: 'nowhere',
  none: 'nowhere',
};
