import type {Storage} from '../../storage/storage.ts';
import type {EventHandler} from '../call-context.ts';
import {CONTINUE} from '../reply.ts';
import {recordWithinBudget} from './record-call-event.ts';

/** The caller went quiet: remember it (abandoned calls are listed for the merchant), let Anna go on. */
export function silenceHandler(storage: Storage): EventHandler<'silence.detected'> {
  return async ({event, shop, deadline, log}) => {
    // Storage trouble is the merchant's list's problem, not the caller's: Anna just goes on.
    const recorded = await recordWithinBudget(storage, {
      shop: shop.shop,
      callId: event.call_id,
      kind: 'silence',
      occurredAt: new Date(event.occurred_at),
      silenceMs: event.silence_ms ?? null,
      reason: null,
      callerPhone: event.context.caller_phone ?? null,
    }, {deadline, log});
    return {reply: CONTINUE, outcome: recorded ? 'recorded' : 'not_recorded'};
  };
}
