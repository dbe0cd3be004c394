import type {Cipher} from './cipher.ts';
import type {CallEvent, CallEventKind, ShopRecord, StoredSession} from './storage.ts';

/**
 * Rows as both databases return them (same column names) → plain records.
 * Times are epoch milliseconds (pg returns BIGINT as a string, SQLite as a
 * number); booleans are 0/1 in SQLite; secrets are decrypted here.
 */
export type Row = Record<string, unknown>;

const text = (v: unknown): string | null => (v == null ? null : String(v));
const time = (v: unknown): Date | null => (v == null ? null : new Date(Number(v)));
const secret = (cipher: Cipher, v: unknown): string | null => (v == null ? null : cipher.decrypt(String(v)));

export function shopFromRow(r: Row, cipher: Cipher): ShopRecord {
  return {
    shop: String(r.shop),
    hookId: String(r.hook_id),
    secret: cipher.decrypt(String(r.secret)),
    previousSecret: secret(cipher, r.previous_secret),
    previousSecretExpiresAt: time(r.previous_secret_expires_at),
    storePhone: text(r.store_phone),
    defaultLanguage: text(r.default_language) as ShopRecord['defaultLanguage'],
    verification: r.verification as ShopRecord['verification'],
    contactHint: text(r.contact_hint),
    timeZone: text(r.time_zone),
    orderNamePrefix: text(r.order_name_prefix),
    orderNameSuffix: text(r.order_name_suffix),
    accessToken: secret(cipher, r.access_token),
    connection: r.connection as ShopRecord['connection'],
    callerLookup: (r.caller_lookup ?? 'on') as ShopRecord['callerLookup'],
    customerAccess: (r.customer_access ?? 'unknown') as ShopRecord['customerAccess'],
    installedAt: new Date(Number(r.installed_at)),
    updatedAt: new Date(Number(r.updated_at)),
  };
}

export function callEventFromRow(r: Row): CallEvent {
  return {
    shop: String(r.shop),
    callId: String(r.call_id),
    kind: r.kind as CallEventKind,
    occurredAt: new Date(Number(r.occurred_at)),
    silenceMs: r.silence_ms == null ? null : Number(r.silence_ms),
    reason: text(r.reason),
    callerPhoneMasked: text(r.caller_phone_masked),
  };
}

export function sessionFromRow(r: Row, cipher: Cipher): StoredSession {
  return {
    id: String(r.id),
    shop: String(r.shop),
    state: String(r.state),
    isOnline: r.is_online === true || Number(r.is_online) === 1,
    scope: text(r.scope),
    expires: time(r.expires),
    accessToken: secret(cipher, r.access_token),
    refreshToken: secret(cipher, r.refresh_token),
    refreshTokenExpires: time(r.refresh_token_expires),
    userId: r.user_id == null ? null : Number(r.user_id),
  };
}
