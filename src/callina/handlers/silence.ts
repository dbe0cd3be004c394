import type {Storage} from '../../storage/storage.ts';
import type {EventHandler} from '../call-context.ts';
import {CONTINUE} from '../reply.ts';

/** The caller went quiet: remember it (abandoned calls are listed for the merchant), let Anna go on. */
export function silenceHandler(storage: Storage): EventHandler<'silence.detected'> {
  return async ({event, shop}) => {
    await storage.recordCallEvent({
      shop: shop.shop,
      callId: event.call_id,
      kind: 'silence',
      occurredAt: new Date(event.occurred_at),
      silenceMs: event.silence_ms ?? null,
      reason: null,
      callerPhone: event.context.caller_phone ?? null,
    });
    return {reply: CONTINUE, outcome: 'recorded'};
  };
}
