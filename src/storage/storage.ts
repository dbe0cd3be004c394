import type {WeeklyHours} from '../hours/schedule.ts';
import type {Language} from '../speech/locale.ts';

/**
 * The one storage interface. SQLite (embedded default) and PostgreSQL
 * implement it and pass the same contract tests (test/storage/contract.ts).
 * Secrets and tokens are encrypted by the implementation before they are
 * written; callers see plain values.
 */

export const VERIFICATION_MODES = ['none', 'caller_phone'] as const;
export type Verification = (typeof VERIFICATION_MODES)[number];
export type ConnectionState = 'ok' | 'needs_reconnect';
/** Whether callers may be found by phone or e-mail (shop setting `caller_lookup`). */
export const CALLER_LOOKUP_MODES = ['on', 'off'] as const;
export type CallerLookupMode = (typeof CALLER_LOOKUP_MODES)[number];
/** Whether Shopify hands the app customer data (read_customers, protected customer data), as last seen. */
export type CustomerAccess = 'unknown' | 'granted' | 'denied';

export interface ShopRecord {
  /** The shop's myshopify domain, e.g. "anna-demo.myshopify.com". */
  shop: string;
  /** Unguessable token in the Callina webhook URL; selects shop and secret. */
  hookId: string;
  /** Current Callina signing secret. */
  secret: string;
  /** The secret before the last rotation, accepted until previousSecretExpiresAt. */
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
  /** E.164 number to transfer callers to; null means nobody to transfer to. */
  storePhone: string | null;
  defaultLanguage: Language | null;
  verification: Verification;
  /**
   * How callers can reach the shop's team when no transfer is possible,
   * spoken as given ("hello@shop.at"); null: nothing is offered.
   */
  contactHint: string | null;
  /** IANA zone for speaking dates; learned from Shopify, null until known. */
  timeZone: string | null;
  /**
   * The shop's order-name format ("#" + number + ""), learned from Shopify;
   * both null until known. Order numbers are read with it ("A1-1001" is
   * 1001 when the prefix is "A1-").
   */
  orderNamePrefix: string | null;
  orderNameSuffix: string | null;
  /** A custom-app Admin API token stored by the operator CLI (OAuth shops use sessions). */
  accessToken: string | null;
  connection: ConnectionState;
  /** Find callers without an order number by their phone or e-mail; default 'on'. */
  callerLookup: CallerLookupMode;
  /** What Shopify answered the last caller lookup: 'denied' when the scope or approval is missing. */
  customerAccess: CustomerAccess;
  /** Opening hours in the shop's time zone; null = always open (no schedule set). */
  businessHours: WeeklyHours | null;
  /** "2026-12-24", sorted: whole days closed (holidays). */
  closedDates: readonly string[];
  /** E.164 number for callers outside opening hours (voicemail, on-call phone); null = none. */
  afterHoursPhone: string | null;
  installedAt: Date;
  updatedAt: Date;
}

export type NewShop = Pick<ShopRecord, 'shop' | 'hookId' | 'secret'> &
  Partial<Pick<ShopRecord, 'storePhone' | 'defaultLanguage' | 'verification' | 'contactHint' | 'timeZone' | 'accessToken'>>;

export type ShopPatch = Partial<
  Pick<
    ShopRecord,
    | 'storePhone' | 'defaultLanguage' | 'verification' | 'contactHint' | 'timeZone' | 'orderNamePrefix' | 'orderNameSuffix'
    | 'accessToken' | 'connection' | 'callerLookup' | 'customerAccess' | 'businessHours' | 'closedDates' | 'afterHoursPhone'
  >
>;

export const CALL_EVENT_KINDS = ['silence', 'escalation'] as const;
export type CallEventKind = (typeof CALL_EVENT_KINDS)[number];

/** Where an escalation went: to a person, to the after-hours number, or nowhere (closed, or no phone). */
export const ESCALATION_RESULTS = ['transferred', 'after_hours', 'nowhere'] as const;
export type EscalationResult = (typeof ESCALATION_RESULTS)[number];

export interface CallEvent {
  shop: string;
  callId: string;
  kind: CallEventKind;
  occurredAt: Date;
  /** silence: how long the caller was silent. */
  silenceMs: number | null;
  /** escalation: why ("caller_request", "low_confidence", …). */
  reason: string | null;
  /** "+43**********89": what the merchant sees. The full number is never stored, only a keyed hash of it. */
  callerPhoneMasked: string | null;
  /** escalation: where the caller went; null for silences. */
  result: EscalationResult | null;
}

/** What a handler records: the phone in clear, which storage reduces to a mask and a keyed hash. */
export type NewCallEvent = Omit<CallEvent, 'callerPhoneMasked' | 'result'> & {callerPhone: string | null; result?: EscalationResult | null};

export interface CallEventQuery {
  kinds?: CallEventKind[];
  callerPhone?: string;
  limit?: number;
}

/**
 * A Shopify session (OAuth or token exchange) as stored: Shopify's `Session`
 * reduced to plain columns. Tokens are encrypted by the implementation.
 * Of an online session's user only the id is kept; the app never needs
 * the staff member's name or e-mail.
 */
export interface StoredSession {
  id: string;
  shop: string;
  state: string;
  isOnline: boolean;
  scope: string | null;
  expires: Date | null;
  accessToken: string | null;
  refreshToken: string | null;
  refreshTokenExpires: Date | null;
  userId: number | null;
}

/** One delivery of a Shopify webhook, remembered so a duplicate is not processed twice. */
export interface WebhookDelivery {
  webhookId: string;
  shop: string;
  topic: string;
  receivedAt: Date;
}

/**
 * The merchant's call report: what Anna's calls came to, counted per shop
 * and day (the shop's local date). Counters only, nothing about a caller.
 */
export const REPORT_COUNTERS = [
  'ordersFound', 'foundByCaller', 'ordersNotFound', 'noNumber', 'fallbacks', 'transfers', 'afterHours', 'silences',
] as const;
export type ReportCounter = (typeof REPORT_COUNTERS)[number];
export type ReportCounts = Record<ReportCounter, number>;

/** Counts to add to one shop's day ("2026-12-24"). */
export interface ReportIncrement {
  shop: string;
  day: string;
  counts: Partial<ReportCounts>;
}

export interface ReportDay extends ReportCounts {
  day: string;
}

export class ShopExistsError extends Error {
  constructor(shop: string) {
    super(`shop ${shop} is already registered`);
    this.name = 'ShopExistsError';
  }
}

export interface Storage {
  readonly kind: 'sqlite' | 'postgres';
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;

  createShop(input: NewShop): Promise<ShopRecord>;
  getShop(shop: string): Promise<ShopRecord | undefined>;
  getShopByHookId(hookId: string): Promise<ShopRecord | undefined>;
  listShops(): Promise<ShopRecord[]>;
  updateShop(shop: string, patch: ShopPatch): Promise<ShopRecord | undefined>;
  /** Atomically: the current secret becomes the previous one (until previousExpiresAt), `secret` the current. */
  rotateSecret(shop: string, secret: string, previousExpiresAt: Date): Promise<ShopRecord | undefined>;
  /** Deletes the shop and everything held for it. */
  deleteShop(shop: string): Promise<boolean>;
  /**
   * A number that changes whenever a shop may have changed, cheap enough to
   * ask on every request (SQLite: `PRAGMA data_version` plus this
   * connection's own writes; PostgreSQL: this instance's own writes, the
   * change feed tells of everyone else's).
   */
  shopsVersion?(): number;

  /** Idempotent: the same event delivered twice (Callina retries) is stored once. */
  recordCallEvent(event: NewCallEvent): Promise<void>;
  /** Newest first; `callerPhone` finds one caller's events (compliance data requests). */
  listCallEvents(shop: string, options?: CallEventQuery): Promise<CallEvent[]>;
  deleteCallEventsByPhone(shop: string, callerPhone: string): Promise<number>;
  deleteCallEventsBefore(cutoff: Date): Promise<number>;

  /** Adds the counts in one transaction; counts for a shop that no longer exists are dropped. */
  addToReport(increments: readonly ReportIncrement[]): Promise<void>;
  /** Days from `fromDay` to `toDay` (inclusive, "YYYY-MM-DD") that have counts, oldest first. */
  getReport(shop: string, fromDay: string, toDay: string): Promise<ReportDay[]>;
  /** Deletes report days before `day`. */
  deleteReportBefore(day: string): Promise<number>;

  /** Creates or replaces the session with this id in one statement (a refreshed token never half-written). */
  storeSession(session: StoredSession): Promise<void>;
  loadSession(id: string): Promise<StoredSession | undefined>;
  /** Deletes the sessions with these ids; unknown ids are ignored. Returns how many were deleted. */
  deleteSessions(ids: readonly string[]): Promise<number>;
  findSessionsByShop(shop: string): Promise<StoredSession[]>;

  /** True the first time a webhook id is recorded, false for a duplicate. Survives restarts. */
  recordWebhookDelivery(delivery: WebhookDelivery): Promise<boolean>;
  /** Forgets a delivery whose processing failed, so Shopify's retry is processed. */
  forgetWebhookDelivery(webhookId: string): Promise<void>;
  deleteWebhookDeliveriesBefore(cutoff: Date): Promise<number>;
}
