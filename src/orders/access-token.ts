import type {Logger} from '../log.ts';
import type {ShopRecord} from '../storage/storage.ts';

/** Why a lookup has no token to ask Shopify with; both lookups answer it as "unavailable". */
export type NoToken = {kind: 'unavailable'; reason: 'token_error' | 'needs_reconnect' | 'no_token'};

/**
 * The shop's Admin API token for a lookup, or why there is none. Read
 * inside the caller's budget (storage, perhaps a refresh): past the
 * budget it goes on, so Callina's retry finds the new token.
 */
export async function tokenForLookup(
  shop: ShopRecord,
  accessTokenFor: (shop: ShopRecord) => Promise<string | undefined>,
  log: Logger,
): Promise<string | NoToken> {
  let accessToken: string | undefined;
  try {
    accessToken = await accessTokenFor(shop);
  } catch (error) {
    log.warn({err: error, shop: shop.shop}, 'no access token: storage or the refresh lock failed');
    return {kind: 'unavailable', reason: 'token_error'};
  }
  return accessToken ?? {kind: 'unavailable', reason: shop.connection === 'needs_reconnect' ? 'needs_reconnect' : 'no_token'};
}
