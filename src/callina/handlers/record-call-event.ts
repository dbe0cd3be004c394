import type {Logger} from '../../log.ts';
import {BUDGET_EXCEEDED, withinBudget} from '../../orders/budget.ts';
import type {NewCallEvent, Storage} from '../../storage/storage.ts';

/**
 * Records a silence or escalation for the merchant's list without letting
 * storage change what the caller hears: the write may take at most the
 * call's budget, and a failure is logged, never spoken. A write still
 * running at the deadline goes on and lands late. A failed write is tried
 * once more (a connection killed mid-insert, a failover): recording is
 * idempotent, so the event is stored at most once either way. True when it
 * is stored within the budget.
 */
export async function recordWithinBudget(storage: Storage, event: NewCallEvent, call: {deadline: number; log: Logger}): Promise<boolean> {
  const write = storage.recordCallEvent(event).catch((error: unknown) => {
    call.log.warn({err: error, kind: event.kind}, 'recording the call event failed; writing it once more');
    return storage.recordCallEvent(event);
  }).then(
    () => true,
    (error: unknown) => {
      call.log.error({err: error, kind: event.kind}, 'could not record the call event; the caller was answered anyway');
      return false;
    },
  );
  const stored = await withinBudget(write, call.deadline);
  if (stored !== BUDGET_EXCEEDED) return stored;
  call.log.warn({kind: event.kind}, 'recording the call event outlasted the budget; it goes on in the background');
  return false;
}
