import {HttpResponseError, InvalidJwtError, RequestedTokenType, type Session} from '@shopify/shopify-api';
import {HttpError} from '../http-error.ts';
import type {Logger} from '../log.ts';
import {registerShop} from '../shops/shop-registry.ts';
import {ShopExistsError, type ShopRecord, type Storage} from '../storage/storage.ts';
import {createSessionStorage} from './session-storage.ts';
import {fetchShopInfo, type ShopInfo} from './shop-info.ts';
import type {ShopifyAppApi} from './shopify-app-api.ts';
import {singleFlight} from './single-flight.ts';

export interface Installer {
  /**
   * The shop's row, installing or reconnecting it first when it has no
   * offline session or needs reconnection: Shopify-managed install, where
   * the embedded page's session token is exchanged for an offline token.
   */
  ensureInstalled(shop: string, sessionToken: string): Promise<ShopRecord>;
  /** Stores an offline session (from token exchange or the OAuth callback) and creates the shop's row on first install. */
  complete(session: Session): Promise<ShopRecord>;
}

const NO_INFO: ShopInfo = {timeZone: null, phone: null, language: null};

export function createInstaller(deps: {shopify: ShopifyAppApi; storage: Storage; log: Logger}): Installer {
  const {shopify, storage, log} = deps;
  const sessions = createSessionStorage(storage);
  // The page fires several API calls at once; the first install must run once.
  const flight = singleFlight<ShopRecord>();

  async function prefill(session: Session): Promise<ShopInfo> {
    try {
      return await fetchShopInfo(shopify, session);
    } catch (error) {
      // Prefill is a convenience: the merchant can type the values in the settings page.
      log.warn({shop: session.shop, error: (error as Error).name}, 'shop details query failed at install; settings start empty');
      return NO_INFO;
    }
  }

  async function complete(session: Session): Promise<ShopRecord> {
    if (session.isOnline || !session.accessToken) throw new Error('install needs an offline session with an access token');
    let shop = await storage.getShop(session.shop);
    const firstInstall = !shop;
    if (!shop) {
      const info = await prefill(session);
      try {
        shop = await registerShop(storage, {shop: session.shop, storePhone: info.phone, defaultLanguage: info.language, timeZone: info.timeZone});
      } catch (error) {
        if (!(error instanceof ShopExistsError)) throw error;
        shop = (await storage.getShop(session.shop))!;
      }
    }
    await sessions.storeSession(session);
    if (shop.connection !== 'ok') shop = (await storage.updateShop(session.shop, {connection: 'ok'}))!;
    log.info({shop: session.shop, firstInstall, expires: session.expires?.toISOString() ?? null}, firstInstall ? 'shop installed' : 'shop connected');
    return shop;
  }

  async function exchange(shop: string, sessionToken: string): Promise<ShopRecord> {
    let session: Session;
    try {
      ({session} = await shopify.auth.tokenExchange({
        shop,
        sessionToken,
        requestedTokenType: RequestedTokenType.OfflineAccessToken,
        expiring: true,
      }));
    } catch (error) {
      // Never log the error itself: the library's JWT messages quote the token.
      if (error instanceof InvalidJwtError) throw new HttpError(401, 'invalid_session_token', 'the session token is invalid or expired');
      if (error instanceof HttpResponseError && error.response.code < 500 && error.response.code !== 429) {
        log.warn({shop, status: error.response.code}, 'Shopify refused the token exchange');
        throw new HttpError(401, 'token_exchange_refused', 'Shopify refused the session token: reload the app in the Shopify admin');
      }
      log.warn({shop, error: (error as Error).name}, 'token exchange failed');
      throw new HttpError(502, 'shopify_unavailable', 'Shopify could not be reached to connect the shop; try again in a moment');
    }
    return complete(session);
  }

  return {
    complete,
    async ensureInstalled(shop, sessionToken) {
      const [record, session] = await Promise.all([storage.getShop(shop), sessions.loadSession(shopify.session.getOfflineId(shop))]);
      if (record && session?.accessToken && record.connection === 'ok') return record;
      return flight(shop, () => exchange(shop, sessionToken));
    },
  };
}
