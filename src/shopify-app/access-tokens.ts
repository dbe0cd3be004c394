import {HttpResponseError, type Session} from '@shopify/shopify-api';
import type {Logger} from '../log.ts';
import type {Storage} from '../storage/storage.ts';
import {createSessionStorage} from './session-storage.ts';
import type {ShopifyAppApi} from './shopify-app-api.ts';
import {singleFlight} from './single-flight.ts';

export interface AccessTokens {
  /**
   * The shop's current offline access token (refreshed when due), or
   * undefined when it has none that works. Rejects only when storage fails
   * (or a PostgreSQL lock wait times out).
   */
  forShop(shop: string): Promise<string | undefined>;
}

export interface AccessTokensDeps {
  shopify: ShopifyAppApi;
  /** `withLock` (PostgreSQL) makes the refresh one at a time across instances too. */
  storage: Storage & {withLock?<T>(key: string, fn: () => Promise<T>): Promise<T>};
  log: Logger;
  /** Refresh this long before expiry, so a lookup never sends a token that dies on the way. Default 5 minutes. */
  refreshMarginMs?: number;
  now?: () => number;
}

/** Shopify answers these when the refresh token is invalid, expired or revoked: only a new install helps. */
const REFUSED = new Set([400, 401, 403]);

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
  const sessions = createSessionStorage(storage);
  const flight = singleFlight<string | undefined>();
  const isFresh = (s: Session) => !s.expires || s.expires.getTime() - marginMs > now();

  async function markNeedsReconnect(shop: string, why: string): Promise<void> {
    await storage.updateShop(shop, {connection: 'needs_reconnect'});
    log.warn({shop, why}, 'shop needs reconnection: opening the app in the Shopify admin reconnects it');
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
    try {
      const {session: next} = await shopify.auth.refreshToken({shop, refreshToken: session.refreshToken});
      await sessions.storeSession(next);
      log.info({shop, expires: next.expires?.toISOString()}, 'access token refreshed');
      return next.accessToken;
    } catch (error) {
      if (error instanceof HttpResponseError && REFUSED.has(error.response.code)) {
        await markNeedsReconnect(shop, `Shopify refused the token refresh (${error.response.code})`);
        return undefined;
      }
      // Network trouble or a Shopify outage: the next lookup tries again; the old token serves while it lives.
      const status = error instanceof HttpResponseError ? error.response.code : undefined;
      log.warn({shop, status, error: (error as Error).name}, 'token refresh failed; retrying on the next lookup');
      return session.isExpired() ? undefined : session.accessToken;
    }
  }

  return {
    async forShop(shop) {
      const clean = shopify.utils.sanitizeShop(shop.trim().toLowerCase());
      if (!clean) return undefined;
      const id = shopify.session.getOfflineId(clean);
      const session = await sessions.loadSession(id);
      if (!session?.accessToken) return undefined;
      if (isFresh(session)) return session.accessToken;
      return flight(clean, () =>
        storage.withLock ? storage.withLock(`shopify-token-refresh:${clean}`, () => refresh(clean, id)) : refresh(clean, id),
      );
    },
  };
}
