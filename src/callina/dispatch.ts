import {sayAfterHoursTransfer, sayLeadThenTeamBack} from '../speech/hours-phrases.ts';
import {phrase} from '../speech/phrases.ts';
import type {Storage} from '../storage/storage.ts';
import type {ActionHandler, CallContext, EventHandler} from './call-context.ts';
import type {EventName} from './events.ts';
import {handoffFor, type Handoff} from './handoff.ts';
import {intentHandler, toolHandler} from './handlers/action.ts';
import {escalationHandler} from './handlers/escalation.ts';
import {silenceHandler} from './handlers/silence.ts';
import {speak, transfer, type Answer} from './reply.ts';

export type HandlerTable = {[E in EventName]: EventHandler<E>};

/** Every event Callina defines has a handler: a forgotten one is a compile error. */
export function createHandlerTable(deps: {storage: Storage; actions: Readonly<Record<string, ActionHandler>>; now?: () => Date}): HandlerTable {
  return {
    'intent.detected': intentHandler(deps.actions),
    'tool.invoked': toolHandler(deps.actions),
    'escalation.requested': escalationHandler(deps.storage, deps.now),
    'silence.detected': silenceHandler(deps.storage),
  };
}

/** Once a call got this far, a failure becomes words for the caller, never a 5xx. */
export async function dispatch<E extends EventName>(table: HandlerTable, call: CallContext<E>, now: () => Date = () => new Date()): Promise<Answer> {
  try {
    const handler = table[call.event.event as E] as EventHandler<E>;
    return await handler(call);
  } catch (error) {
    call.log.error({err: error, event: call.event.event}, 'handler failed; apologising to the caller');
    const at = now();
    const handoff = handoffFor(call.shop, at);
    return {reply: apology(handoff, call.locale, at, call.shop.contactHint), outcome: 'handler_error', handoff: handoff.kind};
  }
}

/** Sorry, then a person if one is there now, else when the team is back (and the shop's contact hint). */
function apology(handoff: Handoff, locale: CallContext['locale'], now: Date, contactHint: string | null) {
  switch (handoff.kind) {
    case 'store':
      return transfer(phrase(locale, 'apologyTransfer'), handoff.phone);
    case 'after_hours':
      return transfer(sayAfterHoursTransfer(locale, 'apology'), handoff.phone);
    case 'closed':
      return speak(sayLeadThenTeamBack(locale, 'apology', {...handoff, now}, contactHint));
    case 'none':
      return speak(phrase(locale, 'apology'));
  }
}

