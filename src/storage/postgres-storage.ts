import pg, {type Pool} from 'pg';
import {canonicalPhone} from '../caller-phone.ts';
import {maskPhone, type Logger} from '../log.ts';
import {withAdvisoryLock, type AdvisoryLockOptions, type NamedLocks} from './advisory-lock.ts';
import type {Cipher} from './cipher.ts';
import {migratePostgres} from './postgres-migrations.ts';
import {createPostgresPool} from './postgres-pool.ts';
import {callEventFromRow, mergeIncrements, REPORT_COLUMNS, reportDayFromRow, sessionFromRow, shopFromRow, shopPatchColumns} from './rows.ts';
import {
  CALL_EVENT_KINDS,
  REPORT_COUNTERS,
  ShopExistsError,
  type CallEvent,
  type CallEventKind,
  type CallEventQuery,
  type NewCallEvent,
  type NewShop,
  type ReportDay,
  type ReportIncrement,
  type ShopPatch,
  type ShopRecord,
  type Storage,
  type StoredSession,
  type WebhookDelivery,
} from './storage.ts';

const KEY_CHECK = 'callina-key-check';

/** BIGINT columns arrive as strings from pg; ours are epoch milliseconds, far below 2^53. */
interface ShopRow {
  shop: string;
  hook_id: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: string | null;
  store_phone: string | null;
  default_language: ShopRecord['defaultLanguage'];
  verification: ShopRecord['verification'];
  contact_hint: string | null;
  time_zone: string | null;
  order_name_prefix: string | null;
  order_name_suffix: string | null;
  access_token: string | null;
  connection: ShopRecord['connection'];
  caller_lookup: ShopRecord['callerLookup'];
  customer_access: ShopRecord['customerAccess'];
  business_hours: string | null;
  closed_dates: string | null;
  after_hours_phone: string | null;
  installed_at: string;
  updated_at: string;
}

interface CallEventRow {
  shop: string;
  call_id: string;
  kind: CallEventKind;
  occurred_at: string;
  silence_ms: number | null;
  reason: string | null;
  caller_phone_masked: string | null;
  result: string | null;
}

interface SessionRow {
  id: string;
  shop: string;
  state: string;
  is_online: boolean;
  scope: string | null;
  expires: string | null;
  access_token: string | null;
  refresh_token: string | null;
  refresh_token_expires: string | null;
  user_id: string | null;
}

export interface PostgresStorageOptions {
  url: string;
  cipher: Cipher;
  log?: Logger;
  poolSize?: number;
  statementTimeoutMs?: number;
}

/**
 * Named locks (token refreshes) held at once per instance, each on a
 * connection of its own next to the pool, so holders never take the
 * connections live calls and the holders' own queries need.
 */
export const LOCK_CONNECTIONS = 2;

/** Migrates under an advisory lock, checks the key, then opens the pools; fails loudly on any of them. */
export async function openPostgresStorage(options: PostgresStorageOptions): Promise<PostgresStorage> {
  await prepare(options);
  const locks = createPostgresPool({
    url: options.url,
    log: options.log,
    poolSize: LOCK_CONNECTIONS,
    // withAdvisoryLock bounds the wait for a lock connection itself (its waitMs).
    connectionTimeoutMs: 0,
    applicationName: `callina-locks-${process.pid}`,
  });
  return new PostgresStorage(createPostgresPool(options), options.cipher, locks);
}

/**
 * On a connection of its own, not the pool's: a migration on a big table, or
 * the wait for another instance's, may take minutes, far past the
 * per-statement limits live calls need. Ending the connection on failure
 * rolls everything back.
 */
async function prepare(options: PostgresStorageOptions): Promise<void> {
  const client = new pg.Client({
    connectionString: options.url,
    application_name: 'callina-migrate',
    connectionTimeoutMillis: 5_000,
    statement_timeout: 5 * 60_000,
  });
  client.on('error', () => {}); // a dropped connection also fails the pending query, which reports it
  await client.connect();
  try {
    await client.query('BEGIN');
    await migratePostgres(client, options.log);
    await checkKey(client, options.cipher);
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
}

/** A wrong ENCRYPTION_KEY must stop boot, not surface later as failed calls. Runs under the migration lock. */
async function checkKey(client: pg.ClientBase, cipher: Cipher): Promise<void> {
  const {rows} = await client.query<{value: string}>(`SELECT value FROM meta WHERE key = 'key_check'`);
  if (rows[0]) {
    if (cipher.decrypt(rows[0].value) !== KEY_CHECK) throw new Error('encryption key check failed');
    return;
  }
  await client.query(`INSERT INTO meta (key, value) VALUES ('key_check', $1)`, [cipher.encrypt(KEY_CHECK)]);
}

/**
 * Storage on a shared PostgreSQL for several instances. Same semantics as
 * SqliteStorage; every method is one statement, so each is atomic on its own.
 */
export class PostgresStorage implements Storage, NamedLocks {
  readonly kind = 'postgres';
  readonly #pool: Pool;
  readonly #lockPool: Pool;
  readonly #cipher: Cipher;
  #closed = false;
  /** This instance's own shop writes, counted once they are committed. */
  #shopWrites = 0;

  constructor(pool: Pool, cipher: Cipher, lockPool: Pool) {
    this.#pool = pool;
    this.#cipher = cipher;
    this.#lockPool = lockPool;
  }

  #toShop = (r: ShopRow): ShopRecord => shopFromRow({...r}, this.#cipher);

  async #shop(sql: string, values: unknown[]): Promise<ShopRecord | undefined> {
    const {rows} = await this.#pool.query<ShopRow>(sql, values);
    return rows[0] && this.#toShop(rows[0]);
  }

  /** A write to shops, counted after it ran (even if it failed: a needless cache drop is harmless). */
  async #shopWrite<T>(write: Promise<T>): Promise<T> {
    try {
      return await write;
    } finally {
      this.#shopWrites++;
    }
  }

  /**
   * Other instances' writes (and the CLI's) reach the shop cache through
   * the change feed; this instance's own writes must not wait for their
   * notification to come back: the next call after a saved setting, a
   * stored token or a rotated secret sees it.
   */
  shopsVersion(): number {
    return this.#shopWrites;
  }

  async ping(): Promise<void> {
    await this.#pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([this.#pool.end(), this.#lockPool.end()]);
  }

  withLock<T>(key: string, fn: () => Promise<T>, options?: AdvisoryLockOptions): Promise<T> {
    return withAdvisoryLock(this.#lockPool, key, fn, options);
  }

  async createShop(input: NewShop): Promise<ShopRecord> {
    const now = Date.now();
    try {
      return (await this.#shopWrite(this.#shop(
        `INSERT INTO shops (shop, hook_id, secret, store_phone, default_language, verification, contact_hint, time_zone, access_token, installed_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING *`,
        [
          input.shop,
          input.hookId,
          this.#cipher.encrypt(input.secret),
          input.storePhone ?? null,
          input.defaultLanguage ?? null,
          input.verification ?? 'none',
          input.contactHint ?? null,
          input.timeZone ?? null,
          input.accessToken == null ? null : this.#cipher.encrypt(input.accessToken),
          now,
        ],
      )))!;
    } catch (error) {
      const e = error as {code?: string; constraint?: string};
      if (e.code === '23505' && e.constraint === 'shops_pkey') throw new ShopExistsError(input.shop);
      throw error;
    }
  }

  getShop(shop: string): Promise<ShopRecord | undefined> {
    return this.#shop('SELECT * FROM shops WHERE shop = $1', [shop]);
  }

  getShopByHookId(hookId: string): Promise<ShopRecord | undefined> {
    return this.#shop('SELECT * FROM shops WHERE hook_id = $1', [hookId]);
  }

  async listShops(): Promise<ShopRecord[]> {
    // COLLATE "C": byte order, as SQLite sorts, whatever the database's locale.
    const {rows} = await this.#pool.query<ShopRow>('SELECT * FROM shops ORDER BY shop COLLATE "C"');
    return rows.map(this.#toShop);
  }

  updateShop(shop: string, patch: ShopPatch): Promise<ShopRecord | undefined> {
    const {columns, values} = shopPatchColumns(patch, this.#cipher);
    const sets = columns.map((c, i) => `${c} = $${i + 3}`);
    return this.#shopWrite(this.#shop(`UPDATE shops SET ${['updated_at = $2', ...sets].join(', ')} WHERE shop = $1 RETURNING *`, [shop, Date.now(), ...values]));
  }

  rotateSecret(shop: string, secret: string, previousExpiresAt: Date): Promise<ShopRecord | undefined> {
    // One UPDATE: the right-hand `secret` is the row's value before this statement.
    return this.#shopWrite(this.#shop(
      `UPDATE shops SET previous_secret = secret, previous_secret_expires_at = $2, secret = $3, updated_at = $4
       WHERE shop = $1 RETURNING *`,
      [shop, previousExpiresAt.getTime(), this.#cipher.encrypt(secret), Date.now()],
    ));
  }

  async deleteShop(shop: string): Promise<boolean> {
    // call_events go with the shop through ON DELETE CASCADE; sessions may exist without a shop row.
    const {rowCount} = await this.#shopWrite(this.#pool.query(
      'WITH sessions AS (DELETE FROM shopify_sessions WHERE shop = $1) DELETE FROM shops WHERE shop = $1',
      [shop],
    ));
    return (rowCount ?? 0) > 0;
  }

  /** Phones are compared in one form, so "+43 660 …", "+43660…" and "0043 660 …" are one caller. */
  #phoneHash(phone: string | null): string | null {
    const canonical = canonicalPhone(phone);
    return canonical ? this.#cipher.hash(canonical) : null;
  }

  async recordCallEvent(e: NewCallEvent): Promise<void> {
    await this.#pool.query(
      `INSERT INTO call_events (shop, call_id, kind, occurred_at, silence_ms, reason, caller_phone_hash, caller_phone_masked, result)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
      [e.shop, e.callId, e.kind, e.occurredAt.getTime(), e.silenceMs, e.reason, this.#phoneHash(e.callerPhone), maskPhone(e.callerPhone) ?? null, e.result ?? null],
    );
  }

  async listCallEvents(shop: string, options: CallEventQuery = {}): Promise<CallEvent[]> {
    const hash = options.callerPhone === undefined ? null : this.#phoneHash(options.callerPhone);
    const {rows} = await this.#pool.query<CallEventRow>(
      `SELECT shop, call_id, kind, occurred_at, silence_ms, reason, caller_phone_masked, result FROM call_events
       WHERE shop = $1 AND kind = ANY($2::text[]) AND ($3::text IS NULL OR caller_phone_hash = $3)
       ORDER BY occurred_at DESC, id DESC LIMIT $4`,
      [shop, options.kinds ?? CALL_EVENT_KINDS, hash, options.limit ?? 50],
    );
    return rows.map((r) => callEventFromRow({...r}));
  }

  async deleteCallEventsByPhone(shop: string, callerPhone: string): Promise<number> {
    const hash = this.#phoneHash(callerPhone);
    if (!hash) return 0;
    const {rowCount} = await this.#pool.query('DELETE FROM call_events WHERE shop = $1 AND caller_phone_hash = $2', [shop, hash]);
    return rowCount ?? 0;
  }

  async deleteCallEventsBefore(cutoff: Date): Promise<number> {
    const {rowCount} = await this.#pool.query('DELETE FROM call_events WHERE occurred_at < $1', [cutoff.getTime()]);
    return rowCount ?? 0;
  }

  async addToReport(increments: readonly ReportIncrement[]): Promise<void> {
    const rows = mergeIncrements(increments);
    if (rows.length === 0) return;
    const columns = REPORT_COUNTERS.map((c) => REPORT_COLUMNS[c]);
    // One statement for the whole batch: arrays in, one upsert per shop and day.
    await this.#pool.query(
      `INSERT INTO call_report (shop, day, ${columns.join(', ')})
       SELECT i.* FROM unnest($1::text[], $2::text[], ${columns.map((_, n) => `$${n + 3}::int[]`).join(', ')}) AS i(shop, day, ${columns.join(', ')})
       WHERE EXISTS (SELECT 1 FROM shops s WHERE s.shop = i.shop)
       ON CONFLICT (shop, day) DO UPDATE SET ${columns.map((c) => `${c} = call_report.${c} + EXCLUDED.${c}`).join(', ')}`,
      [rows.map((r) => r.shop), rows.map((r) => r.day), ...columns.map((_, n) => rows.map((r) => r.counts[n]))],
    );
  }

  async getReport(shop: string, fromDay: string, toDay: string): Promise<ReportDay[]> {
    const {rows} = await this.#pool.query('SELECT * FROM call_report WHERE shop = $1 AND day >= $2 AND day <= $3 ORDER BY day', [shop, fromDay, toDay]);
    return rows.map(reportDayFromRow);
  }

  async deleteReportBefore(day: string): Promise<number> {
    const {rowCount} = await this.#pool.query('DELETE FROM call_report WHERE day < $1', [day]);
    return rowCount ?? 0;
  }

  #toSession = (r: SessionRow): StoredSession => sessionFromRow({...r}, this.#cipher);

  async storeSession(s: StoredSession): Promise<void> {
    const secret = (v: string | null) => (v == null ? null : this.#cipher.encrypt(v));
    await this.#pool.query(
      `INSERT INTO shopify_sessions (id, shop, state, is_online, scope, expires, access_token, refresh_token, refresh_token_expires, user_id, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (id) DO UPDATE SET shop = EXCLUDED.shop, state = EXCLUDED.state, is_online = EXCLUDED.is_online,
         scope = EXCLUDED.scope, expires = EXCLUDED.expires, access_token = EXCLUDED.access_token,
         refresh_token = EXCLUDED.refresh_token, refresh_token_expires = EXCLUDED.refresh_token_expires,
         user_id = EXCLUDED.user_id, updated_at = EXCLUDED.updated_at`,
      [
        s.id, s.shop, s.state, s.isOnline, s.scope, s.expires?.getTime() ?? null,
        secret(s.accessToken), secret(s.refreshToken), s.refreshTokenExpires?.getTime() ?? null, s.userId, Date.now(),
      ],
    );
  }

  async loadSession(id: string): Promise<StoredSession | undefined> {
    const {rows} = await this.#pool.query<SessionRow>('SELECT * FROM shopify_sessions WHERE id = $1', [id]);
    return rows[0] && this.#toSession(rows[0]);
  }

  async deleteSessions(ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const {rowCount} = await this.#pool.query('DELETE FROM shopify_sessions WHERE id = ANY($1::text[])', [ids]);
    return rowCount ?? 0;
  }

  async findSessionsByShop(shop: string): Promise<StoredSession[]> {
    const {rows} = await this.#pool.query<SessionRow>('SELECT * FROM shopify_sessions WHERE shop = $1 ORDER BY id COLLATE "C"', [shop]);
    return rows.map(this.#toSession);
  }

  async recordWebhookDelivery(d: WebhookDelivery): Promise<boolean> {
    const {rowCount} = await this.#pool.query(
      'INSERT INTO shopify_webhook_deliveries (webhook_id, shop, topic, received_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
      [d.webhookId, d.shop, d.topic, d.receivedAt.getTime()],
    );
    return rowCount === 1;
  }

  async forgetWebhookDelivery(webhookId: string): Promise<void> {
    await this.#pool.query('DELETE FROM shopify_webhook_deliveries WHERE webhook_id = $1', [webhookId]);
  }

  async deleteWebhookDeliveriesBefore(cutoff: Date): Promise<number> {
    const {rowCount} = await this.#pool.query('DELETE FROM shopify_webhook_deliveries WHERE received_at < $1', [cutoff.getTime()]);
    return rowCount ?? 0;
  }
}
