import {HttpResponseError, type Session} from '@shopify/shopify-api';
import type {Logger} from '../log.ts';
import type {NamedLocks} from '../storage/advisory-lock.ts';
import type {Storage} from '../storage/storage.ts';
import {createSessionStorage} from './session-storage.ts';
import type {ShopifyAppApi} from './shopify-app-api.ts';
import {singleFlight} from './single-flight.ts';

export interface AccessTokens {
  /**
   * The shop's offline access token, or undefined when it has none that
   * works. A token that is due but still valid is returned at once while a
   * refresh runs in the background; only an expired token waits for its
   * refresh, so the caller bounds that wait by its own deadline (the refresh
   * goes on and the next call finds the new token). Rejects only when
   * storage fails or the cross-instance lock cannot be had.
   */
  forShop(shop: string): Promise<string | undefined>;
}

export interface AccessTokensDeps {
  shopify: ShopifyAppApi;
  /** `withLock` (PostgreSQL) makes the refresh one at a time across instances too. */
  storage: Storage & NamedLocks;
  log: Logger;
  /** Refresh this long before expiry, in the background. Default 5 minutes. */
  refreshMarginMs?: number;
  /** How long one refresh may wait for Shopify's token endpoint. Default 10 s. */
  refreshTimeoutMs?: number;
  now?: () => number;
}

/** Shopify answers these when the refresh token is invalid, expired or revoked: only a new install helps. */
const REFUSED = new Set([400, 401, 403]);

/**
 * A token with less left than this is not handed out: a lookup (up to
 * SHOPIFY_TIMEOUT_MS and a retry) could outlive it, and the 401 would mark
 * the shop for reconnection.
 */
const STILL_USABLE_MS = 60_000;

class RefreshTimeoutError extends Error {
  constructor(ms: number) {
    super(`Shopify's token endpoint did not answer within ${ms} ms`);
    this.name = 'RefreshTimeoutError';
  }
}

/**
 * Offline access tokens of shops installed through OAuth or token exchange.
 * Expiring offline tokens live 60 minutes; the refresh token they come with
 * is single-use, so refreshes run one at a time per shop and the new session
 * replaces the old in one write.
 */
export function createAccessTokens(deps: AccessTokensDeps): AccessTokens {
  const {shopify, storage, log} = deps;
  const now = deps.now ?? Date.now;
  const marginMs = deps.refreshMarginMs ?? 5 * 60_000;
  const timeoutMs = deps.refreshTimeoutMs ?? 10_000;
  const sessions = createSessionStorage(storage);
  const flight = singleFlight<string | undefined>();
  const isFresh = (s: Session) => !s.expires || s.expires.getTime() - marginMs > now();
  const isUsable = (s: Session) => !s.expires || s.expires.getTime() - STILL_USABLE_MS > now();

  async function markNeedsReconnect(shop: string, why: string): Promise<void> {
    await storage.updateShop(shop, {connection: 'needs_reconnect'});
    log.warn({shop, why}, 'shop needs reconnection: opening the app in the Shopify admin reconnects it');
  }

  /**
   * Shopify's answer, or RefreshTimeoutError after timeoutMs. The library
   * takes no abort signal, so a late answer is dropped unused: Shopify keeps
   * the previous refresh token valid until the new one is used, so nothing
   * is lost, and the lock is never held past the timeout.
   */
  async function askShopify(shop: string, refreshToken: string): Promise<Session> {
    let timer: NodeJS.Timeout | undefined;
    const request = shopify.auth.refreshToken({shop, refreshToken});
    request.catch(() => {}); // a late failure after the timeout has nobody to tell
    try {
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new RefreshTimeoutError(timeoutMs)), timeoutMs);
      });
      return (await Promise.race([request, timeout])).session;
    } finally {
      clearTimeout(timer);
    }
  }

  async function refresh(shop: string, id: string): Promise<string | undefined> {
    // Whoever held the lock before us may have refreshed already: use their token.
    const session = await sessions.loadSession(id);
    if (!session?.accessToken) return undefined;
    if (isFresh(session)) return session.accessToken;
    if ((await storage.getShop(shop))?.connection === 'needs_reconnect') return undefined;
    if (!session.refreshToken || (session.refreshTokenExpires && session.refreshTokenExpires.getTime() <= now())) {
      await markNeedsReconnect(shop, 'no usable refresh token');
      return undefined;
    }
    let next: Session;
    try {
      next = await askShopify(shop, session.refreshToken);
    } catch (error) {
      if (error instanceof HttpResponseError && REFUSED.has(error.response.code)) {
        await markNeedsReconnect(shop, `Shopify refused the token refresh (${error.response.code})`);
        return undefined;
      }
      // Network trouble, a timeout or a Shopify outage: the next call tries again; the old token serves while it lives.
      const status = error instanceof HttpResponseError ? error.response.code : undefined;
      log.warn({shop, status, error: (error as Error).name}, 'token refresh failed; retrying on the next lookup');
      return isUsable(session) ? session.accessToken : undefined;
    }
    await sessions.storeSession(next);
    log.info({shop, expires: next.expires?.toISOString()}, 'access token refreshed');
    return next.accessToken;
  }

  /** One refresh per shop at a time, in this process (single flight) and across instances (lock). */
  function refreshOnce(shop: string, id: string): Promise<string | undefined> {
    return flight(shop, async () => {
      try {
        if (!storage.withLock) return await refresh(shop, id);
        // The holder may take the whole refresh timeout plus a few statements; a waiter gives up after one timeout.
        const lock = {waitMs: timeoutMs, holdMs: timeoutMs + 30_000};
        return await storage.withLock(`shopify-token-refresh:${shop}`, () => refresh(shop, id), lock);
      } catch (error) {
        log.warn({shop, err: error}, 'token refresh could not run (storage or lock); retrying on the next lookup');
        throw error;
      }
    });
  }

  return {
    async forShop(shop) {
      const clean = shopify.utils.sanitizeShop(shop.trim().toLowerCase());
      if (!clean) return undefined;
      const id = shopify.session.getOfflineId(clean);
      const session = await sessions.loadSession(id);
      if (!session?.accessToken) return undefined;
      if (isFresh(session)) return session.accessToken;
      const refreshed = refreshOnce(clean, id);
      if (!isUsable(session)) return refreshed;
      refreshed.catch(() => {}); // logged in refreshOnce; this call has a valid token meanwhile
      return session.accessToken;
    },
  };
}
