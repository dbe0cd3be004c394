/**
 * Child process of webhook.fuzz.test.ts: sends each request it is given,
 * byte for byte, with node:http. It runs apart from the test process
 * because nock intercepts every outgoing request there and rewrites some
 * on the way (it inflates a body declared as gzip, and chokes on one that
 * is not), so the server would not see the bytes the fuzzer chose.
 */
import {Agent, request} from 'node:http';

export interface SendRequest {
  id: number;
  url: string;
  method: string;
  headers: Record<string, string>;
  /** base64 of the body bytes; sent with Content-Length, or chunked in 7,000-byte pieces. */
  body: string | null;
  chunked: boolean;
}

export type SendResult = {id: number; status: number; text: string; connection: string | undefined} | {id: number; error: string};

const agent = new Agent({keepAlive: true, maxSockets: 4});

function send(r: SendRequest, retried = false): Promise<SendResult> {
  return new Promise((resolve) => {
    const bytes = r.body === null ? null : Buffer.from(r.body, 'base64');
    // Explicit: Node's client sends no framing at all for a DELETE or OPTIONS body unless told.
    const framing = bytes && r.chunked ? {'transfer-encoding': 'chunked'} : bytes ? {'content-length': String(bytes.length)} : {};
    const headers = {...r.headers, ...framing};
    const req = request(r.url, {method: r.method, headers, agent}, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({id: r.id, status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), connection: res.headers.connection}));
      res.on('error', (error) => resolve({id: r.id, error: String(error)}));
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      // A kept-alive socket the server closed after the previous request (say, a 413 with body left unread):
      // the keep-alive race Node's documentation describes; the request never reached the server. Once more, on a new one.
      if (req.reusedSocket && error.code === 'ECONNRESET' && !retried) return resolve(send(r, true));
      resolve({id: r.id, error: `${error.code ?? ''} ${error.message}`});
    });
    if (bytes && r.chunked) for (let at = 0; at < bytes.length; at += 7_000) req.write(bytes.subarray(at, at + 7_000));
    req.end(bytes && !r.chunked ? bytes : undefined);
  });
}

process.on('message', (r: SendRequest) => void send(r).then((result) => process.send!(result)));
process.once('disconnect', () => process.exit(0));
process.send!({id: -1, status: 0, text: 'ready', connection: undefined} satisfies SendResult);
