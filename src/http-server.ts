import {createServer, type Server} from 'node:http';
import type Koa from 'koa';

/** How long a client may take; Callina sends small bodies quickly, so a slow or silent client is cut off. */
export interface HttpTimeouts {
  /** To receive a request's headers (a trickling "slowloris" client). */
  headersMs: number;
  /** To receive the whole request, body included (a body that never ends). */
  requestMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveMs: number;
  /**
   * How often Node looks for requests past the two limits above. Its
   * default, 30 s, would let a slow client hold its socket up to 30 s longer.
   */
  checkEveryMs: number;
}

export const SERVER_TIMEOUTS: HttpTimeouts = Object.freeze({headersMs: 10_000, requestMs: 15_000, keepAliveMs: 5_000, checkEveryMs: 1_000});

/** The app's HTTP server with those limits; not yet listening. */
export function createHttpServer(app: Koa, timeouts: HttpTimeouts = SERVER_TIMEOUTS): Server {
  const server = createServer(
    {headersTimeout: timeouts.headersMs, requestTimeout: timeouts.requestMs, connectionsCheckingInterval: timeouts.checkEveryMs},
    app.callback(),
  );
  server.keepAliveTimeout = timeouts.keepAliveMs;
  return server;
}
