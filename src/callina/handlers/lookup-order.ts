import {canonicalPhone} from '../../caller-phone.ts';
import type {OrderLookup} from '../../orders/order-lookup.ts';
import type {OrderStatus} from '../../orders/order-status.ts';
import {sayNoOrderNumber, sayNotFound} from '../../speech/render-order.ts';
import {renderOrderStatusOnce} from '../../speech/render-memo.ts';
import type {Locale} from '../../speech/locale.ts';
import type {ActionHandler} from '../call-context.ts';
import {canHandOff, handoffFor} from '../handoff.ts';
import {stillCheckingAnswer, unavailableAnswer} from '../lookup-fallback.ts';
import {speak} from '../reply.ts';

/**
 * lookup_order: find the order within the call's budget and say where it
 * is. Every outcome is words for the caller; where nothing useful can be
 * said and the shop has a phone, the caller goes to a person, else to the
 * contact the merchant configured.
 *
 * Verification: with mode caller_phone and the caller's number matching the
 * order's, the caller is verified and also hears payment, refunds and the
 * tracking number's end. Everyone else hears the shipping status only.
 */
export function lookupOrderHandler(
  lookup: Pick<OrderLookup, 'lookup'>,
  now: () => Date = () => new Date(),
  /** Callers without a usable number (caller-orders.ts); without it, Anna asks for the number. */
  withoutNumber?: ActionHandler,
): ActionHandler {
  return async (call) => {
    const {event, shop, locale, deadline} = call;
    const spoken = event.params.order_number;
    const outcome = await lookup.lookup(shop, spoken, deadline);
    // Asked after the lookup: the budget may have run into closing time.
    const at = now();
    const handoff = handoffFor(shop, at);
    const canTransfer = canHandOff(handoff);
    const contact = {canTransfer, contactHint: shop.contactHint};

    switch (outcome.kind) {
      case 'no_number':
        return withoutNumber ? withoutNumber(call) : {reply: speak(sayNoOrderNumber(locale)), outcome: 'no_number'};
      case 'found': {
        const verified = shop.verification === 'caller_phone' && samePhone(outcome.order, event.context.caller_phone);
        // The number as the shop writes it ("ORD-12345"): what the caller reads on the receipt.
        const say = renderOrderStatusOnce(outcome.order, {
          locale, timeZone: outcome.timeZone, now: at, spokenName: outcome.order.name, verified, ...contact, stale: outcome.stale,
        });
        return {reply: speak(say), outcome: outcome.stale ? 'found_stale' : 'found'};
      }
      case 'not_found':
        return {
          reply: speak(sayNotFound(locale, {spokenName: outcome.key, olderHidden: outcome.olderHidden, ...contact})),
          outcome: 'not_found',
        };
      case 'budget_exceeded':
        return stillCheckingAnswer({handoff, shop, locale, now: at});
      case 'unavailable':
        return unavailableAnswer({handoff, shop, locale, now: at}, outcome.reason);
      default:
        return exhaustive(outcome, locale);
    }
  };
}

/**
 * The caller's number must be the order's, both in the canonical form
 * ("0043 660 …" and "+43660…" are one number); short numbers never match.
 */
function samePhone(order: OrderStatus, callerPhone: string | undefined): boolean {
  const caller = canonicalPhone(callerPhone);
  return caller !== undefined && caller.length > 8 && caller === canonicalPhone(order.phone);
}

function exhaustive(outcome: never, _locale: Locale): never {
  throw new Error(`unhandled lookup outcome ${JSON.stringify(outcome)}`);
}
