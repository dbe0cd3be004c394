import type {Router} from '@koa/router';
import {createRouter} from '../http-router.ts';
import {
  BotActivityDetected,
  CookieNotFound,
  HttpRequestError,
  HttpResponseError,
  InvalidHmacError,
  InvalidOAuthError,
  InvalidShopError,
} from '@shopify/shopify-api';
import type {Context} from 'koa';
import type {Logger} from '../log.ts';
import {sendHtmlPage} from './html-page.ts';
import type {Installer} from './installer.ts';
import {myshopifyDomain} from './shop-domain.ts';
import type {ShopifyAppApi} from './shopify-app-api.ts';

export const CALLBACK_PATH = '/auth/callback';

/**
 * The authorization-code OAuth flow, for installs that do not go through
 * Shopify-managed installation (e.g. a link to /auth?shop=…): GET /auth
 * redirects to Shopify's consent screen with a signed state cookie; the
 * callback checks HMAC, timestamp (±90 s) and state, exchanges the code
 * for an expiring offline token and installs the shop.
 */
export function oauthRouter(deps: {shopify: ShopifyAppApi; installer: Installer; log: Logger}): Router {
  const {shopify, installer, log} = deps;
  const router = createRouter();

  const shopFrom = (ctx: Context): string | null => myshopifyDomain(shopify, ctx.query.shop);
  const invalidShop = (ctx: Context) =>
    sendHtmlPage(ctx, 400, 'Invalid shop', 'The shop parameter must be a shop domain like my-store.myshopify.com.');

  router.get('/auth', async (ctx) => {
    const shop = shopFrom(ctx);
    if (!shop) return invalidShop(ctx);
    // begin() writes the redirect (or 410 for bots) on the raw response and ends it.
    ctx.respond = false;
    await shopify.auth.begin({shop, callbackPath: CALLBACK_PATH, isOnline: false, rawRequest: ctx.req, rawResponse: ctx.res});
  });

  router.get(CALLBACK_PATH, async (ctx) => {
    const shop = shopFrom(ctx);
    if (!shop) return invalidShop(ctx);
    const restart = {href: `/auth?shop=${encodeURIComponent(shop)}`, label: 'Start the installation again'};
    try {
      // callback() only sets headers (it clears the state cookie); we answer.
      const {session} = await shopify.auth.callback({rawRequest: ctx.req, rawResponse: ctx.res, expiring: true});
      await installer.complete(session);
    } catch (error) {
      if (error instanceof BotActivityDetected) {
        return sendHtmlPage(ctx, 410, 'Not available to automated clients', 'Install the app from a browser.');
      }
      if (error instanceof CookieNotFound) {
        return sendHtmlPage(ctx, 400, 'Installation expired', 'The sign-in state is missing or older than a minute, or cookies are blocked.', restart);
      }
      if (error instanceof InvalidHmacError) {
        const stale = /tolerance|timestamp/i.test(error.message);
        return stale
          ? sendHtmlPage(ctx, 401, 'Link expired', 'This link from Shopify is too old (more than 90 seconds) or has no valid timestamp.', restart)
          : sendHtmlPage(ctx, 401, 'Invalid signature', 'The request carries no HMAC signature from Shopify.', restart);
      }
      if (error instanceof InvalidOAuthError) {
        return sendHtmlPage(ctx, 401, 'Invalid signature', 'The request was not signed by Shopify for this app, or its state does not match.', restart);
      }
      if (error instanceof InvalidShopError) return invalidShop(ctx);
      if (error instanceof HttpResponseError && error.response.code < 500 && error.response.code !== 429) {
        log.warn({shop, status: error.response.code}, 'Shopify refused the authorization code');
        return sendHtmlPage(ctx, 400, 'Authorization refused', 'Shopify did not accept the authorization code; it may have been used already.', restart);
      }
      if (error instanceof HttpResponseError || error instanceof HttpRequestError) {
        log.warn({shop, error: error.name}, 'token request failed during OAuth');
        return sendHtmlPage(ctx, 502, 'Shopify unavailable', 'Shopify could not be reached to finish the installation.', restart);
      }
      log.error({err: error, shop}, 'OAuth callback failed');
      return sendHtmlPage(ctx, 500, 'Installation failed', 'Something went wrong on our side while installing the app.', restart);
    }
    ctx.redirect(embeddedAppUrl(shopify, ctx.query.host, shop));
  });

  return router;
}

/** Back into the Shopify admin, where the app opens embedded. */
function embeddedAppUrl(shopify: ShopifyAppApi, host: unknown, shop: string): string {
  if (typeof host === 'string' && host) {
    try {
      return shopify.auth.buildEmbeddedAppUrl(host);
    } catch {
      // An unreadable host: fall through to the shop's own admin URL.
    }
  }
  return `https://${shop}/admin/apps/${shopify.config.apiKey}`;
}
