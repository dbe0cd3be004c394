import {callerKeyFrom, relevantOrders, type CallerLookup} from '../../orders/caller-lookup.ts';
import {sayCallerOrders} from '../../speech/caller-lookup-phrases.ts';
import {sayNoOrderNumber} from '../../speech/render-order.ts';
import type {ActionHandler} from '../call-context.ts';
import {canHandOff, handoffFor} from '../handoff.ts';
import {stillCheckingAnswer, unavailableAnswer} from '../lookup-fallback.ts';
import {speak, type Answer} from '../reply.ts';

/**
 * lookup_order without a usable order number: find the caller's orders by
 * the e-mail they said or the number they call from, and either speak the
 * one current order, offer a short choice, or ask for the number. Where
 * the shop turned this off, or Shopify withholds customer data, Anna simply
 * asks for the number: the call goes on either way. Where Shopify gives
 * no answer in time, the caller goes where a number lookup would send them
 * (store phone, after-hours number, or when the team is back).
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
    switch (outcome.kind) {
      case 'orders': {
        const orders = relevantOrders(outcome.orders, at);
        const source = 'phone' in key ? 'phone' : 'email';
        const say = sayCallerOrders(orders, {
          locale, timeZone: outcome.timeZone, now: at, source, canTransfer: canHandOff(handoff), contactHint: shop.contactHint, stale: outcome.stale,
        });
        const found = orders.length === 0 ? 'caller_none' : orders.length === 1 ? 'caller_found' : 'caller_choice';
        return {reply: speak(say), outcome: outcome.stale && orders.length > 0 ? `${found}_stale` : found};
      }
      case 'not_granted':
        return askForNumber('caller_not_granted');
      case 'query_failed':
        return askForNumber(`caller_${outcome.reason}`);
      case 'budget_exceeded':
        return stillCheckingAnswer({handoff, shop, locale, now: at});
      case 'unavailable':
        return unavailableAnswer({handoff, shop, locale, now: at}, outcome.reason);
    }
  };
}
