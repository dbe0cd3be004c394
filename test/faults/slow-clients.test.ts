/**
 * Slow and silent clients against the real server (createHttpServer, as
 * server.ts uses it, with short limits): a client trickling its headers,
 * one that never finishes its body and one that sends nothing are cut off
 * with a 408 once their limit has passed, and calls keep being answered
 * meanwhile.
 *
 * No nock in this file: its socket interception also wraps the raw TCP
 * clients used here, and with it loaded they never saw the server close
 * them (every test timed out). The
 * calls in between are escalations, which go through the whole call path
 * (signature, storage) without Shopify.
 */
import {connect} from 'node:net';
import {join} from 'node:path';
import type {Server} from 'node:http';
import {setTimeout as sleep} from 'node:timers/promises';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {createApp} from '../../src/app.ts';
import {loadConfig} from '../../src/config.ts';
import {createHttpServer, type HttpTimeouts} from '../../src/http-server.ts';
import {openStorage} from '../../src/storage/open-storage.ts';
import type {ShopRecord, Storage} from '../../src/storage/storage.ts';
import {addShop, callinaEvent, postEvent} from '../helpers/callina.ts';
import {captureLogger, TEST_KEY, tempDir} from '../helpers/test-app.ts';
import {ANSWER_SLACK_MS} from '../helpers/answer-slack.ts';

const TIMEOUTS: HttpTimeouts = {headersMs: 600, requestMs: 1_000, keepAliveMs: 5_000, checkEveryMs: 100};
/** Node checks the limits every checkEveryMs; allow that twice plus scheduling noise. */
const SLACK_MS = 2 * TIMEOUTS.checkEveryMs + 400;
const BUDGET_MS = 400;
const STORE_PHONE = '+43662275124';

let server: Server;
let storage: Storage;
let shop: ShopRecord;
let url: string;
let port: number;
let logs: string[];
let removeDir: () => void;

beforeEach(async () => {
  const tmp = tempDir();
  removeDir = tmp.remove;
  const config = loadConfig({DATABASE_URL: `sqlite:${join(tmp.dir, 'test.sqlite')}`, ENCRYPTION_KEY: TEST_KEY, LOG_LEVEL: 'debug', LOOKUP_BUDGET_MS: String(BUDGET_MS)});
  const captured = captureLogger();
  logs = captured.lines;
  storage = await openStorage({databaseUrl: config.databaseUrl, encryptionKey: config.encryptionKey, log: captured.log});
  shop = await addShop(storage, {storePhone: STORE_PHONE});
  server = createHttpServer(createApp({config, storage, log: captured.log}), TIMEOUTS);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as {port: number}).port;
  url = `http://127.0.0.1:${port}`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await storage.close();
  removeDir();
});

interface RawClient {
  write(text: string): void;
  /** Everything the server sent, and when it closed the connection (ms after connecting). */
  closed: Promise<{received: string; afterMs: number}>;
}

/** A TCP client that sends exactly what it is told, when it is told. */
function rawClient(): RawClient {
  const socket = connect(port, '127.0.0.1');
  const started = performance.now();
  let received = '';
  socket.on('data', (chunk) => (received += chunk.toString('latin1')));
  socket.on('error', () => {}); // a reset after the 408 is the server's right
  return {
    write: (text) => void (socket.writable && socket.write(text)),
    closed: new Promise((resolve) => socket.on('close', () => resolve({received, afterMs: performance.now() - started}))),
  };
}

/** Headers one byte at a time, forever: the client never finishes them. */
function trickleHeaders(client: RawClient): () => void {
  client.write(`POST /callina/${shop.hookId} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: `);
  const timer = setInterval(() => client.write('a'), 50);
  void client.closed.then(() => clearInterval(timer));
  return () => clearInterval(timer);
}

/** A caller asking for a person: answered (and recorded) within the budget. */
async function callAnsweredInTime(): Promise<void> {
  const event = callinaEvent({event: 'escalation.requested', reason: 'caller_request', context: {caller_phone: '+15551234567'}});
  const res = await postEvent(url, shop, event);
  expect(res.status).toBe(200);
  expect(res.json).toEqual({say: 'Let me transfer you to our team.', next_action: 'transfer', transfer_to: STORE_PHONE});
  expect(res.ms).toBeLessThan(BUDGET_MS + ANSWER_SLACK_MS);
}

function expectCutOffAfter(result: {received: string; afterMs: number}, limitMs: number): void {
  expect(result.received).toMatch(/^HTTP\/1\.1 408 /);
  expect(result.afterMs).toBeGreaterThanOrEqual(limitMs - 20);
  expect(result.afterMs).toBeLessThan(limitMs + SLACK_MS);
}

describe('slow clients do not hold the server', () => {
  it('headers trickled byte by byte: 408 after the headers limit, and calls are answered meanwhile', async () => {
    const slow = rawClient();
    trickleHeaders(slow);
    await sleep(100);
    await callAnsweredInTime();
    expectCutOffAfter(await slow.closed, TIMEOUTS.headersMs);
    await callAnsweredInTime();
  });

  it('a body that never ends: 408 after the request limit, the handler gives up without a 5xx', async () => {
    const slow = rawClient();
    slow.write(
      `POST /callina/${shop.hookId} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
        `X-Callina-Signature: sha256=${'0'.repeat(64)}\r\nContent-Length: 2000\r\n\r\n{"event":"intent.detected","call_id":"`,
    );
    await sleep(100);
    await callAnsweredInTime();
    expectCutOffAfter(await slow.closed, TIMEOUTS.requestMs);
    await callAnsweredInTime();
    const lines = logs.map((line) => JSON.parse(line) as {level: number; status?: number; path?: string});
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    expect(lines.filter((l) => l.path === '/callina/:hookId').map((l) => l.status)).toEqual([200, 400, 200]);
  });

  it('a connection that sends nothing is closed after the headers limit', async () => {
    const silent = rawClient();
    const result = await silent.closed;
    expect(result.afterMs).toBeGreaterThanOrEqual(TIMEOUTS.headersMs - 20);
    expect(result.afterMs).toBeLessThan(TIMEOUTS.headersMs + SLACK_MS);
  });

  it('forty trickling clients at once: every call in between is answered in time, then all forty are cut off', async () => {
    const slow = Array.from({length: 40}, () => rawClient());
    slow.forEach(trickleHeaders);
    for (let i = 0; i < 5; i++) await callAnsweredInTime();
    const results = await Promise.all(slow.map((client) => client.closed));
    for (const result of results) expectCutOffAfter(result, TIMEOUTS.headersMs);
    await callAnsweredInTime();
  });
});
