import type {Router} from '@koa/router';
import {createRouter} from '../http-router.ts';
import type {Config} from '../config.ts';
import type {Logger} from '../log.ts';
import type {Storage} from '../storage/storage.ts';
import {sendHtmlPage} from './html-page.ts';
import {createInstaller} from './installer.ts';
import {oauthRouter} from './oauth-router.ts';
import {settingsApi} from './settings-api.ts';
import {settingsPageRouter} from './settings-page.ts';
import type {ShopifyAppApi} from './shopify-app-api.ts';
import {webhookRouter} from './webhook-router.ts';

export interface ShopifyAppRouterDeps {
  config: Config;
  storage: Storage;
  log: Logger;
  /** Undefined without SHOPIFY_API_KEY/SHOPIFY_API_SECRET: every route then says the app is not configured. */
  shopify: ShopifyAppApi | undefined;
  /** An order changed in Shopify (or must be forgotten): the next caller must hear the new state. Its name as Shopify writes it ("#1001"), or its GID. */
  evictOrder(shop: string, order: string): void;
  /** Everything cached for a shop is stale: uninstalled, redacted, settings saved or secret rotated. */
  evictShop(shop: string): void;
  /** A customer's orders changed: answers found by their phone or e-mail are stale. */
  evictCustomer?(shop: string, who: {customerId: string | null; email: string | null}): void;
  now?: () => number;
  /** Clock for the call report's days: the one the calls were counted by. */
  reportNow?: () => Date;
}

/**
 * The merchant side: install (token exchange, OAuth), Shopify webhooks, the
 * settings page and its API. Mount with `.routes()` and `.allowedMethods()`.
 */
export function shopifyAppRouter(deps: ShopifyAppRouterDeps): Router {
  const {shopify, storage, log} = deps;
  if (!shopify) return notConfiguredRouter();
  const installer = createInstaller({shopify, storage, log});
  const router = createRouter();
  for (const child of [
    settingsPageRouter({shopify}),
    oauthRouter({shopify, installer, log}),
    webhookRouter({shopify, storage, log, evictOrder: deps.evictOrder, evictShop: deps.evictShop, evictCustomer: deps.evictCustomer, now: deps.now}),
    settingsApi({
      shopify, installer, storage, log, appUrl: deps.config.appUrl, secretGraceMs: deps.config.secretGraceMs, evictShop: deps.evictShop, reportNow: deps.reportNow,
    }),
  ]) {
    router.use(child.routes());
  }
  return router;
}

/** Without credentials the service still answers Callina for CLI-registered shops; the app side says why it is off. */
function notConfiguredRouter(): Router {
  const router = createRouter();
  const message = 'the Shopify app is not configured on this server (SHOPIFY_API_KEY and SHOPIFY_API_SECRET are missing)';
  for (const path of ['/', '/auth', '/auth/callback']) {
    router.get(path, (ctx) => sendHtmlPage(ctx, 503, 'Shopify app not configured', `Sorry, ${message}.`));
  }
  // Answered here: the shared error funnel turns every 5xx into a generic "internal error".
  router.all(['/webhooks/shopify', '/api/{*rest}'], (ctx) => {
    ctx.status = 503;
    ctx.body = {error: 'shopify_app_not_configured', message};
  });
  return router;
}
