/**
 * Shopify for the soak, in its own process: a loopback HTTP server that
 * answers the service's Admin GraphQL requests (order numbers and caller
 * IDs) after the bench's heavy-tailed latency, and fails on command:
 * `errors` (5xx and connection resets), `throttled` (THROTTLED on HTTP 200),
 * `outage` (every request fails at once). The instances reach it through
 * their own fetch (soak/instance.ts rewrites https://<shop> to this URL).
 * A separate process, so the instances' memory figures are the service's
 * own and a SIGKILLed instance does not take Shopify with it.
 */
import {createServer} from 'node:http';
import type {Message} from '../bench/child.ts';
import {HEAVY_TAIL, latencySampler} from '../bench/heavy-tail.ts';
import {callerAnswer, orderAnswer, requestedKey, requestedPhone, SHOPIFY_HEADERS} from '../bench/shopify-answer.ts';
import {orderQueryResponse, throttledResponse} from '../test/fixtures/shopify-orders.ts';
import {isUnknownOrder} from './traffic.ts';

export type ShopifyMode = 'normal' | 'errors' | 'throttled' | 'outage';

let mode: ShopifyMode = 'normal';
const draw = latencySampler(Number(process.env.SOAK_SEED ?? HEAVY_TAIL.seed));
const counts: Record<string, number> = {};
const count = (what: string) => (counts[what] = (counts[what] ?? 0) + 1);
// Deterministic alternation instead of randomness: a burst fails the same share every run.
let failures = 0;

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    const fail = failure();
    if (fail === 'reset') {
      count('reset');
      return req.socket.destroy();
    }
    if (fail === '503') {
      count('503');
      res.writeHead(503, {'Content-Type': 'text/plain'});
      return res.end('Service Unavailable');
    }
    const answer = fail === 'throttled' ? JSON.stringify(throttledResponse()) : answerFor(body);
    count(fail === 'throttled' ? 'throttled' : 'ok');
    setTimeout(() => {
      if (res.destroyed) return; // a hedged twin that lost, cancelled by the service
      res.writeHead(200, {...SHOPIFY_HEADERS, 'Content-Length': Buffer.byteLength(answer), Connection: 'keep-alive'});
      res.end(answer);
    }, fail === 'throttled' ? 5 : draw());
  });
});

function failure(): 'reset' | '503' | 'throttled' | undefined {
  if (mode === 'normal') return undefined;
  const n = failures++;
  if (mode === 'outage') return n % 2 === 0 ? '503' : 'reset';
  if (mode === 'errors') return n % 5 < 2 ? '503' : n % 5 === 2 ? 'reset' : undefined; // 60 % fail
  return n % 5 < 3 ? 'throttled' : undefined;
}

function answerFor(graphqlBody: string): string {
  const phone = requestedPhone(graphqlBody);
  if (phone) return callerAnswer(phone);
  const key = requestedKey(graphqlBody);
  return isUnknownOrder(key) ? JSON.stringify(orderQueryResponse({orders: []})) : orderAnswer(key);
}

server.keepAliveTimeout = 120_000;
server.headersTimeout = 130_000;
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const {port} = server.address() as {port: number};

process.on('message', (message: Message) => {
  if (message.type === 'mode') mode = message.mode as ShopifyMode;
  process.send!({type: `${message.type}:done`, counts: {...counts}});
});
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
process.once('disconnect', () => process.exit(1)); // the soak is gone
process.send!({type: 'ready', url: `http://127.0.0.1:${port}`});
