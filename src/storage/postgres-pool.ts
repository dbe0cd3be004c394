import pg, {type PoolClient} from 'pg';
import type {Logger} from '../log.ts';

export interface PostgresPoolOptions {
  url: string;
  log?: Logger;
  /** Connections in this pool. At least 2, so one slow statement never stalls everything behind it. */
  poolSize?: number;
  /** How long a query may wait for a free connection (0: no limit, for pools whose callers bound the wait). */
  connectionTimeoutMs?: number;
  /** Server-side cap on one statement; a live call must never wait on a runaway query. */
  statementTimeoutMs?: number;
  applicationName?: string;
}

export function createPostgresPool(options: PostgresPoolOptions): pg.Pool {
  const poolSize = options.poolSize ?? 10;
  if (!Number.isInteger(poolSize) || poolSize < 2) throw new Error('PostgreSQL pool size must be an integer of at least 2');
  const statementTimeout = options.statementTimeoutMs ?? 10_000;
  const pool = new pg.Pool({
    connectionString: options.url,
    max: poolSize,
    // A live call stops waiting at its budget anyway; this bounds how long an abandoned query stays queued.
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
    idleTimeoutMillis: 30_000,
    statement_timeout: statementTimeout,
    // Client-side guard for when the server cannot even answer (network black hole).
    query_timeout: statementTimeout + 5_000,
    keepAlive: true,
    application_name: options.applicationName ?? `callina-${process.pid}`,
  });
  // An idle connection dropped by the server emits here; unhandled, it would kill the process.
  pool.on('error', (error) => options.log?.warn({err: error}, 'idle PostgreSQL connection lost; the pool replaces it'));
  return pool;
}

/**
 * Holds a checked-out connection across several statements, then releases
 * it. pg-pool takes its error listener off a checked-out client; without
 * ours, a connection dropped between statements would crash the process.
 * After a failure the connection is discarded, never returned mid-transaction.
 */
export async function withClient<T>(client: PoolClient, work: () => Promise<T>): Promise<T> {
  let broken: Error | undefined;
  const onError = (error: Error) => {
    broken = error;
  };
  client.on('error', onError);
  try {
    return await work();
  } catch (error) {
    broken ??= error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    client.removeListener('error', onError);
    client.release(broken);
  }
}
