import '@shopify/shopify-api/adapters/node';
import {setAbstractFetchFunc} from '@shopify/shopify-api/runtime';
import {Agent} from 'undici';

/**
 * Connections to the shops' Admin API hosts, kept open between lookups.
 *
 * Node's fetch closes an idle connection after 4 s, so a shop's calls that
 * come seconds apart would each pay a new TCP and TLS handshake (one or two
 * round trips to Shopify, tens of milliseconds) before asking anything. The
 * Shopify library sends every request through the `fetch` its Node adapter
 * registered; this one uses Node's fetch with an undici Agent (the
 * documented way to set keep-alive and a per-host limit) that keeps idle
 * connections for {@link KEEP_ALIVE_MS} and opens at most
 * {@link CONNECTIONS_PER_HOST} to one shop. Requests beyond that wait for a
 * free connection instead of opening more.
 *
 * `globalThis.fetch` is looked up on every call, so whatever wraps it
 * (nock in the tests, the bench's stand-in) still sees every request.
 */
export const KEEP_ALIVE_MS = 30_000;
export const CONNECTIONS_PER_HOST = 32;

export const shopifyAgent = new Agent({
  keepAliveTimeout: KEEP_ALIVE_MS,
  // A Keep-Alive hint from the server may shorten, never lengthen, this.
  keepAliveMaxTimeout: KEEP_ALIVE_MS,
  connections: CONNECTIONS_PER_HOST,
});

setAbstractFetchFunc((input, init) => globalThis.fetch(input, {...init, dispatcher: shopifyAgent} as RequestInit));
