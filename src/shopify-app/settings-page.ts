import {readFileSync} from 'node:fs';
import type {Router} from '@koa/router';
import {createRouter} from '../http-router.ts';
import {escapeHtml, sendHtmlPage} from './html-page.ts';
import {myshopifyDomain} from './shop-domain.ts';
import type {ShopifyAppApi} from './shopify-app-api.ts';

/** Where Shopify's admin loads App Bridge from; the browser test serves a stand-in at this URL. */
export const APP_BRIDGE_URL = 'https://cdn.shopify.com/shopifycloud/app-bridge.js';

const ASSETS = {
  'settings.js': {type: 'text/javascript; charset=utf-8', body: readFileSync(new URL('./static/settings.js', import.meta.url))},
  'settings.css': {type: 'text/css; charset=utf-8', body: readFileSync(new URL('./static/settings.css', import.meta.url))},
} as const;
const PAGE = readFileSync(new URL('./static/settings.html', import.meta.url), 'utf8');

/**
 * GET / — the embedded settings page. It holds no data itself: the script
 * fetches everything from /api/* with App Bridge's session token. Only the
 * shop's admin and admin.shopify.com may frame it.
 */
export function settingsPageRouter(deps: {shopify: ShopifyAppApi}): Router {
  const router = createRouter();
  const page = PAGE.replace('{{API_KEY}}', escapeHtml(deps.shopify.config.apiKey)).replace('{{APP_BRIDGE_URL}}', APP_BRIDGE_URL);

  router.get('/', (ctx) => {
    const shop = myshopifyDomain(deps.shopify, ctx.query.shop);
    if (!shop) {
      return sendHtmlPage(ctx, 400, 'Open the app from your Shopify admin', 'This page runs inside the Shopify admin (Apps → Callina order lookup); the shop parameter is missing or not a shop domain.');
    }
    ctx.set('Content-Security-Policy', `frame-ancestors https://${shop} https://admin.shopify.com; object-src 'none'; base-uri 'none'`);
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'html';
    ctx.body = page;
  });

  router.get('/static/:file', (ctx) => {
    const file = ctx.params.file!;
    if (!Object.hasOwn(ASSETS, file)) return;
    const asset = ASSETS[file as keyof typeof ASSETS];
    ctx.type = asset.type;
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = asset.body;
  });

  return router;
}
