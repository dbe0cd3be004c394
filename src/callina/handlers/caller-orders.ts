import {callerKeyFrom, relevantOrders, type CallerLookup} from '../../orders/caller-lookup.ts';
import {sayCallerOrders} from '../../speech/caller-lookup-phrases.ts';
import {sayNoOrderNumber, sayReconnectNeeded, sayStillChecking, sayUnavailable} from '../../speech/render-order.ts';
import type {ActionHandler} from '../call-context.ts';
import {canHandOff, handoffFor} from '../handoff.ts';
import {speak, type Answer} from '../reply.ts';
import {fallback, NEEDS_THE_MERCHANT} from './lookup-order.ts';

/**
 * lookup_order without a usable order number: find the caller's orders by
 * the e-mail they said or the number they call from, and either speak the
 * one current order, offer a short choice, or ask for the number. Where
 * the shop turned this off, or Shopify withholds customer data, Anna simply
 * asks for the number: the call goes on either way. When Shopify fails,
 * the caller goes where a number lookup's caller would: by business hours.
 */
export function callerOrdersHandler(lookup: Pick<CallerLookup, 'lookup'>, now: () => Date = () => new Date()): ActionHandler {
  return async ({event, shop, locale, deadline}) => {
    const askForNumber = (outcome: string): Answer => ({reply: speak(sayNoOrderNumber(locale)), outcome});
    if (shop.callerLookup === 'off') return askForNumber('no_number');
    const key = callerKeyFrom(event.params, event.context);
    if (!key) return askForNumber('no_number');

    const outcome = await lookup.lookup(shop, key, deadline);
    // Asked after the lookup: the budget may have run into closing time.
    const at = now();
    const handoff = handoffFor(shop, at);
    const canTransfer = canHandOff(handoff);
    switch (outcome.kind) {
      case 'orders': {
        const orders = relevantOrders(outcome.orders, at);
        const source = 'phone' in key ? 'phone' : 'email';
        const say = sayCallerOrders(orders, {locale, timeZone: outcome.timeZone, now: at, source, canTransfer});
        const found = orders.length === 0 ? 'caller_none' : orders.length === 1 ? 'caller_found' : 'caller_choice';
        return {reply: speak(say), outcome: outcome.stale && orders.length > 0 ? `${found}_stale` : found};
      }
      case 'not_granted':
        return askForNumber('caller_not_granted');
      case 'query_failed':
        return askForNumber(`caller_${outcome.reason}`);
      case 'budget_exceeded':
        return fallback(handoff, 'stillChecking', sayStillChecking, shop.contactHint, locale, at, 'budget_exceeded');
      case 'unavailable': {
        const say = NEEDS_THE_MERCHANT.has(outcome.reason) ? sayReconnectNeeded : sayUnavailable;
        return fallback(handoff, 'unavailable', say, shop.contactHint, locale, at, `unavailable_${outcome.reason}`);
      }
    }
  };
}
