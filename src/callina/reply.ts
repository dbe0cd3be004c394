import type {HandoffKind} from './handoff.ts';

/** What Anna does with our answer: speak `say`, then continue or transfer. */
export type Reply =
  | {say?: string; next_action: 'continue'}
  | {say: string; next_action: 'transfer'; transfer_to: string};

/** A reply plus a word for logs and metrics on how it came about ("found", "budget_fallback", …). */
export interface Answer {
  reply: Reply;
  outcome: string;
  /** Set where the caller needed a person: where they went (for the call report). */
  handoff?: HandoffKind;
}

export const CONTINUE: Reply = Object.freeze({next_action: 'continue'});

export function speak(say: string): Reply {
  return {say, next_action: 'continue'};
}

export function transfer(say: string, to: string): Reply {
  return {say, next_action: 'transfer', transfer_to: to};
}
