import {phrase, sayNoTransfer} from '../../speech/phrases.ts';
import {sayAfterHoursTransfer, sayClosedNow} from '../../speech/hours-phrases.ts';
import type {Locale} from '../../speech/locale.ts';
import type {ShopRecord, Storage} from '../../storage/storage.ts';
import type {EventHandler} from '../call-context.ts';
import {ESCALATION_RESULT, handoffFor, type Handoff} from '../handoff.ts';
import {speak, transfer, type Answer} from '../reply.ts';
import {recordWithinBudget} from './record-call-event.ts';

/**
 * The caller wants a human: the store phone while the shop is open, the
 * after-hours number outside its hours, else when the team is back —
 * never a transfer to nowhere. Where the caller went is recorded.
 */
export function escalationHandler(storage: Storage, now: () => Date = () => new Date()): EventHandler<'escalation.requested'> {
  return async ({event, shop, locale, deadline, log}) => {
    const at = now();
    const handoff = handoffFor(shop, at);
    // The caller asked for a person: what storage does must not change what they hear.
    await recordWithinBudget(storage, {
      shop: shop.shop,
      callId: event.call_id,
      kind: 'escalation',
      occurredAt: new Date(event.occurred_at),
      silenceMs: null,
      reason: event.reason ?? null,
      callerPhone: event.context.caller_phone ?? null,
      result: ESCALATION_RESULT[handoff.kind],
    }, {deadline, log});
    return escalationAnswer(handoff, shop, locale, at);
  };
}

function escalationAnswer(handoff: Handoff, shop: ShopRecord, locale: Locale, now: Date): Answer {
  switch (handoff.kind) {
    case 'store':
      return {reply: transfer(phrase(locale, 'transfer'), handoff.phone), outcome: 'transfer', handoff: handoff.kind};
    case 'after_hours':
      return {reply: transfer(sayAfterHoursTransfer(locale), handoff.phone), outcome: 'after_hours_transfer', handoff: handoff.kind};
    case 'closed':
      return {reply: speak(sayClosedNow(locale, {...handoff, now}, shop.contactHint)), outcome: 'closed', handoff: handoff.kind};
    case 'none':
      return {reply: speak(sayNoTransfer(locale, shop)), outcome: 'no_store_phone', handoff: handoff.kind};
  }
}
