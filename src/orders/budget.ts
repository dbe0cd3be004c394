export const BUDGET_EXCEEDED = Symbol('budget exceeded');

/**
 * Waits for `work` until `deadline` (a performance.now() value), then
 * gives up waiting — without cancelling the work, which goes on to fill
 * the cache for Callina's retry. A late rejection is swallowed here, the
 * work's owner has logged it.
 */
export async function withinBudget<T>(work: Promise<T>, deadline: number): Promise<T | typeof BUDGET_EXCEEDED> {
  const remaining = deadline - performance.now();
  if (remaining <= 0) {
    work.catch(() => {});
    return BUDGET_EXCEEDED;
  }
  // A plain timer: aborting a timers/promises sleep would build a DOMException
  // and a rejected promise on every lookup that finishes in time.
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof BUDGET_EXCEEDED>((resolve) => {
    timer = setTimeout(resolve, remaining, BUDGET_EXCEEDED);
  });
  try {
    const result: T | typeof BUDGET_EXCEEDED = await Promise.race([work, timeout]);
    if (result === BUDGET_EXCEEDED) work.catch(() => {});
    return result;
  } finally {
    clearTimeout(timer);
  }
}

/** Time left before the deadline, in ms (never negative). */
export function remainingMs(deadline: number): number {
  return Math.max(0, deadline - performance.now());
}
