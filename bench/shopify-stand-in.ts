/**
 * Shopify's order lookup answered over plain loopback HTTP, for the memory
 * scenario: 100,000 cold lookups through nock would take minutes (nock
 * costs ~2–4 ms of CPU per request) and leak a socket handle each
 * (~20 KB), drowning the cache in the measurement.
 */
import {createServer} from 'node:http';
import {orderAnswer, requestedKey, SHOPIFY_HEADERS} from './shopify-answer.ts';

let calls = 0;
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    calls++;
    const body = orderAnswer(requestedKey(Buffer.concat(chunks).toString('utf8')));
    res.writeHead(200, {...SHOPIFY_HEADERS, 'Content-Length': Buffer.byteLength(body)});
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const {port} = server.address() as {port: number};
process.on('message', (message: {type: string}) => {
  if (message.type === 'stats') process.send!({type: 'stats:done', calls});
});
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
process.once('disconnect', () => process.exit(1)); // run.ts is gone
process.send!({type: 'ready', url: `http://127.0.0.1:${port}`});
