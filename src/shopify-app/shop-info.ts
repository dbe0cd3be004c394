import type {Session} from '@shopify/shopify-api';
import {z} from 'zod';
import {e164Phone, timeZone} from '../shops/shop-fields.ts';
import {languageOf, parseLocale, type Language} from '../speech/locale.ts';
import type {ShopifyAppApi} from './shopify-app-api.ts';

/**
 * The one query at install: what prefills the shop's settings. The billing
 * address phone is the shop's own number (no customer data). `shopLocales`
 * needs `read_locales`, so it is asked for only when the token has it.
 * Checked against the Admin schema in test/shopify-app/shop-info.test.ts.
 */
export const SHOP_INFO_QUERY = `#graphql
query CallinaInstall($withLocales: Boolean!) {
  shop {
    ianaTimezone
    billingAddress {
      phone
    }
  }
  shopLocales @include(if: $withLocales) {
    locale
    primary
  }
}
`;

export interface ShopInfo {
  timeZone: string | null;
  /** E.164, or null when Shopify has none or one we cannot dial. */
  phone: string | null;
  /** From the primary locale; null for languages Anna does not speak for us. */
  language: Language | null;
}

const responseSchema = z.object({
  shop: z.object({
    ianaTimezone: z.string().nullish(),
    billingAddress: z.object({phone: z.string().nullish()}).nullish(),
  }),
  shopLocales: z.array(z.object({locale: z.string(), primary: z.boolean()})).nullish(),
});

/** Any failure rejects; the installer installs without prefill then. */
export async function fetchShopInfo(shopify: ShopifyAppApi, session: Session, timeoutMs = 5000): Promise<ShopInfo> {
  const client = new shopify.clients.Graphql({session});
  const withLocales = session.isScopeIncluded('read_locales');
  const response = await client.request(SHOP_INFO_QUERY, {variables: {withLocales}, retries: 0, signal: AbortSignal.timeout(timeoutMs)});
  const data = responseSchema.parse(response.data);
  const zone = timeZone.safeParse(data.shop.ianaTimezone);
  const phone = e164Phone.safeParse(data.shop.billingAddress?.phone ?? undefined);
  const primary = parseLocale(data.shopLocales?.find((l) => l.primary)?.locale);
  return {
    timeZone: zone.success ? zone.data : null,
    phone: phone.success ? phone.data : null,
    language: primary ? languageOf(primary) : null,
  };
}
