import {formatWeeklyHours, parseWeeklyHours} from '../hours/schedule.ts';
import type {Cipher} from './cipher.ts';
import {
  REPORT_COUNTERS,
  type CallEvent,
  type CallEventKind,
  type ReportCounter,
  type ReportDay,
  type ReportIncrement,
  type ShopPatch,
  type ShopRecord,
  type StoredSession,
} from './storage.ts';

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
    businessHours: weeklyHours(r.business_hours),
    closedDates: r.closed_dates ? String(r.closed_dates).split(',') : [],
    afterHoursPhone: text(r.after_hours_phone),
    installedAt: new Date(Number(r.installed_at)),
    updatedAt: new Date(Number(r.updated_at)),
  };
}

/** Stored as the canonical text ("Mon-Fri 09:00-17:00"); NULL is "always". Only validated text is ever written. */
function weeklyHours(v: unknown): ShopRecord['businessHours'] {
  if (v == null) return null;
  const parsed = parseWeeklyHours(String(v));
  return parsed.ok ? parsed.value : null;
}

/** Each ShopPatch field's column in the shops table. */
const SHOP_PATCH_COLUMNS: Record<keyof ShopPatch, string> = {
  storePhone: 'store_phone',
  defaultLanguage: 'default_language',
  verification: 'verification',
  contactHint: 'contact_hint',
  timeZone: 'time_zone',
  orderNamePrefix: 'order_name_prefix',
  orderNameSuffix: 'order_name_suffix',
  accessToken: 'access_token',
  connection: 'connection',
  callerLookup: 'caller_lookup',
  customerAccess: 'customer_access',
  businessHours: 'business_hours',
  closedDates: 'closed_dates',
  afterHoursPhone: 'after_hours_phone',
};

/** The columns a patch sets and their values, in the same order: each storage builds its UPDATE from them. */
export function shopPatchColumns(patch: ShopPatch, cipher: Cipher): {columns: string[]; values: (string | null)[]} {
  const keys = (Object.keys(SHOP_PATCH_COLUMNS) as (keyof ShopPatch)[]).filter((k) => patch[k] !== undefined);
  return {columns: keys.map((k) => SHOP_PATCH_COLUMNS[k]), values: keys.map((k) => shopColumnValue(k, patch[k], cipher))};
}

/** A ShopPatch field → its column's value: tokens encrypted, hours as text, dates comma-joined. */
function shopColumnValue<K extends keyof ShopPatch>(key: K, value: ShopPatch[K], cipher: Cipher): string | null {
  if (value == null) return null;
  switch (key) {
    case 'accessToken':
      return cipher.encrypt(value as string);
    case 'businessHours':
      return formatWeeklyHours(value as NonNullable<ShopPatch['businessHours']>);
    case 'closedDates': {
      const dates = value as readonly string[];
      return dates.length === 0 ? null : dates.join(',');
    }
    default:
      return value as string;
  }
}

export const REPORT_COLUMNS: Record<ReportCounter, string> = {
  ordersFound: 'orders_found',
  foundByCaller: 'found_by_caller',
  ordersNotFound: 'orders_not_found',
  noNumber: 'no_number',
  fallbacks: 'fallbacks',
  transfers: 'transfers',
  afterHours: 'after_hours',
  silences: 'silences',
};

export function reportDayFromRow(r: Row): ReportDay {
  const day = {day: String(r.day)} as ReportDay;
  for (const counter of REPORT_COUNTERS) day[counter] = Number(r[REPORT_COLUMNS[counter]] ?? 0);
  return day;
}

/** One increment per shop and day, every counter present: an upsert may touch each row only once. */
export function mergeIncrements(increments: readonly ReportIncrement[]): {shop: string; day: string; counts: number[]}[] {
  const merged = new Map<string, {shop: string; day: string; counts: number[]}>();
  for (const {shop, day, counts} of increments) {
    const key = `${shop}\n${day}`;
    let row = merged.get(key);
    if (!row) merged.set(key, (row = {shop, day, counts: REPORT_COUNTERS.map(() => 0)}));
    REPORT_COUNTERS.forEach((c, i) => (row.counts[i]! += counts[c] ?? 0));
  }
  return [...merged.values()];
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
    result: text(r.result) as CallEvent['result'],
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
