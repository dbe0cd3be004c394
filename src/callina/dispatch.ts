import {phrase} from '../speech/phrases.ts';
import type {Storage} from '../storage/storage.ts';
import type {ActionHandler, CallContext, EventHandler} from './call-context.ts';
import type {EventName} from './events.ts';
import {intentHandler, toolHandler} from './handlers/action.ts';
import {escalationHandler} from './handlers/escalation.ts';
import {silenceHandler} from './handlers/silence.ts';
import {speak, transfer, type Answer} from './reply.ts';

export type HandlerTable = {[E in EventName]: EventHandler<E>};

/** Every event Callina defines has a handler: a forgotten one is a compile error. */
export function createHandlerTable(deps: {storage: Storage; actions: Readonly<Record<string, ActionHandler>>}): HandlerTable {
  return {
    'intent.detected': intentHandler(deps.actions),
    'tool.invoked': toolHandler(deps.actions),
    'escalation.requested': escalationHandler(deps.storage),
    'silence.detected': silenceHandler(deps.storage),
  };
}

/** Once a call got this far, a failure becomes words for the caller, never a 5xx. */
export async function dispatch<E extends EventName>(table: HandlerTable, call: CallContext<E>): Promise<Answer> {
  try {
    const handler = table[call.event.event as E] as EventHandler<E>;
    return await handler(call);
  } catch (error) {
    call.log.error({err: error, event: call.event.event}, 'handler failed; apologising to the caller');
    const {locale, shop} = call;
    const reply = shop.storePhone
      ? transfer(phrase(locale, 'apologyTransfer'), shop.storePhone)
      : speak(phrase(locale, 'apology'));
    return {reply, outcome: 'handler_error'};
  }
}

