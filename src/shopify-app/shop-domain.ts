import {shopDomain} from '../shops/shop-fields.ts';
import type {ShopifyAppApi} from './shopify-app-api.ts';

/**
 * A shop domain from outside (session token, OAuth query, webhook header,
 * the settings page's URL): the library's sanitizeShop first (it turns
 * "admin.shopify.com/store/x" into "x.myshopify.com"), then our own rule,
 * the one the CLI and storage use: only `<name>.myshopify.com`, lower case.
 * sanitizeShop alone also passes admin.shopify.com, *.myshopify.io and
 * *.shop.dev, and a token exchange or redirect goes to whatever it passes.
 */
export function myshopifyDomain(shopify: ShopifyAppApi, value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const sanitized = shopify.utils.sanitizeShop(value.trim());
  if (!sanitized) return null;
  const ours = shopDomain.safeParse(sanitized);
  return ours.success ? ours.data : null;
}
