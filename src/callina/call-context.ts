import type {Logger} from '../log.ts';
import type {Locale} from '../speech/locale.ts';
import type {ShopRecord} from '../storage/storage.ts';
import type {CallinaEvent, EventName} from './events.ts';
import type {Answer} from './reply.ts';

/** Everything a handler knows about the call it answers. */
export interface CallContext<E extends EventName = EventName> {
  event: CallinaEvent<E>;
  shop: ShopRecord;
  locale: Locale;
  /** performance.now() by which the answer must leave (request arrival + budget). */
  deadline: number;
  log: Logger;
}

export type EventHandler<E extends EventName> = (call: CallContext<E>) => Promise<Answer>;

/** Handles one intent or tool (e.g. lookup_order), whichever way Anna asked. */
export type ActionHandler = (call: CallContext<'intent.detected' | 'tool.invoked'>) => Promise<Answer>;
