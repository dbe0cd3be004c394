import {sayAfterHoursTransfer, sayLeadThenTeamBack, type HandoffLead} from '../speech/hours-phrases.ts';
import type {Locale} from '../speech/locale.ts';
import {sayReconnectNeeded, sayStillChecking, sayUnavailable} from '../speech/render-order.ts';
import type {ShopRecord} from '../storage/storage.ts';
import type {Handoff} from './handoff.ts';
import {speak, transfer, type Answer} from './reply.ts';

/**
 * A lookup (by order number or by caller ID) with no answer for the caller:
 * to the store phone while open, to the after-hours number (saying so)
 * outside the hours, else when the team is back with the shop's contact
 * hint (or, with no phone at all, the sentence alone with the hint).
 */

/**
 * Failures waiting will not fix: the shop must reconnect the app (or
 * Shopify refuses the shop). The caller is not told to try again later.
 */
const NEEDS_THE_MERCHANT: ReadonlySet<string> = new Set([
  'no_token', 'needs_reconnect', 'unauthorized', 'forbidden', 'access_denied', 'shop_unavailable',
]);

type Say = (locale: Locale, o: {canTransfer: boolean; contactHint: string | null}) => string;

export interface FallbackCall {
  handoff: Handoff;
  shop: Pick<ShopRecord, 'contactHint'>;
  locale: Locale;
  now: Date;
}

/** Shopify was slower than the call's budget. */
export function stillCheckingAnswer(call: FallbackCall): Answer {
  return fallback(call, 'stillChecking', sayStillChecking, 'budget_exceeded');
}

/** Shopify (or the shop's connection to it) failed; `reason` says how. */
export function unavailableAnswer(call: FallbackCall, reason: string): Answer {
  return NEEDS_THE_MERCHANT.has(reason)
    ? fallback(call, 'reconnect', sayReconnectNeeded, `unavailable_${reason}`)
    : fallback(call, 'unavailable', sayUnavailable, `unavailable_${reason}`);
}

function fallback({handoff, shop, locale, now}: FallbackCall, lead: HandoffLead, say: Say, outcome: string): Answer {
  const {contactHint} = shop;
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
