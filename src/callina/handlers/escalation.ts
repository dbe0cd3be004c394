import {phrase, sayNoTransfer} from '../../speech/phrases.ts';
import type {Storage} from '../../storage/storage.ts';
import type {EventHandler} from '../call-context.ts';
import {speak, transfer} from '../reply.ts';
import {recordWithinBudget} from './record-call-event.ts';

/** The caller wants a human: hand over the store phone, never a transfer to nowhere. */
export function escalationHandler(storage: Storage): EventHandler<'escalation.requested'> {
  return async ({event, shop, locale, deadline, log}) => {
    // The caller asked for a person: what storage does must not change what they hear.
    await recordWithinBudget(storage, {
      shop: shop.shop,
      callId: event.call_id,
      kind: 'escalation',
      occurredAt: new Date(event.occurred_at),
      silenceMs: null,
      reason: event.reason ?? null,
      callerPhone: event.context.caller_phone ?? null,
    }, {deadline, log});
    return shop.storePhone
      ? {reply: transfer(phrase(locale, 'transfer'), shop.storePhone), outcome: 'transfer'}
      : {reply: speak(sayNoTransfer(locale, shop)), outcome: 'no_store_phone'};
  };
}
