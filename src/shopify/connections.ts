import '@shopify/shopify-api/adapters/node';
import {setAbstractFetchFunc} from '@shopify/shopify-api/runtime';
import {Agent, request, type Dispatcher} from 'undici';

/**
 * Connections to the shops' Admin API hosts, kept open between lookups,
 * and the requests sent over them: lookups from the Admin GraphQL client
 * ({@link adminFetch}), OAuth, token refresh and the rest from the Shopify
 * library ({@link shopifyFetch}, registered as its fetch below).
 *
 * Node's fetch closes an idle connection after 4 s, so a shop's calls that
 * come seconds apart would each pay a new TCP and TLS handshake (one or two
 * round trips to Shopify, tens of milliseconds) before asking anything.
 * Both fetches go through one undici Agent (the
 * documented way to set keep-alive and a per-host limit) that keeps idle
 * connections for {@link KEEP_ALIVE_MS} and opens at most
 * {@link CONNECTIONS_PER_HOST} to one shop; requests beyond that wait for a
 * free connection instead of opening more.
 */
export const KEEP_ALIVE_MS = 30_000;
export const CONNECTIONS_PER_HOST = 32;

export const shopifyAgent = new Agent({
  keepAliveTimeout: KEEP_ALIVE_MS,
  // A Keep-Alive hint from the server may shorten, never lengthen, this.
  keepAliveMaxTimeout: KEEP_ALIVE_MS,
  connections: CONNECTIONS_PER_HOST,
});

let dispatcher: Dispatcher = shopifyAgent;

/**
 * Sends Shopify's requests to another origin, through the same pool: for
 * the simulated Shopify of the soak, the bench and tests that count real
 * connections (nock needs none of this). Returns the undo.
 */
export function routeShopifyRequests(to: (origin: string) => string): () => void {
  const previous = dispatcher;
  dispatcher = shopifyAgent.compose((dispatch) => (options, handler) => dispatch({...options, origin: to(String(options.origin))}, handler));
  return () => {
    dispatcher = previous;
  };
}

/** Statuses whose response has no body (the Response constructor refuses one). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);
const REDIRECT = new Set([301, 302, 303, 307, 308]);

/**
 * The fetch the Shopify library calls, on undici's request(): half the CPU
 * of Node's fetch per Shopify request (about 0.3 ms of a cold lookup: no
 * Request object, web streams or resource timing), answered as a fetch
 * Response with the whole body read (Admin API answers are small). What it
 * does not do itself (a streamed or form body, a redirect to follow) goes to
 * Node's fetch, through the same pool.
 */
export async function shopifyFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  const body = init.body ?? undefined;
  if (input instanceof Request || (body !== undefined && typeof body !== 'string' && !(body instanceof Uint8Array))) {
    return fetch(input, {...init, dispatcher} as RequestInit);
  }
  const headers: Record<string, string> = {};
  new Headers(init.headers).forEach((value, name) => (headers[name] = value));
  let answer: Dispatcher.ResponseData;
  try {
    answer = await request(String(input), {method: (init.method ?? 'GET') as Dispatcher.HttpMethod, headers, body, signal: init.signal ?? undefined, dispatcher});
  } catch (error) {
    if (init.signal?.aborted) throw init.signal.reason;
    throw new TypeError('fetch failed', {cause: error}); // as Node's fetch reports a network failure
  }
  if (REDIRECT.has(answer.statusCode) && init.redirect !== 'manual') {
    await answer.body.dump();
    return fetch(input, {...init, dispatcher} as RequestInit);
  }
  const bytes = NULL_BODY.has(answer.statusCode) ? null : await answer.body.arrayBuffer();
  const responseHeaders = new Headers();
  for (const [name, value] of Object.entries(answer.headers)) {
    if (Array.isArray(value)) for (const v of value) responseHeaders.append(name, v);
    else if (value !== undefined) responseHeaders.set(name, value);
  }
  return new Response(bytes, {status: answer.statusCode, statusText: answer.statusText, headers: responseHeaders});
}

setAbstractFetchFunc(shopifyFetch as typeof fetch);

/** The request `@shopify/admin-api-client` makes: always a POST of a JSON string. */
export interface AdminRequestInit {
  method?: string;
  headers?: Record<string, string | string[]>;
  body?: string;
  signal?: AbortSignal | undefined;
}

/**
 * Shopify's answer to an Admin GraphQL request, read whole: the members of
 * a fetch Response that `@shopify/graphql-client` reads (ok, status,
 * statusText, headers.get, json, text) and nothing else. Building a real
 * Response (its Headers, a body stream to read the bytes back through)
 * cost a cold lookup ~0.25 ms (BENCHMARKS.md).
 */
export class AdminAnswer {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly headers: {get(name: string): string | null};
  readonly #body: string;

  constructor(status: number, statusText: string, headers: Dispatcher.ResponseData['headers'], body: string) {
    this.ok = status >= 200 && status < 300;
    this.status = status;
    this.statusText = statusText;
    this.#body = body;
    // undici names headers in lower case; a repeated one is joined as fetch's Headers.get joins it.
    this.headers = {
      get: (name) => {
        const value = headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
    };
  }

  async text(): Promise<string> {
    return this.#body;
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.#body);
  }
}

/**
 * The fetch `@shopify/admin-api-client` calls (its `customFetchApi`): the
 * same pool as {@link shopifyFetch}, answered as an {@link AdminAnswer}.
 * Failures reject as Node's fetch would: the signal's reason when aborted,
 * else a "fetch failed" TypeError.
 */
export async function adminFetch(url: string, init: AdminRequestInit = {}): Promise<AdminAnswer> {
  try {
    const answer = await request(url, {method: (init.method ?? 'GET') as Dispatcher.HttpMethod, headers: init.headers, body: init.body, signal: init.signal, dispatcher});
    return new AdminAnswer(answer.statusCode, answer.statusText, answer.headers, await answer.body.text());
  } catch (error) {
    if (init.signal?.aborted) throw init.signal.reason;
    throw new TypeError('fetch failed', {cause: error});
  }
}
