import type {OrderLookup} from '../../orders/order-lookup.ts';
import type {OrderStatus} from '../../orders/order-status.ts';
import {
  renderOrderStatus,
  sayNoOrderNumber,
  sayNotFound,
  sayReconnectNeeded,
  sayStillChecking,
  sayUnavailable,
} from '../../speech/render-order.ts';
import {sayAfterHoursTransfer, sayLeadThenTeamBack, type HandoffLead} from '../../speech/hours-phrases.ts';
import type {Locale} from '../../speech/locale.ts';
import type {ActionHandler} from '../call-context.ts';
import {canHandOff, handoffFor, type Handoff} from '../handoff.ts';
import {speak, transfer, type Answer} from '../reply.ts';

/**
 * Failures waiting will not fix: the shop must reconnect the app (or
 * Shopify refuses the shop). The caller is not told to try again later.
 */
export const NEEDS_THE_MERCHANT: ReadonlySet<string> = new Set([
  'no_token', 'needs_reconnect', 'unauthorized', 'forbidden', 'access_denied', 'shop_unavailable',
]);

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
        const say = renderOrderStatus(outcome.order, {
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
        return fallback(handoff, 'stillChecking', sayStillChecking, shop.contactHint, locale, at, 'budget_exceeded');
      case 'unavailable': {
        const say = NEEDS_THE_MERCHANT.has(outcome.reason) ? sayReconnectNeeded : sayUnavailable;
        return fallback(handoff, 'unavailable', say, shop.contactHint, locale, at, `unavailable_${outcome.reason}`);
      }
      default:
        return exhaustive(outcome, locale);
    }
  };
}

/**
 * No answer for the caller: to the store phone while open, to the
 * after-hours number (saying so) outside the hours, else when the team is
 * back (or, with no phone at all, the sentence alone with the contact hint).
 * Shared with lookups by caller ID (caller-orders.ts).
 */
export function fallback(
  handoff: Handoff,
  lead: Extract<HandoffLead, 'stillChecking' | 'unavailable'>,
  say: (locale: Locale, o: {canTransfer: boolean; contactHint: string | null}) => string,
  contactHint: string | null,
  locale: Locale,
  now: Date,
  outcome: string,
): Answer {
  switch (handoff.kind) {
    case 'store':
      return {reply: transfer(say(locale, {canTransfer: true, contactHint}), handoff.phone), outcome, handoff: handoff.kind};
    case 'after_hours':
      return {reply: transfer(sayAfterHoursTransfer(locale, lead), handoff.phone), outcome, handoff: handoff.kind};
    case 'closed':
      return {reply: speak(sayLeadThenTeamBack(locale, lead, {...handoff, now}, contactHint)), outcome, handoff: handoff.kind};
    case 'none':
      return {reply: speak(say(locale, {canTransfer: false, contactHint})), outcome};
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
