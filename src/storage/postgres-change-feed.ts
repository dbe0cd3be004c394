import pg from 'pg';
import type {Logger} from '../log.ts';
import {changeSchema, Listeners, type Change, type ChangeFeed} from './change-feed.ts';
import {createPostgresPool} from './postgres-pool.ts';

/** NOTIFY reaches every session of the same database that LISTENs here. */
export const CHANGE_CHANNEL = 'callina_changes';

export interface PostgresChangeFeedOptions {
  url: string;
  log?: Logger;
  /** Names the listening connection in pg_stat_activity (the publisher gets "-publish" appended). */
  /** Shown in pg_stat_activity; defaults name the instance by its pid. */
  applicationName?: string;
  /** How often the idle listening connection is checked: a half-open TCP connection looks alive for hours. */
  heartbeatMs?: number;
  /** Reconnect delay: starts here, doubles per failed attempt up to retryMaxMs, with jitter. */
  retryMinMs?: number;
  retryMaxMs?: number;
}

/** Resolves once listening: an instance that never heard a change must not start serving from caches. */
export async function openPostgresChangeFeed(options: PostgresChangeFeedOptions): Promise<ChangeFeed> {
  const feed = new PostgresChangeFeed(options);
  try {
    await feed.listen();
  } catch (error) {
    await feed.close();
    throw error;
  }
  return feed;
}

/**
 * LISTEN on one dedicated connection (a pooled one would be handed to other
 * queries and stop listening); NOTIFY through a tiny pool of its own, so
 * publishing works while the listener reconnects. Notifications sent while
 * the listener is down are lost for good, hence the resets.
 */
class PostgresChangeFeed implements ChangeFeed {
  readonly #options: PostgresChangeFeedOptions;
  readonly #log: Logger | undefined;
  readonly #publisher: pg.Pool;
  readonly #changes: Listeners<Change>;
  readonly #resets: Listeners<void>;
  #client: pg.Client | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #retry: NodeJS.Timeout | undefined;
  #failures = 0;
  #closed = false;

  constructor(options: PostgresChangeFeedOptions) {
    this.#options = options;
    this.#log = options.log;
    this.#changes = new Listeners(options.log);
    this.#resets = new Listeners(options.log);
    this.#publisher = createPostgresPool({
      url: options.url,
      log: options.log,
      poolSize: 2,
      statementTimeoutMs: 5_000,
      applicationName: `${options.applicationName ?? `callina-changes-${process.pid}`}-publish`,
    });
  }

  get listening(): boolean {
    return this.#client !== undefined;
  }

  async publish(change: Change): Promise<void> {
    const payload = JSON.stringify(changeSchema.parse(change));
    await this.#publisher.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, payload]);
  }

  subscribe(listener: (change: Change) => void): () => void {
    return this.#changes.add(listener);
  }

  onReset(listener: () => void): () => void {
    return this.#resets.add(listener);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#retry);
    clearInterval(this.#heartbeat);
    const client = this.#client;
    this.#client = undefined;
    this.#changes.clear();
    this.#resets.clear();
    await Promise.all([client?.end().catch(() => {}), this.#publisher.end()]);
  }

  /** Connects and LISTENs; throws if either fails (the caller retries). */
  async listen(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.#options.url,
      application_name: this.#options.applicationName ?? `callina-changes-${process.pid}`,
      connectionTimeoutMillis: 5_000,
      query_timeout: 5_000,
      keepAlive: true,
    });
    // Events of a client that is not (or no longer) the current one are ignored in #lost.
    client.on('error', (error) => this.#lost(client, error));
    client.on('end', () => this.#lost(client));
    client.on('notification', (message) => {
      if (message.channel === CHANGE_CHANNEL) this.#receive(message.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGE_CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
    if (this.#closed) {
      await client.end().catch(() => {});
      return;
    }
    this.#client = client;
    const heartbeatMs = this.#options.heartbeatMs ?? 15_000;
    this.#heartbeat = setInterval(() => {
      client.query('SELECT 1').catch((error: unknown) => this.#lost(client, error));
    }, heartbeatMs).unref();
  }

  #receive(payload: string | undefined): void {
    let parsed;
    try {
      parsed = changeSchema.safeParse(JSON.parse(payload ?? ''));
    } catch {
      parsed = undefined;
    }
    if (!parsed?.success) {
      // Anyone with access to the database can NOTIFY this channel: never trust the shape.
      this.#log?.warn({channel: CHANGE_CHANNEL, length: payload?.length ?? 0}, 'ignored a malformed change notification');
      return;
    }
    this.#changes.emit(parsed.data);
  }

  #lost(client: pg.Client, error?: unknown): void {
    if (client !== this.#client) return;
    this.#client = undefined;
    clearInterval(this.#heartbeat);
    void client.end().catch(() => {});
    this.#log?.warn({err: error}, 'change feed connection lost: dropping caches and reconnecting');
    this.#resets.emit();
    this.#scheduleRetry();
  }

  #scheduleRetry(): void {
    if (this.#closed) return;
    const min = this.#options.retryMinMs ?? 100;
    const base = Math.min(this.#options.retryMaxMs ?? 5_000, min * 2 ** this.#failures);
    // Jitter, so instances that lost the database together do not return in lockstep.
    const delay = base / 2 + (Math.random() * base) / 2;
    this.#retry = setTimeout(() => void this.#reconnect(), delay).unref();
  }

  async #reconnect(): Promise<void> {
    this.#retry = undefined;
    try {
      await this.listen();
    } catch (error) {
      this.#failures++;
      this.#log?.warn({err: error, attempt: this.#failures}, 'change feed reconnect failed');
      this.#scheduleRetry();
      return;
    }
    if (this.#closed) return;
    this.#failures = 0;
    this.#log?.info('change feed listening again: dropping caches once more');
    this.#resets.emit();
  }
}
