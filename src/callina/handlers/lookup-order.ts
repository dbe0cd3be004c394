import type {OrderLookup} from '../../orders/order-lookup.ts';
import type {OrderStatus} from '../../orders/order-status.ts';
import {renderOrderStatus, sayNoOrderNumber, sayNotFound, sayStillChecking, sayUnavailable} from '../../speech/render-order.ts';
import type {Locale} from '../../speech/locale.ts';
import type {ActionHandler} from '../call-context.ts';
import {speak, transfer, type Answer} from '../reply.ts';

/**
 * lookup_order: find the order within the call's budget and say where it
 * is. Every outcome is words for the caller; where nothing useful can be
 * said and the shop has a phone, the caller goes to a person.
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
    const phone = shop.storePhone;
    const canTransfer = phone !== null;
    const orTransfer = (say: string, outcomeName: string): Answer =>
      ({reply: phone ? transfer(say, phone) : speak(say), outcome: outcomeName});

    switch (outcome.kind) {
      case 'no_number':
        return withoutNumber ? withoutNumber(call) : {reply: speak(sayNoOrderNumber(locale)), outcome: 'no_number'};
      case 'found': {
        const verified = shop.verification === 'caller_phone' && samePhone(outcome.order, event.context.caller_phone);
        // The number as the shop writes it ("ORD-12345"): what the caller reads on the receipt.
        const say = renderOrderStatus(outcome.order, {
          locale, timeZone: outcome.timeZone, now: now(), spokenName: outcome.order.name, verified, canTransfer,
        });
        return {reply: speak(say), outcome: outcome.stale ? 'found_stale' : 'found'};
      }
      case 'not_found':
        return {reply: speak(sayNotFound(locale, {spokenName: outcome.key, canTransfer})), outcome: 'not_found'};
      case 'budget_exceeded':
        return orTransfer(sayStillChecking(locale, {canTransfer}), 'budget_exceeded');
      case 'unavailable':
        return orTransfer(sayUnavailable(locale, {canTransfer}), `unavailable_${outcome.reason}`);
      default:
        return exhaustive(outcome, locale);
    }
  };
}

/** The caller's number must be the order's: digits compared, formatting ignored. */
function samePhone(order: OrderStatus, callerPhone: string | undefined): boolean {
  const digits = (p: string | null | undefined) => (p ?? '').replace(/\D/g, '');
  const caller = digits(callerPhone);
  return caller.length >= 8 && caller === digits(order.phone);
}

function exhaustive(outcome: never, _locale: Locale): never {
  throw new Error(`unhandled lookup outcome ${JSON.stringify(outcome)}`);
}
