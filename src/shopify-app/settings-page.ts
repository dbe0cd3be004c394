import {readFileSync} from 'node:fs';
import type {Router} from '@koa/router';
import {createRouter} from '../http-router.ts';
import {escapeHtml, sendHtmlPage} from './html-page.ts';
import {myshopifyDomain} from './shop-domain.ts';
import {pageLanguage, pageText, type PageLanguage, type PageTextKey} from './page-text.ts';
import type {ShopifyAppApi} from './shopify-app-api.ts';

/** Where Shopify's admin loads App Bridge from; the browser test serves a stand-in at this URL. */
export const APP_BRIDGE_URL = 'https://cdn.shopify.com/shopifycloud/app-bridge.js';

const ASSETS = {
  'settings.js': {type: 'text/javascript; charset=utf-8', body: readFileSync(new URL('./static/settings.js', import.meta.url))},
  'settings.css': {type: 'text/css; charset=utf-8', body: readFileSync(new URL('./static/settings.css', import.meta.url))},
} as const;
const PAGE = readFileSync(new URL('./static/settings.html', import.meta.url), 'utf8');

/** The page in one language: its words filled in, and the whole table handed to the script as JSON. */
function renderPage(apiKey: string, language: PageLanguage): string {
  const text = pageText(language);
  return PAGE.replace('{{API_KEY}}', () => escapeHtml(apiKey))
    .replace('{{APP_BRIDGE_URL}}', APP_BRIDGE_URL)
    .replace('{{PAGE_TEXT_JSON}}', () => JSON.stringify(text).replace(/</g, '\\u003c'))
    .replace(/\{\{t\.([\w.]+)\}\}/g, (_, key: string) => {
      if (!Object.hasOwn(text, key)) throw new Error(`settings.html uses page text "${key}", which page-text.ts does not have`);
      return escapeHtml(text[key as PageTextKey]);
    });
}

/**
 * GET / — the embedded settings page, in the admin's language (Shopify's
 * `locale` parameter). It holds no data itself: the script fetches
 * everything from /api/* with App Bridge's session token. Only the shop's
 * admin and admin.shopify.com may frame it.
 */
export function settingsPageRouter(deps: {shopify: ShopifyAppApi}): Router {
  const router = createRouter();
  const pages: Record<PageLanguage, string> = {en: renderPage(deps.shopify.config.apiKey, 'en'), de: renderPage(deps.shopify.config.apiKey, 'de')};

  router.get('/', (ctx) => {
    const shop = myshopifyDomain(deps.shopify, ctx.query.shop);
    if (!shop) {
      return sendHtmlPage(ctx, 400, 'Open the app from your Shopify admin', 'This page runs inside the Shopify admin (Apps → Callina order lookup); the shop parameter is missing or not a shop domain.');
    }
    ctx.set('Content-Security-Policy', `frame-ancestors https://${shop} https://admin.shopify.com; object-src 'none'; base-uri 'none'`);
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'html';
    ctx.body = pages[pageLanguage(ctx.query.locale)];
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
