import type {Middleware, ParameterizedContext} from 'koa';
import {HttpError} from '../http-error.ts';
import type {ShopRecord} from '../storage/storage.ts';
import type {Installer} from './installer.ts';
import {myshopifyDomain} from './shop-domain.ts';
import type {ShopifyAppApi} from './shopify-app-api.ts';

export interface SessionTokenState {
  /** The shop named by the verified session token; every /api answer is about this shop only. */
  shop: ShopRecord;
}

/**
 * /api/* accepts only a valid App Bridge session token (a JWT signed with
 * the app's secret, for our API key, not expired). App Bridge retries once
 * with a fresh token when a 401 carries X-Shopify-Retry-Invalid-Session-Request.
 */
export function requireSessionToken(deps: {shopify: ShopifyAppApi; installer: Installer}): Middleware<SessionTokenState> {
  return async (ctx, next) => {
    const match = /^Bearer\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(ctx.get('authorization'));
    if (!match) throw new HttpError(401, 'missing_session_token', 'send the App Bridge session token as Authorization: Bearer <token>');
    const token = match[1]!;
    let dest: string;
    try {
      dest = (await deps.shopify.session.decodeSessionToken(token)).dest;
    } catch {
      // The library's message quotes the token: it stays out of answers and logs.
      ctx.set('X-Shopify-Retry-Invalid-Session-Request', '1');
      throw new HttpError(401, 'invalid_session_token', 'the session token is invalid or expired');
    }
    const shop = myshopifyDomain(deps.shopify, String(dest).replace(/^https:\/\//, ''));
    if (!shop) throw new HttpError(401, 'invalid_session_token', 'the session token names no shop');
    try {
      ctx.state.shop = await deps.installer.ensureInstalled(shop, token);
    } catch (error) {
      // Shopify refused this token for the exchange: a fresh one from App Bridge may pass.
      if (error instanceof HttpError && error.status === 401) ctx.set('X-Shopify-Retry-Invalid-Session-Request', '1');
      throw error;
    }
    await next();
  };
}

/**
 * The shop a handler may act for. Handlers read it through here, never from
 * ctx.state directly: should a route ever be reached past the token check,
 * it refuses instead of acting for no one (or crashing with a 500).
 */
export function authenticatedShop(ctx: ParameterizedContext<Partial<SessionTokenState>>): ShopRecord {
  const shop = ctx.state.shop;
  if (!shop) throw new HttpError(401, 'missing_session_token', 'send the App Bridge session token as Authorization: Bearer <token>');
  return shop;
}
