/**
 * The two fetches of src/shopify/connections.ts: the one the Shopify
 * library sends OAuth and its other requests through (undici's request()
 * answered as a fetch Response), and the lean one the Admin GraphQL client
 * sends lookups through. Shopify here is a loopback server reached through
 * the service's own pool.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {adminFetch, routeShopifyRequests, shopifyFetch} from '../../src/shopify/connections.ts';
import {sleep} from '../fixtures/shopify-orders.ts';
import {startLoopbackShopify, type LoopbackShopify} from '../helpers/loopback-shopify.ts';

const SHOP = 'https://fetch-test.myshopify.com';
let shopify: LoopbackShopify;

beforeAll(async () => {
  shopify = await startLoopbackShopify(SHOP, async (req, body, res) => {
    switch (req.url) {
      case '/echo':
        res.writeHead(201, 'Created Here', {'content-type': 'application/json', 'x-request-id': 'req-1'});
        res.end(JSON.stringify({method: req.method, contentType: req.headers['content-type'], token: req.headers['x-shopify-access-token'], body}));
        return;
      case '/cookies':
        res.setHeader('set-cookie', ['a=1', 'b=2']);
        res.end('ok');
        return;
      case '/empty':
        res.writeHead(204).end();
        return;
      case '/moved':
        res.writeHead(301, {location: `${SHOP}/echo`}).end();
        return;
      case '/slow':
        await sleep(2000);
        res.end('late');
        return;
      default:
        res.writeHead(404).end('no such path');
    }
  });
});

afterAll(() => shopify.close());

/** A GraphQL POST as the Shopify clients send it; /echo answers with what arrived. */
const ECHO_REQUEST = {
  method: 'POST',
  headers: {'Content-Type': 'application/json', 'X-Shopify-Access-Token': 'shpat_x'},
  body: JSON.stringify({query: '{ shop { name } }'}),
};

describe("the Shopify library's fetch", () => {
  it('sends method, headers and body, and answers with status, status text, headers and body', async () => {
    const res = await shopifyFetch(`${SHOP}/echo`, ECHO_REQUEST);
    expect(res.status).toBe(201);
    expect(res.ok).toBe(true);
    expect(res.statusText).toBe('Created Here');
    expect(res.headers.get('X-Request-Id')).toBe('req-1');
    expect(await res.json()).toEqual({method: 'POST', contentType: 'application/json', token: 'shpat_x', body: '{"query":"{ shop { name } }"}'});
  });

  it('keeps every value of a repeated header', async () => {
    const res = await shopifyFetch(`${SHOP}/cookies`);
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
  });

  it('answers 204 without a body, and 404 as not ok with its body', async () => {
    const empty = await shopifyFetch(`${SHOP}/empty`);
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
    const missing = await shopifyFetch(`${SHOP}/nowhere`);
    expect(missing.ok).toBe(false);
    expect(await missing.text()).toBe('no such path');
  });

  it('follows a redirect as fetch does, unless told not to', async () => {
    const followed = await shopifyFetch(`${SHOP}/moved`, {method: 'POST', body: 'x'});
    expect(followed.status).toBe(201);
    const manual = await shopifyFetch(`${SHOP}/moved`, {redirect: 'manual'});
    expect(manual.status).toBe(301);
  });

  it('sends a form body as fetch would', async () => {
    const res = await shopifyFetch(`${SHOP}/echo`, {method: 'POST', body: new URLSearchParams({code: 'abc'})});
    expect(await res.json()).toMatchObject({contentType: 'application/x-www-form-urlencoded;charset=UTF-8', body: 'code=abc'});
  });

});

describe("the Admin GraphQL client's fetch", () => {
  it('sends method, headers and body, and answers with status, status text, headers by any case, text and JSON', async () => {
    const res = await adminFetch(`${SHOP}/echo`, ECHO_REQUEST);
    expect([res.status, res.ok, res.statusText]).toEqual([201, true, 'Created Here']);
    expect(res.headers.get('X-Request-Id')).toBe('req-1');
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('retry-after')).toBeNull();
    const echoed = {method: 'POST', contentType: 'application/json', token: 'shpat_x', body: '{"query":"{ shop { name } }"}'};
    expect(await res.json()).toEqual(echoed);
    expect(JSON.parse(await res.text())).toEqual(echoed);
  });

  it('joins a repeated header as fetch does; a 404 is not ok and keeps its body; bad JSON rejects', async () => {
    expect((await adminFetch(`${SHOP}/cookies`, {method: 'GET'})).headers.get('Set-Cookie')).toBe('a=1, b=2');
    const missing = await adminFetch(`${SHOP}/nowhere`);
    expect([missing.ok, missing.status]).toEqual([false, 404]);
    expect(await missing.text()).toBe('no such path');
    await expect(missing.json()).rejects.toThrow(SyntaxError);
  });
});

describe.each([
  ['the Shopify library\'s fetch', shopifyFetch],
  ["the Admin GraphQL client's fetch", adminFetch],
])('%s', (_name, send: (url: string, init?: {signal?: AbortSignal}) => Promise<unknown>) => {
  it('rejects as fetch does: TypeError "fetch failed" without a connection, the signal\'s reason when aborted', async () => {
    const unreachable = routeShopifyRequests(() => 'http://127.0.0.1:1');
    try {
      await expect(send(`${SHOP}/echo`)).rejects.toMatchObject({name: 'TypeError', message: 'fetch failed', cause: {code: 'ECONNREFUSED'}});
    } finally {
      unreachable();
    }
    const reason = new Error('caller hung up');
    const controller = new AbortController();
    setTimeout(() => controller.abort(reason), 50);
    await expect(send(`${SHOP}/slow`, {signal: controller.signal})).rejects.toBe(reason);
  });
});
