import {mkdirSync} from 'node:fs';
import {dirname} from 'node:path';
import {DatabaseSync, type SQLInputValue, type StatementSync} from 'node:sqlite';
import {DecryptionError, type Cipher} from './cipher.ts';
import {callEventFromRow, mergeIncrements, REPORT_COLUMNS, reportDayFromRow, sessionFromRow, shopFromRow, shopPatchColumns} from './rows.ts';
import {SQLITE_MIGRATIONS} from './sqlite-migrations.ts';
import {canonicalPhone} from '../caller-phone.ts';
import {maskPhone} from '../log.ts';
import {
  CALL_EVENT_KINDS,
  REPORT_COUNTERS,
  ShopExistsError,
  type CallEvent,
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

type Row = Record<string, SQLInputValue>;

const KEY_CHECK = 'callina-key-check';

/** How long a statement waits for another process's lock before "database is locked". */
const BUSY_TIMEOUT_MS = 5000;

/**
 * The cipher, or how to get one once the database has said whether it
 * already holds encrypted data (a generated key file may only be created
 * for a database that does not).
 */
export type KeySource = Cipher | ((hasEncryptedData: boolean) => Cipher);

/**
 * Storage on Node's built-in SQLite: no native build, one file, WAL so
 * readers never wait for the writer. Calls are synchronous underneath and
 * short; the async interface matches PostgreSQL's.
 */
export class SqliteStorage implements Storage {
  readonly kind = 'sqlite';
  readonly #db: DatabaseSync;
  readonly #cipher: Cipher;
  readonly #statements = new Map<string, StatementSync>();
  /** Shop writes through this connection, which `PRAGMA data_version` does not count. */
  #shopWrites = 0;
  /** This turn's reading of `PRAGMA data_version` (see shopsVersion). */
  #dataVersion: number | undefined;

  /**
   * Several processes may open one file at the same moment (the service and
   * the CLI, or a restart overlapping the old process): the busy timeout is
   * set before the first statement, and the schema and the key are read and
   * written in one write transaction, so each process sees them either
   * untouched or complete.
   */
  constructor(path: string, keys: KeySource) {
    if (path !== ':memory:') mkdirSync(dirname(path), {recursive: true});
    this.#db = new DatabaseSync(path, {timeout: BUSY_TIMEOUT_MS});
    try {
      // Switching a fresh file to WAL takes an exclusive lock that SQLite may refuse at once
      // ("database is locked") while another process does the same: both steps are safe to repeat.
      this.#cipher = whileLocked(() => {
        this.#db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;');
        return this.#transaction(() => {
          this.#migrate();
          return this.#unlock(keys);
        });
      });
    } catch (error) {
      this.#db.close();
      throw error;
    }
  }

  /** Runs inside the opening transaction. */
  #migrate(): void {
    const current = Number((this.#prepare('PRAGMA user_version').get() as Row).user_version);
    if (current >= SQLITE_MIGRATIONS.length) return;
    for (const sql of SQLITE_MIGRATIONS.slice(current)) this.#db.exec(sql);
    this.#db.exec(`PRAGMA user_version = ${SQLITE_MIGRATIONS.length}`);
  }

  /** A wrong key must stop boot, not surface later as failed calls. Runs inside the opening transaction. */
  #unlock(keys: KeySource): Cipher {
    const row = this.#prepare('SELECT value FROM meta WHERE key = ?').get('key_check') as Row | undefined;
    const cipher = typeof keys === 'function' ? keys(row !== undefined) : keys;
    if (!row) {
      this.#prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('key_check', cipher.encrypt(KEY_CHECK));
    } else if (cipher.decrypt(String(row.value)) !== KEY_CHECK) {
      throw new DecryptionError();
    }
    return cipher;
  }

  /**
   * Statements are compiled once and reused: preparing costs more than
   * running these small queries. Every SQL text here is one of a bounded
   * set (dynamic parts are column lists and placeholder counts).
   */
  #prepare(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  #transaction<T>(work: () => T): T {
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.#db.exec('COMMIT');
      return result;
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    }
  }

  #toShop = (r: Row): ShopRecord => shopFromRow(r, this.#cipher);

  async ping(): Promise<void> {
    this.#prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.#db.isOpen) this.#db.close();
  }

  /**
   * Another connection's commit (the CLI, another process) moves
   * data_version; our own writes move #shopWrites. data_version is read at
   * most once per event-loop turn: the read takes the WAL's shared-memory
   * lock (system calls, ~4 % of a warm call's CPU), and the requests parsed
   * in one turn arrived together, so one reading holds for all of them.
   */
  shopsVersion(): number {
    if (this.#dataVersion === undefined) {
      this.#dataVersion = Number((this.#prepare('PRAGMA data_version').get() as Row).data_version);
      setImmediate(() => {
        this.#dataVersion = undefined;
      });
    }
    return this.#dataVersion + this.#shopWrites;
  }

  async createShop(input: NewShop): Promise<ShopRecord> {
    const now = Date.now();
    this.#shopWrites++;
    try {
      this.#db
        .prepare(
          `INSERT INTO shops (shop, hook_id, secret, store_phone, default_language, verification, contact_hint, time_zone, access_token, installed_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
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
          now,
        );
    } catch (error) {
      if (String((error as Error).message).includes('UNIQUE constraint failed: shops.shop')) throw new ShopExistsError(input.shop);
      throw error;
    }
    return (await this.getShop(input.shop))!;
  }

  async getShop(shop: string): Promise<ShopRecord | undefined> {
    const row = this.#prepare('SELECT * FROM shops WHERE shop = ?').get(shop) as Row | undefined;
    return row && this.#toShop(row);
  }

  async getShopByHookId(hookId: string): Promise<ShopRecord | undefined> {
    const row = this.#prepare('SELECT * FROM shops WHERE hook_id = ?').get(hookId) as Row | undefined;
    return row && this.#toShop(row);
  }

  async listShops(): Promise<ShopRecord[]> {
    return (this.#prepare('SELECT * FROM shops ORDER BY shop').all() as Row[]).map(this.#toShop);
  }

  async updateShop(shop: string, patch: ShopPatch): Promise<ShopRecord | undefined> {
    const {columns, values} = shopPatchColumns(patch, this.#cipher);
    const sets = [...columns.map((c) => `${c} = ?`), 'updated_at = ?'].join(', ');
    this.#shopWrites++;
    this.#prepare(`UPDATE shops SET ${sets} WHERE shop = ?`).run(...values, Date.now(), shop);
    return this.getShop(shop);
  }

  async rotateSecret(shop: string, secret: string, previousExpiresAt: Date): Promise<ShopRecord | undefined> {
    this.#shopWrites++;
    this.#db
      .prepare(
        `UPDATE shops SET previous_secret = secret, previous_secret_expires_at = ?, secret = ?, updated_at = ? WHERE shop = ?`,
      )
      .run(previousExpiresAt.getTime(), this.#cipher.encrypt(secret), Date.now(), shop);
    return this.getShop(shop);
  }

  async deleteShop(shop: string): Promise<boolean> {
    this.#shopWrites++;
    return this.#transaction(() => {
      this.#prepare('DELETE FROM call_events WHERE shop = ?').run(shop);
      this.#prepare('DELETE FROM call_report WHERE shop = ?').run(shop);
      this.#prepare('DELETE FROM shopify_sessions WHERE shop = ?').run(shop);
      return Number(this.#prepare('DELETE FROM shops WHERE shop = ?').run(shop).changes) > 0;
    });
  }

  /** Phones are compared in one form, so "+43 660 …", "+43660…" and "0043 660 …" are one caller. */
  #phoneHash(phone: string | null): string | null {
    const canonical = canonicalPhone(phone);
    return canonical ? this.#cipher.hash(canonical) : null;
  }

  async recordCallEvent(e: NewCallEvent): Promise<void> {
    this.#db
      .prepare(
        `INSERT INTO call_events (shop, call_id, kind, occurred_at, silence_ms, reason, caller_phone_hash, caller_phone_masked, result)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      )
      .run(e.shop, e.callId, e.kind, e.occurredAt.getTime(), e.silenceMs, e.reason, this.#phoneHash(e.callerPhone), maskPhone(e.callerPhone) ?? null, e.result ?? null);
  }

  async listCallEvents(shop: string, options: CallEventQuery = {}): Promise<CallEvent[]> {
    const kinds = options.kinds ?? CALL_EVENT_KINDS;
    const hash = options.callerPhone === undefined ? null : this.#phoneHash(options.callerPhone);
    const rows = this.#db
      .prepare(
        `SELECT * FROM call_events WHERE shop = ? AND kind IN (${kinds.map(() => '?').join(', ')})
         AND (? IS NULL OR caller_phone_hash = ?) ORDER BY occurred_at DESC, id DESC LIMIT ?`,
      )
      .all(shop, ...kinds, hash, hash, options.limit ?? 50) as Row[];
    return rows.map(callEventFromRow);
  }

  async deleteCallEventsByPhone(shop: string, callerPhone: string): Promise<number> {
    const hash = this.#phoneHash(callerPhone);
    if (!hash) return 0;
    return Number(this.#prepare('DELETE FROM call_events WHERE shop = ? AND caller_phone_hash = ?').run(shop, hash).changes);
  }

  async deleteCallEventsBefore(cutoff: Date): Promise<number> {
    return Number(this.#prepare('DELETE FROM call_events WHERE occurred_at < ?').run(cutoff.getTime()).changes);
  }

  async addToReport(increments: readonly ReportIncrement[]): Promise<void> {
    const columns = REPORT_COUNTERS.map((c) => REPORT_COLUMNS[c]);
    const statement = this.#prepare(
      `INSERT INTO call_report (shop, day, ${columns.join(', ')})
       SELECT ?, ?, ${columns.map(() => '?').join(', ')} WHERE EXISTS (SELECT 1 FROM shops WHERE shop = ?)
       ON CONFLICT (shop, day) DO UPDATE SET ${columns.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`,
    );
    const rows = mergeIncrements(increments);
    if (rows.length === 0) return;
    this.#transaction(() => {
      for (const {shop, day, counts} of rows) statement.run(shop, day, ...counts, shop);
    });
  }

  async getReport(shop: string, fromDay: string, toDay: string): Promise<ReportDay[]> {
    const rows = this.#prepare('SELECT * FROM call_report WHERE shop = ? AND day >= ? AND day <= ? ORDER BY day').all(shop, fromDay, toDay) as Row[];
    return rows.map(reportDayFromRow);
  }

  async deleteReportBefore(day: string): Promise<number> {
    return Number(this.#prepare('DELETE FROM call_report WHERE day < ?').run(day).changes);
  }

  #toSession = (r: Row): StoredSession => sessionFromRow(r, this.#cipher);

  async storeSession(s: StoredSession): Promise<void> {
    const secret = (v: string | null) => (v == null ? null : this.#cipher.encrypt(v));
    this.#db
      .prepare(
        `INSERT INTO shopify_sessions (id, shop, state, is_online, scope, expires, access_token, refresh_token, refresh_token_expires, user_id, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET shop = excluded.shop, state = excluded.state, is_online = excluded.is_online,
           scope = excluded.scope, expires = excluded.expires, access_token = excluded.access_token,
           refresh_token = excluded.refresh_token, refresh_token_expires = excluded.refresh_token_expires,
           user_id = excluded.user_id, updated_at = excluded.updated_at`,
      )
      .run(
        s.id, s.shop, s.state, s.isOnline ? 1 : 0, s.scope, s.expires?.getTime() ?? null,
        secret(s.accessToken), secret(s.refreshToken), s.refreshTokenExpires?.getTime() ?? null, s.userId, Date.now(),
      );
  }

  async loadSession(id: string): Promise<StoredSession | undefined> {
    const row = this.#prepare('SELECT * FROM shopify_sessions WHERE id = ?').get(id) as Row | undefined;
    return row && this.#toSession(row);
  }

  async deleteSessions(ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const sql = `DELETE FROM shopify_sessions WHERE id IN (${ids.map(() => '?').join(', ')})`;
    return Number(this.#prepare(sql).run(...ids).changes);
  }

  async findSessionsByShop(shop: string): Promise<StoredSession[]> {
    return (this.#prepare('SELECT * FROM shopify_sessions WHERE shop = ? ORDER BY id').all(shop) as Row[]).map(this.#toSession);
  }

  async recordWebhookDelivery(d: WebhookDelivery): Promise<boolean> {
    const result = this.#db
      .prepare('INSERT INTO shopify_webhook_deliveries (webhook_id, shop, topic, received_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING')
      .run(d.webhookId, d.shop, d.topic, d.receivedAt.getTime());
    return Number(result.changes) === 1;
  }

  async forgetWebhookDelivery(webhookId: string): Promise<void> {
    this.#prepare('DELETE FROM shopify_webhook_deliveries WHERE webhook_id = ?').run(webhookId);
  }

  async deleteWebhookDeliveriesBefore(cutoff: Date): Promise<number> {
    return Number(this.#prepare('DELETE FROM shopify_webhook_deliveries WHERE received_at < ?').run(cutoff.getTime()).changes);
  }
}

/** Runs `work` again while SQLite answers "database is locked", for at most the busy timeout. */
function whileLocked<T>(work: () => T): T {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      return work();
    } catch (error) {
      if (!/database is locked/.test((error as Error).message) || Date.now() > deadline) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20); // the constructor is synchronous: sleep 20 ms
    }
  }
}
