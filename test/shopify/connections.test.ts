/**
 * Connections to a shop's Admin API host are reused across lookups that
 * come seconds apart, and bounded per host. Shopify here is a loopback
 * HTTP server that counts the TCP connections it accepts; requests for
 * https://<shop>/… reach it through the service's own pool with their
 * origin rewritten (the only difference from production, where each
 * connection would also be a TLS handshake).
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createAdminGraphql} from '../../src/shopify/admin-graphql.ts';
import {CONNECTIONS_PER_HOST} from '../../src/shopify/connections.ts';
import {orderNode, orderQueryResponse, sleep, TEST_ACCESS_TOKEN, TEST_SHOP} from '../fixtures/shopify-orders.ts';
import {startLoopbackShopify, type LoopbackShopify} from '../helpers/loopback-shopify.ts';

let shopify: LoopbackShopify;
let connections = 0;
let answerAfterMs = 0;

beforeAll(async () => {
  shopify = await startLoopbackShopify(`https://${TEST_SHOP}`, async (_req, body, res) => {
    const key = /(\d+)"?$/.exec(JSON.parse(body).variables.query)?.[1] ?? '0';
    await sleep(answerAfterMs);
    // An explicit Connection header: Node then sends no "Keep-Alive: timeout" hint (Shopify sends none either).
    res.writeHead(200, {'content-type': 'application/json', connection: 'keep-alive'});
    res.end(JSON.stringify(orderQueryResponse({orders: [orderNode({name: `#${key}`})]})));
  });
  shopify.server.on('connection', () => connections++);
  shopify.server.keepAliveTimeout = 120_000;
});

afterAll(() => shopify.close());

const admin = createAdminGraphql();
const lookup = (key: string) => admin.fetchOrderByNumber({shop: TEST_SHOP, accessToken: TEST_ACCESS_TOKEN, key, withPhone: false});

describe("connections to a shop's Admin API host", () => {
  it('are reused by lookups 4.5 s apart (longer than Node’s default keep-alive of 4 s)', {timeout: 15_000}, async () => {
    const before = connections;
    expect((await lookup('1001')).order?.name).toBe('#1001');
    await sleep(4500);
    expect((await lookup('1002')).order?.name).toBe('#1002');
    expect(connections - before).toBe(1);
  });

  it(`never exceed ${CONNECTIONS_PER_HOST} to one host, however many lookups run at once`, async () => {
    answerAfterMs = 100;
    const before = connections;
    const answers = await Promise.all(Array.from({length: CONNECTIONS_PER_HOST + 20}, (_, i) => lookup(String(2000 + i))));
    answerAfterMs = 0;
    expect(answers.every((a, i) => a.order?.name === `#${2000 + i}`)).toBe(true);
    expect(connections - before).toBeGreaterThan(1);
    expect(connections - before).toBeLessThanOrEqual(CONNECTIONS_PER_HOST);
  });
});
