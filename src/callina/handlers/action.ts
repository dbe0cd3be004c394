import type {ActionHandler, EventHandler} from '../call-context.ts';
import {CONTINUE, type Answer} from '../reply.ts';

type Actions = Readonly<Record<string, ActionHandler>>;

function run(actions: Actions, name: string | undefined, call: Parameters<ActionHandler>[0]): Promise<Answer> {
  const action = name !== undefined && Object.hasOwn(actions, name) ? actions[name] : undefined;
  return action ? action(call) : Promise.resolve({reply: CONTINUE, outcome: 'unknown_action'});
}

/**
 * intent.detected and tool.invoked are two ways of asking for the same
 * action; both go through one table. Unknown names: Anna simply continues.
 */
export function intentHandler(actions: Actions): EventHandler<'intent.detected'> {
  return (call) => run(actions, call.event.intent, call);
}

export function toolHandler(actions: Actions): EventHandler<'tool.invoked'> {
  return (call) => run(actions, call.event.tool, call);
}
