import type {OrderStatus} from '../orders/order-status.ts';
import {renderOrderStatus, type RenderOptions} from './render-order.ts';
import {isValidDate, todayNumber} from './relative-date.ts';

/**
 * The last answer rendered for each order object. A cached order is asked
 * about again and again, and its words can change only with the options
 * or with the shop's calendar day: every date is spoken relative to today
 * ("yesterday", "on Monday"), never to the time of day. The cache holds
 * one OrderStatus object per order until Shopify's next answer replaces
 * it, so a changed order is a new object and is rendered anew; entries go
 * with their objects (WeakMap). Rendering was ~9 % of a warm call's CPU.
 */
const lastRendered = new WeakMap<OrderStatus, {key: string; say: string}>();

export function renderOrderStatusOnce(status: OrderStatus, opts: RenderOptions): string {
  if (!isValidDate(opts.now)) return renderOrderStatus(status, opts);
  const key = [
    opts.locale, opts.timeZone, todayNumber(opts), opts.spokenName, opts.verified, opts.canTransfer ?? false,
    opts.contactHint ?? '', opts.stale ?? false, opts.placed ?? '',
  ].join('\u0000');
  const last = lastRendered.get(status);
  if (last?.key === key) return last.say;
  const say = renderOrderStatus(status, opts);
  lastRendered.set(status, {key, say});
  return say;
}
