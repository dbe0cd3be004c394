/**
 * Shopify, as the app sees it over HTTP: session tokens signed like App
 * Bridge's, webhooks signed like Shopify's, and nock interceptors for the
 * token endpoint and the install query with realistic payloads.
 */
import {createHmac, randomUUID} from 'node:crypto';
import nock from 'nock';
import {readResponse} from '../helpers/read-response.ts';
import {startTestApp, type TestApp} from '../helpers/test-app.ts';
import type {AppDeps} from '../../src/app.ts';

export const SHOP = 'anna-demo.myshopify.com';
export const API_KEY = '3f9a1c4e2b7d8e6f5a4b3c2d1e0f9a8b';
export const API_SECRET = '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';
export const APP_URL = 'https://callina.example.com';
/** What a desktop browser sends; the OAuth flow refuses bots. */
export const BROWSER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';

export const SHOPIFY_ENV = {
  SHOPIFY_API_KEY: API_KEY,
  SHOPIFY_API_SECRET: API_SECRET,
  SCOPES: 'read_orders,read_locales',
  APP_URL,
};

export function startShopifyApp(options: {env?: Record<string, string>; dataDir?: string; deps?: Partial<AppDeps>} = {}): Promise<TestApp> {
  return startTestApp({...options, env: {...SHOPIFY_ENV, ...options.env}});
}

/** Lets the app's own loopback traffic through and nothing else. */
export function shopifyOnlyThroughNock(): void {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
}

// ---------------------------------------------------------------------------
// Session tokens (App Bridge's JWT: HS256 with the app's secret)

const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

export function sessionToken(options: {shop?: string; secret?: string; aud?: string; expiresIn?: number; issuedAt?: number; sub?: string} = {}): string {
  const shop = options.shop ?? SHOP;
  const now = options.issuedAt ?? Math.floor(Date.now() / 1000);
  const payload = {
    iss: `https://${shop}/admin`,
    dest: `https://${shop}`,
    aud: options.aud ?? API_KEY,
    sub: options.sub ?? '74390238',
    exp: now + (options.expiresIn ?? 60),
    nbf: now - 5,
    iat: now,
    jti: randomUUID(),
    sid: randomUUID(),
  };
  const head = `${b64url(JSON.stringify({alg: 'HS256', typ: 'JWT'}))}.${b64url(JSON.stringify(payload))}`;
  return `${head}.${createHmac('sha256', options.secret ?? API_SECRET).update(head).digest('base64url')}`;
}

export async function apiRequest(app: TestApp, path: string, options: {method?: string; token?: string | null; json?: unknown; body?: string; contentType?: string} = {}) {
  const headers: Record<string, string> = {};
  const token = options.token === undefined ? sessionToken() : options.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let body: string | undefined = options.body;
  if (options.json !== undefined) body = JSON.stringify(options.json);
  if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
  return readResponse(await fetch(`${app.url}${path}`, {method: options.method ?? 'GET', headers, body}));
}

// ---------------------------------------------------------------------------
// Shopify's token endpoint and the install query

/** Expiring offline token: 60 minutes, with a 90-day refresh token, as Shopify issues them. */
export function tokenResponse(n = 1, scope = 'read_orders,read_locales') {
  return {
    access_token: `shpat_expiring_${n}_${'0'.repeat(24)}`,
    scope,
    expires_in: 3599,
    refresh_token: `shprt_refresh_${n}_${'0'.repeat(24)}`,
    refresh_token_expires_in: 7_775_999,
  };
}

export const INVALID_GRANT = {error: 'invalid_grant', error_description: 'The refresh token is invalid, expired or has been revoked.'};

export interface TokenRequest {
  [key: string]: string | undefined;
}

export type TokenReply = readonly [number, Record<string, unknown>] | ((body: TokenRequest) => Promise<readonly [number, Record<string, unknown>]>);

/** Intercepts POST https://<shop>/admin/oauth/access_token, one reply per request; records each body. */
export function interceptTokenEndpoint(replies: TokenReply[], shop = SHOP) {
  const requests: TokenRequest[] = [];
  const scope = nock(`https://${shop}`);
  for (const reply of replies) {
    scope.post('/admin/oauth/access_token').reply(async (request: Request) => {
      const body = JSON.parse(await request.text()) as TokenRequest;
      requests.push(body);
      const [status, payload] = typeof reply === 'function' ? await reply(body) : reply;
      return [status, JSON.stringify(payload), {'Content-Type': 'application/json; charset=utf-8'}] as const;
    });
  }
  return {scope, requests};
}

export function installQueryResponse(input: {timeZone?: string; phone?: string | null; locales?: {locale: string; primary: boolean}[]} = {}) {
  return {
    data: {
      shop: {ianaTimezone: input.timeZone ?? 'Europe/Vienna', billingAddress: {phone: input.phone === undefined ? '+43662275124' : input.phone}},
      shopLocales: input.locales ?? [
        {locale: 'de-AT', primary: true},
        {locale: 'en', primary: false},
      ],
    },
    extensions: {cost: {requestedQueryCost: 2, actualQueryCost: 2, throttleStatus: {maximumAvailable: 2000, currentlyAvailable: 1998, restoreRate: 100}}},
  };
}

export interface GraphqlRequest {
  path: string;
  accessToken: string | undefined;
  query: string;
  variables: Record<string, unknown>;
}

export function interceptInstallQuery(replies: (readonly [number, Record<string, unknown>])[], shop = SHOP) {
  const requests: GraphqlRequest[] = [];
  const scope = nock(`https://${shop}`);
  for (const [status, payload] of replies) {
    scope.post(/^\/admin\/api\/[^/]+\/graphql\.json$/).reply(async (request: Request) => {
      const body = JSON.parse(await request.text()) as {query: string; variables?: Record<string, unknown>};
      requests.push({
        path: new URL(request.url).pathname,
        accessToken: request.headers.get('x-shopify-access-token') ?? undefined,
        query: body.query,
        variables: body.variables ?? {},
      });
      return [status, JSON.stringify(payload), {'Content-Type': 'application/json; charset=utf-8'}] as const;
    });
  }
  return {scope, requests};
}

// ---------------------------------------------------------------------------
// Shopify webhooks

export interface WebhookOptions {
  topic: string;
  body: unknown;
  shop?: string;
  webhookId?: string;
  /** Signs with this secret instead of the app's. */
  secret?: string;
  /** Replaces the HMAC header; null leaves it out. */
  hmac?: string | null;
}

/** POSTs a webhook as Shopify delivers it: HMAC-SHA256 of the raw body, base64, keyed with the app secret. */
export async function postWebhook(app: TestApp, options: WebhookOptions) {
  const raw = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const hmac = options.hmac === undefined ? createHmac('sha256', options.secret ?? API_SECRET).update(raw).digest('base64') : options.hmac;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-shopify-topic': options.topic,
    'x-shopify-shop-domain': options.shop ?? SHOP,
    'x-shopify-api-version': '2026-10',
    'x-shopify-webhook-id': options.webhookId ?? randomUUID(),
    'x-shopify-event-id': randomUUID(),
    'x-shopify-triggered-at': new Date().toISOString(),
    'user-agent': 'Shopify-Captain-Hook',
  };
  if (hmac !== null) headers['x-shopify-hmac-sha256'] = hmac;
  return readResponse(await fetch(`${app.url}/webhooks/shopify`, {method: 'POST', headers, body: raw}));
}

/** orders/updated (and cancelled, fulfilled, partially_fulfilled) as Shopify sends it, trimmed to typical top-level fields. */
export function orderWebhook(name = '#1001', overrides: Record<string, unknown> = {}) {
  return {
    id: 820982911946154500,
    admin_graphql_api_id: 'gid://shopify/Order/820982911946154508',
    name,
    order_number: Number(name.replace(/\D/g, '')) || 1001,
    created_at: '2026-05-06T14:03:21+02:00',
    updated_at: '2026-05-08T09:12:44+02:00',
    cancelled_at: null,
    financial_status: 'paid',
    fulfillment_status: 'fulfilled',
    currency: 'EUR',
    total_price: '89.90',
    ...overrides,
  };
}

/** fulfillments/create|update: named after the order plus ".N". */
export function fulfillmentWebhook(name = '#1001.1') {
  return {
    id: 1069019873,
    order_id: 820982911946154500,
    status: 'success',
    created_at: '2026-05-07T09:12:44+02:00',
    service: 'manual',
    updated_at: '2026-05-07T09:12:44+02:00',
    tracking_company: 'DHL Express',
    shipment_status: null,
    location_id: 24826418,
    tracking_number: '1234567890',
    tracking_numbers: ['1234567890'],
    tracking_url: 'https://www.dhl.com/en/express/tracking.html?AWB=1234567890',
    tracking_urls: ['https://www.dhl.com/en/express/tracking.html?AWB=1234567890'],
    receipt: {},
    name,
    admin_graphql_api_id: 'gid://shopify/Fulfillment/1069019873',
  };
}

/** The compliance payloads, shaped as in Shopify's privacy-law-compliance docs. */
export function customersDataRequest(phone: string | null, shop = SHOP) {
  return {
    shop_id: 954889,
    shop_domain: shop,
    orders_requested: [299938, 280263, 220458],
    customer: {id: 191167, email: 'john@example.com', phone},
    data_request: {id: 9999},
  };
}

export function customersRedact(phone: string | null, shop = SHOP) {
  return {
    shop_id: 954889,
    shop_domain: shop,
    customer: {id: 191167, email: 'john@example.com', phone},
    orders_to_redact: [299938, 280263, 220458],
  };
}

export function shopRedact(shop = SHOP) {
  return {shop_id: 954889, shop_domain: shop};
}

export function appUninstalled(shop = SHOP) {
  return {
    id: 548380009,
    name: 'Anna Demo',
    email: 'owner@anna-demo.example',
    domain: null,
    myshopify_domain: shop,
    plan_name: 'basic',
    iana_timezone: 'Europe/Vienna',
  };
}
