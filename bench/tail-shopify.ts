/**
 * A heavy-tailed Shopify for the tail scenario: a loopback HTTP server
 * answering the order lookup after a latency drawn from HEAVY_TAIL (or a
 * fixed one, for the connection count), counting requests and the TCP
 * connections it accepts.
 */
import {createServer} from 'node:http';
import type {Message} from './child.ts';
import {HEAVY_TAIL, latencySampler} from './heavy-tail.ts';
import {orderAnswer, requestedKey, SHOPIFY_HEADERS} from './shopify-answer.ts';
import {percentile} from './stats.ts';
import type {ServedLatency} from './tail.ts';

let draw = latencySampler(HEAVY_TAIL.seed);
let fixedMs: number | undefined;
let requests = 0;
let connections = 0;
/** The latencies drawn since the last 'mode': what this Shopify really served. */
let drawn: number[] = [];
const nextLatency = () => {
  const ms = fixedMs ?? draw();
  drawn.push(ms);
  return ms;
};

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    requests++;
    const body = orderAnswer(requestedKey(Buffer.concat(chunks).toString('utf8')));
    setTimeout(() => {
      if (res.destroyed) return; // the twin that lost, cancelled by the service
      // An explicit Connection header: no "Keep-Alive: timeout" hint, as from Shopify.
      res.writeHead(200, {...SHOPIFY_HEADERS, 'Content-Length': Buffer.byteLength(body), Connection: 'keep-alive'});
      res.end(body);
    }, nextLatency());
  });
});
server.on('connection', () => connections++);
server.keepAliveTimeout = 120_000;
server.headersTimeout = 130_000;
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const {port} = server.address() as {port: number};

process.on('message', (message: Message) => {
  if (message.type === 'mode') {
    fixedMs = typeof message.fixedMs === 'number' ? message.fixedMs : undefined;
    draw = latencySampler(HEAVY_TAIL.seed);
    drawn = [];
  }
  const sorted = [...drawn].sort((a, b) => a - b);
  const served: ServedLatency = {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    stalled_pct: (100 * sorted.filter((ms) => ms >= HEAVY_TAIL.stallMs[0]).length) / Math.max(1, sorted.length),
  };
  process.send!({type: `${message.type}:done`, requests, connections, served});
});
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
process.once('disconnect', () => process.exit(1)); // run.ts is gone
process.send!({type: 'ready', url: `http://127.0.0.1:${port}`});
