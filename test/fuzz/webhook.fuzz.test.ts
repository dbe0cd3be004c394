/**
 * The Callina webhook under random and mutated requests, over real HTTP:
 * payloads (mutated events, random JSON, bytes, text), encodings, sizes
 * around the 64 KiB limit, headers, methods, paths and signatures. Signed
 * cases are signed over the exact bytes sent, so they reach the parser,
 * the handlers and the lookup. Whatever arrives: never a 5xx, never the
 * shop's secret in a response or a log line, spoken words free of leaked
 * JS values, and the server answers a normal call afterwards.
 *
 * FUZZ_RUNS cases per property (default 300; `npm run fuzz` runs 20,000).
 */
import {fork, type ChildProcess} from 'node:child_process';
import {createHmac} from 'node:crypto';
import {fileURLToPath} from 'node:url';
import fc from 'fast-check';
import nock from 'nock';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {callerOrder, customerNode, customersByPhoneResponse, ordersByEmailResponse} from '../fixtures/shopify-customers.ts';
import {orderNode, orderQueryResponse, TEST_ACCESS_TOKEN, TEST_SHOP} from '../fixtures/shopify-orders.ts';
import {addShop, callinaEvent, postEvent} from '../helpers/callina.ts';
import {startTestApp, type TestApp} from '../helpers/test-app.ts';
import type {ShopRecord} from '../../src/storage/storage.ts';
import type {SendRequest, SendResult} from './http-sender.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const STORE_PHONE = '+43662275124';
const OTHER_SECRET = 'a-secret-of-another-shop-0123456789';
const LIMIT = 64 * 1024;

let app: TestApp;
let shop: ShopRecord;
let cases = 0;
/** Responses by status, and spoken answers by their first words: evidence the cases reached the handlers. */
const statuses = new Map<number, number>();
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  // Shopify knows every order: #<key> for whatever number the caller said.
  nock(`https://${TEST_SHOP}`)
    .persist()
    .post(/^\/admin\/api\/[^/]+\/graphql\.json$/)
    .reply(async (request: Request) => {
      const {variables} = (await request.json()) as {variables: {query: string}};
      // Callers without a number: a customer with that phone, or an order with that e-mail.
      const phone = /^phone:"(.+)"$/.exec(variables.query)?.[1];
      if (phone) return [200, JSON.stringify(customersByPhoneResponse([customerNode(1, phone, [callerOrder()])])), {'Content-Type': 'application/json'}];
      const email = /^email:"(.+)"$/.exec(variables.query)?.[1];
      if (email) return [200, JSON.stringify(ordersByEmailResponse([callerOrder({email})])), {'Content-Type': 'application/json'}];
      const key = /(\d+)"?$/.exec(variables.query)?.[1] ?? '1';
      return [200, JSON.stringify(orderQueryResponse({orders: [orderNode({name: `#${key}`})]})), {'Content-Type': 'application/json'}];
    });
  app = await startTestApp({env: {LOOKUP_BUDGET_MS: '1000'}});
  shop = await addShop(app.storage, {shop: TEST_SHOP, accessToken: TEST_ACCESS_TOKEN, storePhone: STORE_PHONE});
  await startSender();
});

afterAll(async () => {
  const byStatus = [...statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${status}: ${n}`).join(', ');
  console.log(`webhook fuzz: ${cases} cases (${byStatus})`);
  nock.cleanAll();
  nock.enableNetConnect();
  sender?.disconnect();
  await app?.close();
  process.off('unhandledRejection', onUnhandled);
});

// ---------------------------------------------------------------------------
// What a request is made of

/** Callina's events as they come, and events it may send one day. */
const baseEvent = fc.constantFrom<Record<string, unknown>>(
  {event: 'intent.detected', intent: 'lookup_order', params: {order_number: 'ORD-12345'}},
  {event: 'tool.invoked', tool: 'lookup_order', params: {order_number: '1001'}, intent: undefined},
  {event: 'escalation.requested', reason: 'caller_request', confidence: 0.4, intent: undefined, params: undefined},
  {event: 'silence.detected', silence_ms: 9400, intent: undefined, params: undefined},
  {event: 'call.ended', duration_ms: 61_000, intent: undefined, params: undefined},
);

const spokenNumber = fc.oneof(
  fc.integer({min: -5, max: 10 ** 16}),
  fc.stringMatching(/^[#]?[0-9]{1,18}$/),
  fc.array(fc.constantFrom('one', 'zero', 'oh', 'double', 'eins', 'zwo', 'null', 'hundred', 'ORD', '-', ' ', '4', '#'), {maxLength: 12}).map((w) => w.join(' ')),
  fc.string({maxLength: 300}),
  fc.constant(undefined),
);

/** A JSON path into the event and a value to put there (undefined: delete it). */
const mutation = fc.record({
  path: fc.constantFrom(
    ['event'], ['call_id'], ['occurred_at'], ['context'], ['context', 'caller_phone'], ['context', 'language'], ['context', 'locale'],
    ['params'], ['params', 'order_number'], ['intent'], ['tool'], ['reason'], ['confidence'], ['silence_ms'], ['__proto__'], ['constructor'],
  ),
  value: fc.oneof(
    fc.anything({maxDepth: 2, withNullPrototype: true, withObjectString: true}),
    fc.string({unit: 'binary', maxLength: 200}),
    spokenNumber,
    fc.constantFrom(undefined, null, '', 'lookup_order', 'intent.detected', 'de-AT', 'xx', '+4366012345678', '1970-01-01T00:00:00Z', 'NaN', 1e308, -0),
  ),
});

function mutate(event: Record<string, unknown>, mutations: {path: readonly string[]; value: unknown}[]): Record<string, unknown> {
  const copy = structuredClone(event);
  for (const {path, value} of mutations) {
    let target: Record<string, unknown> = copy;
    for (const key of path.slice(0, -1)) {
      const next = target[key];
      if (!next || typeof next !== 'object') target[key] = {};
      target = target[key] as Record<string, unknown>;
    }
    const last = path.at(-1)!;
    if (value === undefined) delete target[last];
    else Object.defineProperty(target, last, {value, enumerable: true, writable: true, configurable: true});
  }
  return copy;
}

/** The body as text or bytes; events get a fresh occurred_at so a signed one reaches the handlers. */
const sizedBody = fc.oneof(
  {weight: 4, arbitrary: fc.integer({min: LIMIT - 300, max: LIMIT + 300})},
  {weight: 1, arbitrary: fc.constantFrom(3 * LIMIT, 0)},
).map((size) => ({kind: 'sized' as const, size}));

const body = fc.oneof(
  {weight: 6, arbitrary: fc.tuple(baseEvent, spokenNumber, fc.array(mutation, {maxLength: 4})).map(([event, spoken, mutations]) => ({kind: 'event' as const, event, spoken, mutations}))},
  {weight: 1, arbitrary: fc.json({maxDepth: 3}).map((text) => ({kind: 'text' as const, text}))},
  {weight: 1, arbitrary: fc.string({unit: 'binary', maxLength: 500}).map((text) => ({kind: 'text' as const, text}))},
  {weight: 1, arbitrary: fc.uint8Array({maxLength: 500}).map((bytes) => ({kind: 'bytes' as const, bytes}))},
  {weight: 1, arbitrary: sizedBody},
);

const encoding = fc.constantFrom('utf8', 'utf8', 'utf8', 'utf8-bom', 'utf16le', 'latin1', 'truncated');

const signature = fc.oneof(
  {weight: 8, arbitrary: fc.constantFrom('sha256=hex', 'hex', 'HEX', 'base64', 'base64url', ' padded ')},
  {weight: 1, arbitrary: fc.constantFrom('other secret', 'other body', 'missing', 'empty', 'one bit off')},
  {weight: 1, arbitrary: fc.string({maxLength: 120}).map((s) => `random:${s}`)},
);

const headerValue = fc.stringMatching(/^[\x20-\x7e]{0,60}$/);
const request = fc.record({
  method: fc.oneof({weight: 12, arbitrary: fc.constant('POST')}, {weight: 1, arbitrary: fc.constantFrom('GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD')}),
  path: fc.oneof(
    {weight: 12, arbitrary: fc.constant('hook')},
    {weight: 1, arbitrary: fc.constantFrom('hook/extra', 'hook?x=1&x=2', 'HOOK', 'hook%00')},
    {weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{22,64}$/)},
    {weight: 1, arbitrary: fc.string({maxLength: 80}).map(encodeURIComponent)},
  ),
  contentType: fc.oneof(
    {weight: 8, arbitrary: fc.constant('application/json')},
    {
      weight: 2,
      arbitrary: fc.constantFrom(undefined, 'application/json; charset=utf-16', 'APPLICATION/JSON; charset=UTF-8', 'application/vnd.api+json', 'text/plain', 'application/json, text/html', 'multipart/form-data; boundary=x', '*/*'),
    },
  ),
  contentEncoding: fc.option(fc.constantFrom('gzip', 'br', 'identity', 'x-bogus'), {freq: 8}),
  extraHeaders: fc.dictionary(fc.stringMatching(/^x-[a-z0-9-]{1,20}$/), headerValue, {maxKeys: 3}),
  body,
  encoding,
  signature,
  chunked: fc.boolean(),
});
type FuzzRequest = typeof request extends fc.Arbitrary<infer T> ? T : never;

// ---------------------------------------------------------------------------
// Turning it into bytes on the wire

function encode(text: string, how: string, cut: number): Buffer {
  switch (how) {
    case 'utf8-bom':
      return Buffer.from(`\ufeff${text}`, 'utf8');
    case 'utf16le':
      return Buffer.from(`\ufeff${text}`, 'utf16le');
    case 'latin1':
      return Buffer.from(text, 'latin1');
    case 'truncated':
      return Buffer.from(text, 'utf8').subarray(0, Math.floor(cut * Buffer.byteLength(text)));
    default:
      return Buffer.from(text, 'utf8');
  }
}

function bodyBytes(r: FuzzRequest): Buffer {
  const b = r.body;
  switch (b.kind) {
    case 'event': {
      const event = callinaEvent({...b.event, ...(b.event.params ? {params: {order_number: b.spoken}} : {})});
      return encode(JSON.stringify(mutate(event, b.mutations)) ?? 'null', r.encoding, 0.5);
    }
    case 'text':
      return encode(b.text, r.encoding, 0.5);
    case 'bytes':
      return Buffer.from(b.bytes);
    case 'sized': {
      const event = JSON.stringify(callinaEvent({params: {order_number: '1001'}}));
      if (b.size === 0) return Buffer.alloc(0);
      // A valid event padded with an ignored field to exactly `size` bytes.
      const padding = Math.max(0, b.size - Buffer.byteLength(event) - ',"pad":""'.length);
      return Buffer.from(`${event.slice(0, -1)},"pad":"${'x'.repeat(padding)}"}`, 'utf8');
    }
  }
}

function signatureFor(bytes: Buffer, how: string): string | undefined {
  const mac = (secret: string, data: Buffer | string = bytes) => createHmac('sha256', secret).update(data).digest();
  if (how.startsWith('random:')) return how.slice('random:'.length);
  switch (how) {
    case 'sha256=hex':
      return `sha256=${mac(shop.secret).toString('hex')}`;
    case 'hex':
      return mac(shop.secret).toString('hex');
    case 'HEX':
      return `SHA256=${mac(shop.secret).toString('hex').toUpperCase()}`;
    case 'base64':
      return mac(shop.secret).toString('base64');
    case 'base64url':
      return mac(shop.secret).toString('base64url');
    case ' padded ':
      return `  sha256=${mac(shop.secret).toString('hex')}  `;
    case 'other secret':
      return `sha256=${mac(OTHER_SECRET).toString('hex')}`;
    case 'other body':
      return `sha256=${mac(shop.secret, 'something else').toString('hex')}`;
    case 'one bit off': {
      const digest = mac(shop.secret);
      digest[0]! ^= 1;
      return `sha256=${digest.toString('hex')}`;
    }
    case 'empty':
      return '';
    default:
      return undefined;
  }
}

function pathFor(how: string): string {
  if (how === 'hook') return `/callina/${shop.hookId}`;
  if (how.startsWith('hook')) return `/callina/${shop.hookId}${how.slice(4)}`;
  if (how === 'HOOK') return `/callina/${shop.hookId.toUpperCase()}`;
  return `/callina/${how}`;
}

let sender: ChildProcess;
let nextId = 0;
const pending = new Map<number, (result: SendResult) => void>();

function startSender(): Promise<void> {
  sender = fork(fileURLToPath(new URL('./http-sender.ts', import.meta.url)), [], {stdio: ['ignore', 'inherit', 'inherit', 'ipc']});
  return new Promise((ready) =>
    sender.on('message', (result: SendResult) => {
      if (result.id === -1) return ready();
      pending.get(result.id)?.(result);
      pending.delete(result.id);
    }),
  );
}

async function send(r: FuzzRequest): Promise<{status: number; text: string; connection: string | undefined; bytesSent: number}> {
  const bytes = bodyBytes(r);
  const headers: Record<string, string> = {...r.extraHeaders};
  if (r.contentType !== undefined) headers['content-type'] = r.contentType;
  if (r.contentEncoding !== null) headers['content-encoding'] = r.contentEncoding;
  const sig = signatureFor(bytes, r.signature);
  if (sig !== undefined) headers['x-callina-signature'] = sig;
  const withBody = r.method !== 'GET' && r.method !== 'HEAD';
  const id = nextId++;
  const result = await new Promise<SendResult>((resolve) => {
    pending.set(id, resolve);
    const message: SendRequest = {id, url: `${app.url}${pathFor(r.path)}`, method: r.method, headers, body: withBody ? bytes.toString('base64') : null, chunked: r.chunked};
    sender.send(message);
  });
  if ('error' in result) throw new Error(`no response: ${result.error}`);
  return {status: result.status, text: result.text, connection: result.connection, bytesSent: withBody ? bytes.length : 0};
}

/** Everything that must hold for one response. */
function check(res: {status: number; text: string}): void {
  cases++;
  statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  expect(res.status).toBeLessThan(500);
  expect(res.text).not.toContain(shop.secret);
  expect(res.text).not.toContain(TEST_ACCESS_TOKEN);
  if (res.status === 200 && res.text) {
    const reply = JSON.parse(res.text) as {say?: unknown; next_action?: unknown; transfer_to?: unknown};
    expect(['continue', 'transfer']).toContain(reply.next_action);
    if (reply.next_action === 'transfer') expect(reply.transfer_to).toBe(STORE_PHONE);
    if (reply.say !== undefined) {
      expect(typeof reply.say).toBe('string');
      expect(reply.say).not.toMatch(/\b(undefined|null|NaN|Invalid|object)\b|\[object|\b[A-Z]{2,}_[A-Z_]+\b/);
    }
  }
}

describe('webhook fuzz', () => {
  it('random and mutated requests: never a 5xx, never the secret, only clean words', {timeout: 60_000 + RUNS * 100}, async () => {
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        check(await send(r));
      }),
      {numRuns: RUNS},
    );
  });

  it('bodies around the 64 KiB limit: over it 413, under it never 413', {timeout: 30_000 + RUNS * 50}, async () => {
    const sized = fc.tuple(request, sizedBody).map(([r, b]): FuzzRequest => ({...r, method: 'POST', path: 'hook', contentType: 'application/json', body: b}));
    await fc.assert(
      fc.asyncProperty(sized, async (r) => {
        const res = await send(r);
        check(res);
        if (res.bytesSent > LIMIT) {
          expect(res.status).toBe(413);
          // The unread rest of the body is still on the wire: the connection must not carry another request.
          expect(res.connection).toBe('close');
        } else {
          expect(res.status).not.toBe(413);
        }
      }),
      {numRuns: Math.max(20, Math.round(RUNS / 10))},
    );
  });

  it('afterwards: the server is up, answers a normal call, and no secret reached a log line or went unhandled', async () => {
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    const res = await postEvent(app.url, shop, callinaEvent({params: {order_number: '4711'}, context: {caller_phone: '+15551234567'}}));
    expect(res.status).toBe(200);
    expect(res.json).toEqual({say: expect.stringMatching(/^Your order 4 7 1 1 (was shipped|should have arrived) /), next_action: 'continue'});
    expect(app.logs.join('\n')).not.toContain(shop.secret);
    expect(unhandled).toEqual([]);
  });
});
