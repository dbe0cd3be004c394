import type {Pool, PoolClient} from 'pg';
import {withClient} from './postgres-pool.ts';

/**
 * Mutual exclusion across every instance sharing a database (one token
 * refresh per shop at a time). Optional: a storage that lives in one
 * process (SQLite) leaves it out, and the caller uses an in-process lock.
 */
export interface NamedLocks {
  /**
   * Runs `fn` while holding `key` on every instance; a second caller waits
   * until the first has finished, then runs its own `fn`, which should
   * re-read what the first one stored (the new token) before doing work.
   */
  withLock?<T>(key: string, fn: () => Promise<T>, options?: AdvisoryLockOptions): Promise<T>;
}

export interface AdvisoryLockOptions {
  /** How long to wait for a lock connection and another holder before giving up. */
  waitMs?: number;
  /** Safety net: a holder stuck longer than this loses its connection, and with it the lock. */
  holdMs?: number;
}

export class LockTimeoutError extends Error {
  constructor(key: string) {
    super(`timed out waiting for lock "${key}"`);
    this.name = 'LockTimeoutError';
  }
}

// Two-key form (namespace, hashtext(key)): apart from the migration lock's
// 64-bit key space and from other applications' locks on a shared server.
const NAMESPACE = 0x43414c4c; // "CALL"

/**
 * A transaction-scoped advisory lock held on a connection of `lockPool` for
 * the duration of `fn`. Chosen over session-level pg_try_advisory_lock:
 * the lock ends with the transaction, so it can never leak back into the
 * pool, and it ends with the connection, so a crashed instance never
 * leaves it held. Waiting (rather than trying once) lets the second
 * instance reuse the first one's result. Hash collisions between keys only
 * serialise two unrelated keys now and then.
 *
 * `lockPool` must not be the pool `fn` queries through: a holder idles on
 * its lock connection while fn needs others, so locks sharing the live
 * calls' pool could take every connection and leave fn (and every call)
 * waiting. A small pool of its own also bounds how many locks an instance
 * holds at once; further holders queue for a connection within waitMs.
 */
export async function withAdvisoryLock<T>(lockPool: Pool, key: string, fn: () => Promise<T>, options: AdvisoryLockOptions = {}): Promise<T> {
  const waitMs = Math.max(1, Math.trunc(options.waitMs ?? 10_000));
  const holdMs = Math.max(1, Math.trunc(options.holdMs ?? 60_000));
  const started = performance.now();
  const client = await connectWithin(lockPool, key, waitMs);
  return withClient(client, async () => {
    const lockWaitMs = Math.max(1, Math.trunc(waitMs - (performance.now() - started)));
    await client.query('BEGIN');
    // lock_timeout bounds the wait; the pool's statement_timeout must not cut it shorter.
    await client.query(`SET LOCAL lock_timeout = ${lockWaitMs}`);
    await client.query('SET LOCAL statement_timeout = 0');
    await client.query(`SET LOCAL idle_in_transaction_session_timeout = ${holdMs}`);
    // pg reads query_timeout per query too (untyped): the pool's client-side guard must not fire first either.
    const lock = {text: 'SELECT pg_advisory_xact_lock($1, hashtext($2))', values: [NAMESPACE, key], query_timeout: lockWaitMs + 5_000};
    try {
      await client.query(lock);
    } catch (error) {
      if ((error as {code?: string}).code === '55P03') throw new LockTimeoutError(key);
      throw error;
    }
    const result = await fn();
    // Fails only if the session ended while fn ran (holdMs, or the connection died): the lock was lost, say so.
    await client.query('COMMIT');
    return result;
  });
}

/** A lock connection within waitMs, or LockTimeoutError: every lock connection busy counts as waiting for the lock. */
async function connectWithin(pool: Pool, key: string, waitMs: number): Promise<PoolClient> {
  let timer: NodeJS.Timeout | undefined;
  const connecting = pool.connect();
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), waitMs);
  });
  try {
    const client = await Promise.race([connecting, timeout]);
    if (client) return client;
  } finally {
    clearTimeout(timer);
  }
  // Still queued in the pool: hand the connection straight back whenever it comes.
  connecting.then((late) => late.release(), () => {});
  throw new LockTimeoutError(key);
}
