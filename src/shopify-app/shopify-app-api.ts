import '@shopify/shopify-api/adapters/node';
import {ApiVersion, LogSeverity, shopifyApi} from '@shopify/shopify-api';
import type {Logger} from '../log.ts';

export interface ShopifyAppCredentials {
  apiKey: string;
  apiSecret: string;
  scopes: readonly string[];
}

/**
 * The app side's `@shopify/shopify-api` instance: OAuth, token exchange and
 * refresh, session tokens, webhook HMACs. Built only when the app's
 * credentials are configured (app.ts decides).
 */
export function createShopifyAppApi(options: {credentials: ShopifyAppCredentials; appUrl: string; log: Logger}) {
  const url = new URL(options.appUrl);
  const log = options.log.child({source: 'shopify-api'});
  return shopifyApi({
    apiKey: options.credentials.apiKey,
    apiSecretKey: options.credentials.apiSecret,
    scopes: [...options.credentials.scopes],
    hostName: url.host,
    hostScheme: url.protocol === 'http:' ? 'http' : 'https',
    apiVersion: ApiVersion.October26,
    isEmbeddedApp: true,
    // Expiring offline tokens are not a future flag in v15: `expiring: true` is passed to tokenExchange and callback.
    _logDisabledFutureFlags: false,
    logger: {
      // The library's info lines name shops and flows; warnings and errors are what an operator needs.
      level: LogSeverity.Warning,
      httpRequests: false,
      timestamps: false,
      log: (severity, message) => {
        if (severity === LogSeverity.Error) log.error(message);
        else log.warn(message);
      },
    },
  });
}

export type ShopifyAppApi = ReturnType<typeof createShopifyAppApi>;
