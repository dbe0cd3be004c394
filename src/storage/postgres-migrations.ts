import type {ClientBase} from 'pg';
import type {Logger} from '../log.ts';

/**
 * Versioned schema for PostgreSQL, the counterpart of sqlite-migrations.ts.
 * Append only: a released migration never changes. schema_migrations holds
 * one row per applied migration. Times are BIGINT milliseconds since the
 * epoch, as in SQLite, so both implementations convert the same way.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE shops (
     shop TEXT PRIMARY KEY,
     hook_id TEXT NOT NULL UNIQUE,
     secret TEXT NOT NULL,
     previous_secret TEXT,
     previous_secret_expires_at BIGINT,
     store_phone TEXT,
     default_language TEXT CHECK (default_language IN ('de', 'en')),
     verification TEXT NOT NULL DEFAULT 'none' CHECK (verification IN ('none', 'caller_phone')),
     time_zone TEXT,
     access_token TEXT,
     connection TEXT NOT NULL DEFAULT 'ok' CHECK (connection IN ('ok', 'needs_reconnect')),
     installed_at BIGINT NOT NULL,
     updated_at BIGINT NOT NULL
   );
   CREATE TABLE call_events (
     id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     shop TEXT NOT NULL REFERENCES shops(shop) ON DELETE CASCADE,
     call_id TEXT NOT NULL,
     kind TEXT NOT NULL CHECK (kind IN ('silence', 'escalation')),
     occurred_at BIGINT NOT NULL,
     silence_ms INTEGER,
     reason TEXT,
     caller_phone_hash TEXT,
     caller_phone_masked TEXT,
     UNIQUE (shop, call_id, kind, occurred_at)
   );
   CREATE INDEX call_events_by_shop_time ON call_events (shop, occurred_at DESC);
   CREATE INDEX call_events_by_phone ON call_events (shop, caller_phone_hash);
   CREATE INDEX call_events_by_time ON call_events (occurred_at);`,
  // Shopify sessions (tokens encrypted) and the webhook ids already processed.
  `CREATE TABLE shopify_sessions (
     id TEXT PRIMARY KEY,
     shop TEXT NOT NULL,
     state TEXT NOT NULL,
     is_online BOOLEAN NOT NULL,
     scope TEXT,
     expires BIGINT,
     access_token TEXT,
     refresh_token TEXT,
     refresh_token_expires BIGINT,
     user_id BIGINT,
     updated_at BIGINT NOT NULL
   );
   CREATE INDEX shopify_sessions_by_shop ON shopify_sessions (shop);
   CREATE TABLE shopify_webhook_deliveries (
     webhook_id TEXT PRIMARY KEY,
     shop TEXT NOT NULL,
     topic TEXT NOT NULL,
     received_at BIGINT NOT NULL
   );
   CREATE INDEX shopify_webhook_deliveries_by_time ON shopify_webhook_deliveries (received_at);`,
  // Finding callers without an order number: the merchant's switch, and whether Shopify grants customer data.
  `ALTER TABLE shops ADD COLUMN caller_lookup TEXT NOT NULL DEFAULT 'on' CHECK (caller_lookup IN ('on', 'off'));
   ALTER TABLE shops ADD COLUMN customer_access TEXT NOT NULL DEFAULT 'unknown' CHECK (customer_access IN ('unknown', 'granted', 'denied'));`,
  // The shop's order-name format, learned from Shopify (null until known).
  `ALTER TABLE shops ADD COLUMN order_name_prefix TEXT, ADD COLUMN order_name_suffix TEXT;`,
  // How callers reach the team when no transfer is possible, spoken as given (issue 10).
  `ALTER TABLE shops ADD COLUMN contact_hint TEXT;`,
  // Business hours, closed dates and the after-hours number per shop; where each escalation went;
  // the merchant's call report (counters per shop and local day, no caller data).
  `ALTER TABLE shops ADD COLUMN business_hours TEXT;
   ALTER TABLE shops ADD COLUMN closed_dates TEXT;
   ALTER TABLE shops ADD COLUMN after_hours_phone TEXT;
   ALTER TABLE call_events ADD COLUMN result TEXT CHECK (result IN ('transferred', 'after_hours', 'nowhere'));
   CREATE TABLE call_report (
     shop TEXT NOT NULL REFERENCES shops(shop) ON DELETE CASCADE,
     day TEXT NOT NULL,
     orders_found INTEGER NOT NULL DEFAULT 0,
     orders_not_found INTEGER NOT NULL DEFAULT 0,
     no_number INTEGER NOT NULL DEFAULT 0,
     fallbacks INTEGER NOT NULL DEFAULT 0,
     transfers INTEGER NOT NULL DEFAULT 0,
     after_hours INTEGER NOT NULL DEFAULT 0,
     silences INTEGER NOT NULL DEFAULT 0,
     PRIMARY KEY (shop, day)
   );
   CREATE INDEX call_report_by_day ON call_report (day);`,
  // Every write to a shop, by any instance, the CLI or by hand, tells every instance (change feed): their shop caches drop it.
  `CREATE FUNCTION callina_shop_changed() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     PERFORM pg_notify('callina_changes', json_build_object('kind', 'shop_record', 'shop', CASE TG_OP WHEN 'DELETE' THEN OLD.shop ELSE NEW.shop END)::text);
     RETURN NULL;
   END $$;
   CREATE TRIGGER shops_changed AFTER INSERT OR UPDATE OR DELETE ON shops FOR EACH ROW EXECUTE FUNCTION callina_shop_changed();`,
  // The call report counts orders found without a number, by the caller's phone or e-mail (issue 11).
  `ALTER TABLE call_report ADD COLUMN found_by_caller INTEGER NOT NULL DEFAULT 0;`,
];

/**
 * Brings the schema up to date. Call inside a transaction: the
 * transaction-scoped advisory lock makes a second instance starting at the
 * same moment wait here, then find nothing left to do. The lock and the DDL
 * commit together, so a failed migration leaves no half-applied schema.
 */
export async function migratePostgres(client: ClientBase, log?: Logger): Promise<void> {
  // A 64-bit key; named locks (advisory-lock.ts) use the separate two-key space.
  await client.query(`SELECT pg_advisory_xact_lock(hashtextextended('callina/migrations', 0))`);
  await client.query(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
  );
  const {rows} = await client.query<{version: number | null}>('SELECT max(version) AS version FROM schema_migrations');
  const current = rows[0]?.version ?? 0;
  if (current > POSTGRES_MIGRATIONS.length) {
    // A newer release migrated already (rolling deploy); migrations only add, so this code still works.
    log?.warn({schemaVersion: current, known: POSTGRES_MIGRATIONS.length}, 'database schema is newer than this release');
    return;
  }
  for (const [i, sql] of POSTGRES_MIGRATIONS.slice(current).entries()) {
    await client.query(sql);
    await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [current + i + 1]);
  }
}
