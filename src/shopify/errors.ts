/**
 * How a Shopify Admin API request failed, as small named errors. `kind` is a
 * stable label for metrics and logs; `retryable` says whether the same
 * request may succeed later (the caller's budget decides whether to try).
 * Messages never contain the access token.
 */
export type ShopifyErrorKind =
  /** GraphQL THROTTLED on HTTP 200, or HTTP 429. */
  | 'throttled'
  /** HTTP 401: the token is invalid or was revoked (app uninstalled, custom app token rotated). */
  | 'unauthorized'
  /** HTTP 403. */
  | 'forbidden'
  /** GraphQL ACCESS_DENIED: a scope is missing, or protected customer data (the phone) is not approved. */
  | 'access_denied'
  /** HTTP 402 (shop frozen for non-payment), 404 (no such shop), 423 (shop locked). */
  | 'shop_unavailable'
  /** HTTP 5xx, or GraphQL INTERNAL_SERVER_ERROR on 200. */
  | 'server_error'
  /** No HTTP response: connection reset or refused, DNS, TLS. */
  | 'network'
  /** Our own per-request timeout ran out. */
  | 'timeout'
  /** The caller's AbortSignal fired. */
  | 'aborted'
  /** Not a usable answer: malformed JSON, not JSON, no `data`, or `data` not in the expected shape. */
  | 'bad_response'
  /** Any other GraphQL `errors[]` on HTTP 200 (e.g. a query the API version rejects). */
  | 'graphql_error'
  /** Any other HTTP status. */
  | 'http_error'
  /** Anything the library threw that is none of the above (a bug rather than an outage). */
  | 'unexpected';

/** One entry of a GraphQL answer's `errors[]`, as Shopify sent it. */
export interface GraphqlErrorEntry {
  message?: unknown;
  path?: unknown;
  extensions?: {code?: unknown};
}

interface ShopifyRequestErrorOptions {
  status?: number | undefined;
  requestId?: string | undefined;
  /** The answer's GraphQL `errors[]`, when it had any. */
  graphqlErrors?: readonly GraphqlErrorEntry[] | undefined;
  cause?: unknown;
}

export abstract class ShopifyRequestError extends Error {
  abstract readonly kind: ShopifyErrorKind;
  abstract readonly retryable: boolean;
  /** HTTP status, when there was a response. */
  readonly status: number | undefined;
  /** Shopify's X-Request-Id, for support tickets. */
  readonly requestId: string | undefined;
  /** The answer's GraphQL `errors[]` (empty when it had none): which field was refused, and why. */
  readonly graphqlErrors: readonly GraphqlErrorEntry[];

  constructor(message: string, options: ShopifyRequestErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause});
    this.status = options.status;
    this.requestId = options.requestId;
    this.graphqlErrors = options.graphqlErrors ?? [];
  }
}

/** Shopify asks us to slow down; `retryAfterMs` is how long until the request would fit. */
export class ShopifyThrottledError extends ShopifyRequestError {
  override readonly name = 'ShopifyThrottledError';
  readonly kind = 'throttled';
  readonly retryable = true;
  readonly retryAfterMs: number;

  constructor(message: string, retryAfterMs: number, options?: ShopifyRequestErrorOptions) {
    super(message, options);
    this.retryAfterMs = retryAfterMs;
  }
}

/** The token does not (or no longer) grant what the query needs. Not retryable: the shop must reconnect or approve. */
export class ShopifyAuthError extends ShopifyRequestError {
  override readonly name = 'ShopifyAuthError';
  readonly kind: 'unauthorized' | 'forbidden' | 'access_denied';
  readonly retryable = false;

  constructor(kind: ShopifyAuthError['kind'], message: string, options?: ShopifyRequestErrorOptions) {
    super(message, options);
    this.kind = kind;
  }
}

export type UnavailableKind = Exclude<ShopifyErrorKind, 'throttled' | 'unauthorized' | 'forbidden' | 'access_denied'>;

const RETRYABLE: ReadonlySet<UnavailableKind> = new Set(['server_error', 'network', 'timeout']);

/** No usable answer from Shopify right now. */
export class ShopifyUnavailableError extends ShopifyRequestError {
  override readonly name = 'ShopifyUnavailableError';
  readonly kind: UnavailableKind;
  readonly retryable: boolean;

  constructor(kind: UnavailableKind, message: string, options?: ShopifyRequestErrorOptions) {
    super(message, options);
    this.kind = kind;
    this.retryable = RETRYABLE.has(kind);
  }
}
