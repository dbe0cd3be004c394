import {join} from 'node:path';
import nock from 'nock';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi} from 'vitest';
import {createAccessTokens, type AccessTokens} from '../../src/shopify-app/access-tokens.ts';
import {createShopifyAppApi} from '../../src/shopify-app/shopify-app-api.ts';
import {registerShop} from '../../src/shops/shop-registry.ts';
import {createCipher} from '../../src/storage/cipher.ts';
import {SqliteStorage} from '../../src/storage/sqlite-storage.ts';
import type {StoredSession} from '../../src/storage/storage.ts';
import {captureLogger, tempDir, TEST_KEY} from '../helpers/test-app.ts';
import {API_KEY, API_SECRET, INVALID_GRANT, interceptTokenEndpoint, SHOP, shopifyOnlyThroughNock, tokenResponse} from './shopify-app-helpers.ts';

let tmp: ReturnType<typeof tempDir>;
let storage: SqliteStorage;
let tokens: AccessTokens;
let logs: string[];

const MINUTE = 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A promise to resolve from outside: the test knows when Shopify's late answer has gone out. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return {open, opened};
}
const session = (overrides: Partial<StoredSession> = {}): StoredSession => ({
  id: `offline_${SHOP}`,
  shop: SHOP,
  state: '',
  isOnline: false,
  scope: 'read_orders,read_locales',
  expires: new Date(Date.now() + 50 * MINUTE),
  accessToken: 'shpat_current',
  refreshToken: 'shprt_current',
  refreshTokenExpires: new Date(Date.now() + 80 * 86_400_000),
  userId: null,
  ...overrides,
});

beforeAll(() => shopifyOnlyThroughNock());
afterAll(() => nock.enableNetConnect());
beforeEach(async () => {
  tmp = tempDir();
  storage = new SqliteStorage(join(tmp.dir, 'db.sqlite'), createCipher(Buffer.from(TEST_KEY, 'hex')));
  const captured = captureLogger();
  logs = captured.lines;
  const shopify = createShopifyAppApi({credentials: {apiKey: API_KEY, apiSecret: API_SECRET, scopes: ['read_orders']}, appUrl: 'https://callina.example.com', log: captured.log});
  tokens = createAccessTokens({shopify, storage, log: captured.log, refreshMarginMs: 5 * MINUTE});
  await registerShop(storage, {shop: SHOP});
});
afterEach(async () => {
  nock.cleanAll();
  await storage.close();
  tmp.remove();
});

describe('offline access tokens', () => {
  it('hands out a token that is not due without asking Shopify', async () => {
    await storage.storeSession(session());
    expect(await tokens.forShop(SHOP)).toBe('shpat_current');
    expect(await tokens.forShop('ANNA-DEMO.myshopify.com')).toBe('shpat_current');
  });

  it('answers undefined for a shop without a session and for a malformed domain', async () => {
    expect(await tokens.forShop('other.myshopify.com')).toBeUndefined();
    expect(await tokens.forShop('https://evil.example.com/x')).toBeUndefined();
  });

  it('hands out a due but still valid token at once and refreshes it in the background, storing the new session whole', async () => {
    await storage.storeSession(session({expires: new Date(Date.now() + 2 * MINUTE)}));
    const endpoint = interceptTokenEndpoint([[200, tokenResponse(2)]]);

    expect(await tokens.forShop(SHOP)).toBe('shpat_current');
    await vi.waitFor(async () => expect((await storage.loadSession(`offline_${SHOP}`))!.accessToken).toBe(tokenResponse(2).access_token));

    expect(endpoint.requests).toEqual([{client_id: API_KEY, client_secret: API_SECRET, refresh_token: 'shprt_current', grant_type: 'refresh_token'}]);
    const stored = (await storage.loadSession(`offline_${SHOP}`))!;
    expect(stored).toMatchObject({accessToken: tokenResponse(2).access_token, refreshToken: tokenResponse(2).refresh_token, scope: 'read_orders,read_locales'});
    expect(stored.expires!.getTime()).toBeGreaterThan(Date.now() + 59 * MINUTE);
    // Fresh again: no further request (the network is closed but for nock).
    expect(await tokens.forShop(SHOP)).toBe(tokenResponse(2).access_token);
  });

  it('starts one background refresh however many calls find the token due meanwhile', async () => {
    await storage.storeSession(session({expires: new Date(Date.now() + 2 * MINUTE)}));
    const endpoint = interceptTokenEndpoint([
      async () => {
        await sleep(150);
        return [200, tokenResponse(2)] as const;
      },
      [400, INVALID_GRANT],
    ]);
    expect(await Promise.all([tokens.forShop(SHOP), tokens.forShop(SHOP), tokens.forShop(SHOP)])).toEqual(Array(3).fill('shpat_current'));
    await vi.waitFor(async () => expect((await storage.loadSession(`offline_${SHOP}`))!.accessToken).toBe(tokenResponse(2).access_token));
    expect(endpoint.requests).toHaveLength(1);
    expect((await storage.getShop(SHOP))!.connection).toBe('ok');
  });

  it('refreshes once when two lookups find the token due at the same time', async () => {
    await storage.storeSession(session({expires: new Date(Date.now() - MINUTE)}));
    const endpoint = interceptTokenEndpoint([
      async () => {
        await sleep(150);
        return [200, tokenResponse(2)] as const;
      },
      // A second refresh would send the spent refresh token: Shopify would refuse it.
      [400, INVALID_GRANT],
    ]);

    const [a, b] = await Promise.all([tokens.forShop(SHOP), tokens.forShop(SHOP)]);

    expect([a, b]).toEqual([tokenResponse(2).access_token, tokenResponse(2).access_token]);
    expect(endpoint.requests).toHaveLength(1);
    expect((await storage.getShop(SHOP))!.connection).toBe('ok');
  });

  it('marks the shop for reconnection when Shopify refuses the refresh token, and stops asking', async () => {
    await storage.storeSession(session({expires: new Date(Date.now() - MINUTE)}));
    const endpoint = interceptTokenEndpoint([[400, INVALID_GRANT]]);

    expect(await tokens.forShop(SHOP)).toBeUndefined();
    expect((await storage.getShop(SHOP))!.connection).toBe('needs_reconnect');
    expect(endpoint.requests).toHaveLength(1);
    expect(await tokens.forShop(SHOP)).toBeUndefined();
    expect(logs.join('\n')).toContain('shop needs reconnection');
    expect(logs.join('\n')).not.toContain('shprt_current');
  });

  it.each([401, 403])('treats a %i from the token endpoint as a refused refresh', async (status) => {
    await storage.storeSession(session({expires: new Date(Date.now() + MINUTE)}));
    interceptTokenEndpoint([[status, {error: 'invalid_client'}]]);
    expect(await tokens.forShop(SHOP)).toBeUndefined();
    expect((await storage.getShop(SHOP))!.connection).toBe('needs_reconnect');
  });

  it('marks the shop without asking Shopify when the refresh token itself has expired', async () => {
    await storage.storeSession(session({expires: new Date(Date.now() - MINUTE), refreshTokenExpires: new Date(Date.now() - 1000)}));
    expect(await tokens.forShop(SHOP)).toBeUndefined();
    expect((await storage.getShop(SHOP))!.connection).toBe('needs_reconnect');
  });

  it('keeps serving a still-valid token when Shopify is down, and retries on the next call', async () => {
    await storage.storeSession(session({expires: new Date(Date.now() + 2 * MINUTE)}));
    const endpoint = interceptTokenEndpoint([[503, {errors: 'Service Unavailable'}], [200, tokenResponse(3)]]);

    expect(await tokens.forShop(SHOP)).toBe('shpat_current');
    await vi.waitFor(() => expect(logs.join('\n')).toContain('token refresh failed'));
    expect((await storage.getShop(SHOP))!.connection).toBe('ok');
    expect(await tokens.forShop(SHOP)).toBe('shpat_current');
    await vi.waitFor(async () => expect((await storage.loadSession(`offline_${SHOP}`))!.accessToken).toBe(tokenResponse(3).access_token));
    expect(await tokens.forShop(SHOP)).toBe(tokenResponse(3).access_token);
    expect(endpoint.requests).toHaveLength(2);
  });

  it('gives up on a token endpoint slower than its own timeout, drops the late answer, and tries again on the next call', async () => {
    const captured = captureLogger();
    const shopify = createShopifyAppApi({credentials: {apiKey: API_KEY, apiSecret: API_SECRET, scopes: ['read_orders']}, appUrl: 'https://callina.example.com', log: captured.log});
    const quick = createAccessTokens({shopify, storage, log: captured.log, refreshTimeoutMs: 300});
    await storage.storeSession(session({expires: new Date(Date.now() - MINUTE)}));
    const lateAnswer = gate();
    const endpoint = interceptTokenEndpoint([
      async () => {
        await sleep(900);
        lateAnswer.open();
        return [200, tokenResponse(5)] as const;
      },
      [200, tokenResponse(6)],
    ]);

    const started = performance.now();
    expect(await quick.forShop(SHOP)).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(800);
    expect(captured.lines.join('\n')).toContain('RefreshTimeoutError');
    await lateAnswer.opened;
    await sleep(50);
    // Shopify keeps the old refresh token valid until a new one is used: dropping the late answer loses nothing.
    expect((await storage.loadSession(`offline_${SHOP}`))!.accessToken).toBe('shpat_current');
    expect((await storage.getShop(SHOP))!.connection).toBe('ok');

    expect(await quick.forShop(SHOP)).toBe(tokenResponse(6).access_token);
    expect(endpoint.requests.map((r) => r.refresh_token)).toEqual(['shprt_current', 'shprt_current']);
  });

  it('answers undefined, without marking the shop, when the token has expired and Shopify is unreachable', async () => {
    await storage.storeSession(session({expires: new Date(Date.now() - MINUTE)}));
    nock(`https://${SHOP}`).post('/admin/oauth/access_token').replyWithError(Object.assign(new Error('socket hang up'), {code: 'ECONNRESET'}));
    expect(await tokens.forShop(SHOP)).toBeUndefined();
    expect((await storage.getShop(SHOP))!.connection).toBe('ok');
  });

  it('uses a non-expiring token (installed before expiring tokens) as it is', async () => {
    await storage.storeSession(session({expires: null, refreshToken: null, refreshTokenExpires: null}));
    expect(await tokens.forShop(SHOP)).toBe('shpat_current');
  });

  it('serialises refreshes through withLock when the storage offers one (PostgreSQL across instances)', async () => {
    await storage.storeSession(session({expires: new Date(Date.now() - MINUTE)}));
    const held: string[] = [];
    const withLock = async <T>(key: string, fn: () => Promise<T>): Promise<T> => {
      held.push(key);
      return fn();
    };
    // The same SQLite storage, plus a lock that records who takes it.
    const locking = new Proxy(storage, {
      get: (target, property) => {
        if (property === 'withLock') return withLock;
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as SqliteStorage & {withLock: typeof withLock};
    const captured = captureLogger();
    const shopify = createShopifyAppApi({credentials: {apiKey: API_KEY, apiSecret: API_SECRET, scopes: ['read_orders']}, appUrl: 'https://callina.example.com', log: captured.log});
    const viaLock = createAccessTokens({shopify, storage: locking, log: captured.log});
    interceptTokenEndpoint([[200, tokenResponse(4)]]);
    expect(await viaLock.forShop(SHOP)).toBe(tokenResponse(4).access_token);
    expect(held).toEqual([`shopify-token-refresh:${SHOP}`]);
  });
});
