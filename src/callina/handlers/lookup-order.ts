import type {OrderLookup} from '../../orders/order-lookup.ts';
import type {OrderStatus} from '../../orders/order-status.ts';
import {renderOrderStatus, sayNoOrderNumber, sayNotFound, sayStillChecking, sayUnavailable} from '../../speech/render-order.ts';
import {sayAfterHoursTransfer, sayLeadThenTeamBack, type HandoffLead} from '../../speech/hours-phrases.ts';
import type {Locale} from '../../speech/locale.ts';
import type {ActionHandler} from '../call-context.ts';
import {canHandOff, handoffFor, type Handoff} from '../handoff.ts';
import {speak, transfer, type Answer} from '../reply.ts';

/**
 * lookup_order: find the order within the call's budget and say where it
 * is. Every outcome is words for the caller; where nothing useful can be
 * said and the shop has a phone, the caller goes to a person.
 */
export function lookupOrderHandler(lookup: Pick<OrderLookup, 'lookup'>, now: () => Date = () => new Date()): ActionHandler {
  return async ({event, shop, locale, deadline}) => {
    const spoken = event.params.order_number;
    const outcome = await lookup.lookup(shop, spoken, deadline);
    // Asked after the lookup: the budget may have run into closing time.
    const at = now();
    const handoff = handoffFor(shop, at);
    const canTransfer = canHandOff(handoff);

    switch (outcome.kind) {
      case 'no_number':
        return {reply: speak(sayNoOrderNumber(locale)), outcome: 'no_number'};
      case 'found': {
        const verified = shop.verification === 'caller_phone' && samePhone(outcome.order, event.context.caller_phone);
        // The number as the shop writes it ("ORD-12345"): what the caller reads on the receipt.
        const say = renderOrderStatus(outcome.order, {
          locale, timeZone: outcome.timeZone, now: at, spokenName: outcome.order.name, verified, canTransfer,
        });
        return {reply: speak(say), outcome: outcome.stale ? 'found_stale' : 'found'};
      }
      case 'not_found':
        return {reply: speak(sayNotFound(locale, {spokenName: outcome.key, canTransfer})), outcome: 'not_found'};
      case 'budget_exceeded':
        return fallback(handoff, 'stillChecking', locale, at, 'budget_exceeded');
      case 'unavailable':
        return fallback(handoff, 'unavailable', locale, at, `unavailable_${outcome.reason}`);
      default:
        return exhaustive(outcome, locale);
    }
  };
}

/**
 * No answer for the caller: to the store phone while open, to the
 * after-hours number (saying so) outside the hours, else when the team is
 * back (or, with no phone at all, today's "try again").
 */
function fallback(handoff: Handoff, lead: Extract<HandoffLead, 'stillChecking' | 'unavailable'>, locale: Locale, now: Date, outcome: string): Answer {
  const say = lead === 'stillChecking' ? sayStillChecking : sayUnavailable;
  switch (handoff.kind) {
    case 'store':
      return {reply: transfer(say(locale, {canTransfer: true}), handoff.phone), outcome, handoff: handoff.kind};
    case 'after_hours':
      return {reply: transfer(sayAfterHoursTransfer(locale, lead), handoff.phone), outcome, handoff: handoff.kind};
    case 'closed':
      return {reply: speak(sayLeadThenTeamBack(locale, lead, {...handoff, now})), outcome, handoff: handoff.kind};
    case 'none':
      return {reply: speak(say(locale, {canTransfer: false})), outcome};
  }
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
