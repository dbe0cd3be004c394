import {createAdminApiClient, type AdminApiClient, type ClientResponse} from '@shopify/admin-api-client';
import {ApiVersion} from '@shopify/shopify-api';
import {LRUCache} from 'lru-cache';
import type {OrderStatus} from '../orders/order-status.ts';
import {DEFAULT_ORDER_NAME_FORMAT, isCurrentFormat, sameOrderName, type OrderNameFormat} from '../orders/order-number.ts';
import {shopDomain} from '../shops/shop-fields.ts';
import {adminFetch} from './connections.ts';
import {type GraphqlErrorEntry, ShopifyAuthError, ShopifyRequestError, ShopifyThrottledError, ShopifyUnavailableError} from './errors.ts';
import {
  ORDER_LOOKUP_QUERY,
  orderLookupDataSchema,
  orderLookupVariables,
  orderSearchNames,
  toOrderStatus,
  toShopSettings,
  type OrderNode,
  type ShopSettings,
} from './order-query.ts';

/** The Admin API version every request uses. */
export const ADMIN_API_VERSION = ApiVersion.October26;

/** Own timeout of one lookup when the caller gives none. */
export const DEFAULT_SHOPIFY_TIMEOUT_MS = 8000;

type ClientOptions = Parameters<typeof createAdminApiClient>[0];

/** Shopify sees who calls in each request's User-Agent. */
const USER_AGENT = 'Callina Order Lookup';

/** Shops whose GraphQL client is kept between lookups. */
const CLIENTS_KEPT = 1000;

/** Wait suggested for a throttle that does not say how long (no usable `extensions.cost` or Retry-After). */
const FALLBACK_RETRY_AFTER_MS = 1000;
/** Never suggest retrying sooner than this: the bucket refills continuously, not instantly. */
const MIN_RETRY_AFTER_MS = 50;

export interface AdminGraphqlOptions {
  /** Default {@link ADMIN_API_VERSION} (2026-10). */
  apiVersion?: ApiVersion;
  /** Told once of each thing Shopify warns about: an API version it no longer supports, a deprecated field a query uses. */
  warn?: (message: string) => void;
}

export interface ShopifyCredentials {
  /** The shop's myshopify domain, e.g. "anna-demo.myshopify.com". */
  shop: string;
  /** An offline access token from OAuth, or a custom app's Admin API token. Sent as X-Shopify-Access-Token. */
  accessToken: string;
}

export interface RequestControl {
  /** The caller's cancellation (e.g. shutdown). Aborting rejects with ShopifyUnavailableError kind 'aborted'. */
  signal?: AbortSignal | undefined;
  /** Own timeout for the whole call; default {@link DEFAULT_SHOPIFY_TIMEOUT_MS}. Rejects with kind 'timeout'. */
  timeoutMs?: number | undefined;
}

export interface FetchOrderParams extends ShopifyCredentials, RequestControl {
  /** The order key from `normalizeOrderNumber` (digits). */
  key: string;
  /** Select the order's phone (protected customer data): only when the shop has caller verification on and the app is approved. */
  withPhone: boolean;
  /**
   * The shop's order-name format if known (from an earlier lookup's
   * `shopSettings`); default "#…". When it turns out wrong and nothing
   * matched, the lookup searches once more with the shop's real format.
   */
  format?: OrderNameFormat | undefined;
}

export interface OrderLookupResult {
  shopSettings: ShopSettings;
  /** The order whose name is exactly the key, or null when the shop has none (or it is older than 60 days without read_all_orders). */
  order: OrderStatus | null;
  /** That order's GID ("gid://shopify/Order/820982911946154508"), if Shopify gave it. */
  orderId: string | null;
  /** The shop's cost bucket after this answer (`extensions.cost.throttleStatus`), when Shopify reported it. */
  bucket?: CostBucket | undefined;
}

/** Shopify's leaky bucket of query cost points for one shop, as the last answer reported it. */
export interface CostBucket {
  maximumAvailable: number;
  currentlyAvailable: number;
  /** Points restored per second. */
  restoreRate: number;
}

export interface GraphqlResult {
  data: unknown;
  extensions: unknown;
}

export interface AdminGraphql {
  readonly apiVersion: ApiVersion;
  /** The order with name exactly `key` in the shop's format, and the shop's settings. */
  fetchOrderByNumber(params: FetchOrderParams): Promise<OrderLookupResult>;
  /** Any Admin GraphQL document, with the same error mapping, timeout and signal handling. */
  request(document: string, params: ShopifyCredentials & RequestControl & {variables?: Record<string, unknown>}): Promise<GraphqlResult>;
}

/**
 * The Admin GraphQL access of the service, on `@shopify/admin-api-client`
 * (the client `@shopify/shopify-api`'s own GraphQL client wraps): one per
 * shop, with the shop's token, sending through the service's connection
 * pool ({@link adminFetch}). Not through the wrapper: it wants app
 * credentials that a service running on custom-app tokens lacks, copies
 * every answer's headers and rethrows failures as its own error classes;
 * with a real fetch Response under it, that was ~0.4 ms of a cold lookup
 * (BENCHMARKS.md). The mapping below reads the client's own error report.
 *
 * No retries (the client's default): the caller's budget decides on them.
 */
export function createAdminGraphql(options: AdminGraphqlOptions = {}): AdminGraphql {
  const apiVersion = options.apiVersion ?? ADMIN_API_VERSION;
  const warned = new Set<string>();
  const warnOnce = (message: string) => {
    if (warned.has(message)) return;
    warned.add(message);
    options.warn?.(message);
  };
  // The client's log carries each request's headers, the token among them: only the warnings leave it, as text.
  const logger: ClientOptions['logger'] = (entry) => {
    if (entry.type === 'Unsupported_Api_Version') warnOnce(`Shopify no longer supports Admin API version ${entry.content.apiVersion}`);
    else if (entry.type === 'HTTP-Response-GraphQL-Deprecation-Notice') warnOnce(`Shopify: ${entry.content.deprecationNotice}`);
  };

  /** A GraphQL client for one shop's token; throws TypeError on a malformed shop domain or an empty token. */
  function newClient(credentials: ShopifyCredentials): AdminApiClient {
    const shop = shopDomain.safeParse(credentials.shop);
    if (!shop.success) throw new TypeError(`not a shop domain: ${JSON.stringify(credentials.shop)}`);
    if (!credentials.accessToken) throw new TypeError('missing access token');
    return createAdminApiClient({
      storeDomain: shop.data,
      apiVersion,
      accessToken: credentials.accessToken,
      userAgentPrefix: USER_AGENT,
      customFetchApi: adminFetch as unknown as ClientOptions['customFetchApi'], // it reads only what AdminAnswer has (connections.ts)
      logger,
    });
  }

  // Building a client (URL, header set, fetch wrappers) costs a cold lookup more than reading its answer's JSON:
  // each shop's is kept, and replaced when the shop's token changes.
  const clients = new LRUCache<string, {accessToken: string; client: AdminApiClient}>({max: CLIENTS_KEPT});
  function clientFor(credentials: ShopifyCredentials): AdminApiClient {
    const kept = clients.get(credentials.shop);
    if (kept?.accessToken === credentials.accessToken) return kept.client;
    const client = newClient(credentials);
    clients.set(credentials.shop, {accessToken: credentials.accessToken, client});
    return client;
  }

  async function send(client: AdminApiClient, document: string, variables: Record<string, unknown> | undefined, signal: AbortSignal): Promise<GraphqlResult> {
    const response = await client.request(document, {...(variables ? {variables} : {}), signal});
    if (response.errors) throw fromClientErrors(response);
    return {data: response.data, extensions: response.extensions};
  }

  async function lookupOnce(client: AdminApiClient, params: FetchOrderParams, format: OrderNameFormat, signal: AbortSignal): Promise<OrderLookupResult> {
    const {data, extensions} = await send(client, ORDER_LOOKUP_QUERY, orderLookupVariables(params.key, format, params.withPhone), signal);
    const parsed = orderLookupDataSchema.safeParse(data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ShopifyUnavailableError('bad_response', `unexpected order lookup data at ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? ''}`);
    }
    const shopSettings = toShopSettings(parsed.data.shop, parsed.data.currentAppInstallation);
    const node = pickExactMatch(parsed.data.orders.nodes, params.key, shopSettings);
    return {
      shopSettings,
      order: node ? toOrderStatus(node, {withPhone: params.withPhone}) : null,
      orderId: node?.id ?? null,
      bucket: costBucket(extensions),
    };
  }

  return {
    apiVersion,

    async fetchOrderByNumber(params) {
      if (!/^[0-9]+$/.test(params.key)) throw new TypeError('order key must be digits (see normalizeOrderNumber)');
      const client = clientFor(params);
      const assumed = params.format ?? DEFAULT_ORDER_NAME_FORMAT;
      return withDeadline(params, async (signal) => {
        const first = await lookupOnce(client, params, assumed, signal);
        if (first.order) return first;
        // The shop's real format differs from the assumed one and its name was not searched yet:
        // one more search, within the same timeout.
        const actual = first.shopSettings;
        const searched = new Set(orderSearchNames(params.key, assumed));
        if (orderSearchNames(params.key, actual).every((name) => searched.has(name))) return first;
        return lookupOnce(client, params, actual, signal);
      });
    },

    async request(document, params) {
      const client = clientFor(params);
      return withDeadline(params, (signal) => send(client, document, params.variables, signal));
    },
  };
}

/**
 * Among loosely matching candidates, the order whose name is exactly the
 * key: one in the shop's current format first, then the newest (order
 * names are not guaranteed unique).
 */
export function pickExactMatch(nodes: readonly OrderNode[], key: string, format: OrderNameFormat): OrderNode | undefined {
  const rank = (node: OrderNode) => (isCurrentFormat(node.name, key, format) ? 1 : 0);
  return nodes
    .filter((node) => sameOrderName(node.name, key, format))
    .sort((a, b) => rank(b) - rank(a) || Date.parse(b.createdAt) - Date.parse(a.createdAt))[0];
}

// ---------------------------------------------------------------------------
// Timeout and cancellation

/**
 * Runs `run` with a signal that fires on the caller's signal or after
 * `timeoutMs`, whichever comes first, and turns every failure into a
 * {@link ShopifyRequestError}; a fired timeout or caller abort wins over
 * whatever the library made of it (an abort during the body read surfaces
 * there as a 200 "bad response").
 */
async function withDeadline<T>(control: RequestControl, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const timeoutMs = control.timeoutMs ?? DEFAULT_SHOPIFY_TIMEOUT_MS;
  const timer = new AbortController();
  const timeout = setTimeout(() => timer.abort(), timeoutMs);
  const signal = control.signal ? AbortSignal.any([control.signal, timer.signal]) : timer.signal;
  const stopped = (): ShopifyUnavailableError | undefined => {
    if (control.signal?.aborted) return new ShopifyUnavailableError('aborted', 'the Shopify request was aborted', {cause: control.signal.reason});
    if (timer.signal.aborted) return new ShopifyUnavailableError('timeout', `Shopify did not answer within ${timeoutMs} ms`);
    return undefined;
  };
  try {
    const early = stopped();
    if (early) throw early;
    return await run(signal);
  } catch (error) {
    throw stopped() ?? toShopifyError(error);
  } finally {
    clearTimeout(timeout);
  }
}

// ---------------------------------------------------------------------------
// The client's error report → our errors

interface ThrottleCost {
  requestedQueryCost?: unknown;
  throttleStatus?: {currentlyAvailable?: unknown; restoreRate?: unknown};
}

/**
 * How long until a THROTTLED query would fit in the bucket, from the
 * response's `extensions.cost`: (requested − available) / restoreRate.
 */
export function throttleWaitMs(cost: unknown): number {
  const c = (cost ?? {}) as ThrottleCost;
  const requested = Number(c.requestedQueryCost);
  const available = Number(c.throttleStatus?.currentlyAvailable);
  const restoreRate = Number(c.throttleStatus?.restoreRate);
  if (!Number.isFinite(requested) || !Number.isFinite(available) || !Number.isFinite(restoreRate) || restoreRate <= 0) {
    return FALLBACK_RETRY_AFTER_MS;
  }
  return Math.max(MIN_RETRY_AFTER_MS, Math.ceil(((requested - available) / restoreRate) * 1000));
}

/** `extensions.cost.throttleStatus` when it is complete and numeric; anything else is no report. */
export function costBucket(extensions: unknown): CostBucket | undefined {
  const t = ((extensions ?? {}) as {cost?: ThrottleCost}).cost?.throttleStatus as Record<string, unknown> | undefined;
  const bucket = {
    maximumAvailable: Number(t?.maximumAvailable),
    currentlyAvailable: Number(t?.currentlyAvailable),
    restoreRate: Number(t?.restoreRate),
  };
  return Object.values(bucket).every(Number.isFinite) ? bucket : undefined;
}

/** Retry-After seconds ("2.0") as a wait in milliseconds. */
function retryAfterMs(header: string | null | undefined): number {
  const seconds = header == null ? NaN : Number.parseFloat(header);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.max(MIN_RETRY_AFTER_MS, Math.ceil(seconds * 1000)) : FALLBACK_RETRY_AFTER_MS;
}

/**
 * The client reports every failure as `errors` instead of throwing: no
 * status (no answer at all), a status that is not 2xx, GraphQL errors on
 * 200, or a 200 that is not usable GraphQL JSON.
 */
function fromClientErrors(response: ClientResponse): ShopifyRequestError {
  const errors = response.errors!;
  const status = errors.networkStatusCode;
  if (status === undefined) return new ShopifyUnavailableError('network', `no response from Shopify: ${errors.message ?? ''}`);
  const headers = errors.response?.headers;
  const options = {status, requestId: headers?.get('x-request-id') ?? undefined};
  // Shopify sends `errors` as a list; anything else that is there (a bare string) counts as one entry.
  const reported: unknown = errors.graphQLErrors;
  const entries: GraphqlErrorEntry[] = Array.isArray(reported) ? reported : reported ? [{message: String(reported)}] : [];
  if (status === 200 && entries.length > 0) return fromGraphqlErrors(entries, response.extensions, options);
  switch (status) {
    case 200:
      return new ShopifyUnavailableError('bad_response', 'Shopify answered 200 without usable GraphQL JSON', options);
    case 429:
      return new ShopifyThrottledError('Shopify answered 429 Too Many Requests', retryAfterMs(headers?.get('retry-after')), options);
    case 401:
      return new ShopifyAuthError('unauthorized', 'Shopify rejected the access token (401): invalid or revoked', options);
    case 403:
      return new ShopifyAuthError('forbidden', 'Shopify refused the request (403)', options);
    case 402:
    case 404:
    case 423:
      return new ShopifyUnavailableError('shop_unavailable', `the shop is not available (${status})`, options);
    default:
      if (status >= 500) return new ShopifyUnavailableError('server_error', `Shopify answered ${status}`, options);
      return new ShopifyUnavailableError('http_error', `Shopify answered ${status}`, options);
  }
}

function fromGraphqlErrors(entries: readonly GraphqlErrorEntry[], extensions: unknown, answer: {status: number; requestId: string | undefined}): ShopifyRequestError {
  const options = {...answer, graphqlErrors: entries};
  const codes = new Set(entries.map((e) => e.extensions?.code).filter((c): c is string => typeof c === 'string'));
  const first = typeof entries[0]?.message === 'string' ? entries[0].message : 'GraphQL operation failed';
  const cost = (extensions as {cost?: unknown} | undefined)?.cost;
  if (codes.has('THROTTLED')) return new ShopifyThrottledError(`Shopify throttled the query: ${first}`, throttleWaitMs(cost), options);
  if (codes.has('ACCESS_DENIED')) return new ShopifyAuthError('access_denied', `Shopify denied access: ${first}`, options);
  if (codes.has('INTERNAL_SERVER_ERROR')) return new ShopifyUnavailableError('server_error', `Shopify internal error: ${first}`, options);
  return new ShopifyUnavailableError('graphql_error', `Shopify rejected the query: ${first}`, options);
}

/** Any failure of a Shopify request as ours: what is not one already was a bug rather than an outage. */
export function toShopifyError(error: unknown): ShopifyRequestError {
  if (error instanceof ShopifyRequestError) return error;
  return new ShopifyUnavailableError('unexpected', `Shopify request failed: ${error instanceof Error ? error.message : String(error)}`, {cause: error});
}
