import Koa from 'koa';
import {Router} from '@koa/router';
import type {Config} from './config.ts';
import type {Logger} from './log.ts';
import type {Storage} from './storage/storage.ts';
import {requestLogAndErrors} from './http-middleware.ts';
import {Metrics, metricsEndpoint} from './metrics.ts';
import {callinaRouter} from './callina/callina-router.ts';
import {createHandlerTable} from './callina/dispatch.ts';
import type {ActionHandler} from './callina/call-context.ts';
import {lookupOrderHandler} from './callina/handlers/lookup-order.ts';
import {Hedger} from './orders/hedge.ts';
import {OrderLookup} from './orders/order-lookup.ts';
import {createAdminGraphql} from './shopify/admin-graphql.ts';
import type {ShopRecord} from './storage/storage.ts';
import {createShopifyAppApi} from './shopify-app/shopify-app-api.ts';
import {shopifyAppRouter} from './shopify-app/shopify-app-router.ts';
import {createAccessTokens} from './shopify-app/access-tokens.ts';
import type {Change, ChangeFeed} from './storage/change-feed.ts';
import {LocalChangeFeed} from './storage/local-change-feed.ts';
import {ShopCache} from './storage/shop-cache.ts';

export interface AppDeps {
  config: Config;
  storage: Storage;
  log: Logger;
  /** Clock for the replay window; tests pin it. */
  now?: () => number;
  /** Clock for speaking dates ("arrives tomorrow"); the demo pins it. */
  speechNow?: () => Date;
  /**
   * How instances tell each other to evict cached orders and shops
   * (LISTEN/NOTIFY on PostgreSQL). Default: in-process, for one instance.
   */
  changes?: ChangeFeed;
}

/** The one place that wires the service together. It never listens: server.ts and tests do. */
export function createApp(deps: AppDeps): Koa {
  const {config, storage, log} = deps;
  const changes = deps.changes ?? new LocalChangeFeed(log);
  // The Shopify app side (install, webhooks, settings page, OAuth tokens) only with the app's credentials.
  const shopify = config.shopifyApp ? createShopifyAppApi({credentials: config.shopifyApp, appUrl: config.appUrl, log}) : undefined;
  const oauthTokens = shopify && createAccessTokens({shopify, storage, log});

  // Gauges are read at scrape time, when the lookup below exists.
  const metrics: Metrics = new Metrics({openCircuits: () => lookup.breaker.openCircuits(), cachedOrders: () => lookup.size});
  const lookup: OrderLookup = new OrderLookup({
    shopify: createAdminGraphql({hostName: new URL(config.appUrl).host, log: (_severity, message) => log.warn({source: 'shopify-api'}, message)}),
    // An installed app's session first; the operator's custom-app token for shops registered with the CLI.
    accessTokenFor: async (shop: ShopRecord) => (await oauthTokens?.forShop(shop.shop)) ?? shop.accessToken ?? undefined,
    markNeedsReconnect: async (shop) => {
      await storage.updateShop(shop, {connection: 'needs_reconnect'});
    },
    rememberTimeZone: async (shop, timeZone) => {
      await storage.updateShop(shop, {timeZone});
    },
    log,
    shopifyTimeoutMs: config.shopifyTimeoutMs,
    maxEntries: config.orderCacheMax,
    ttl: config.orderTtl,
    observer: metrics.lookupObserver,
    hedger: new Hedger({delay: config.hedgeDelay, observer: metrics.hedgeObserver}),
  });
  followChanges(changes, lookup, log);
  const actions: Record<string, ActionHandler> = {lookup_order: lookupOrderHandler(lookup, deps.speechNow)};
  const callina = callinaRouter({
    storage,
    shops: new ShopCache(storage, changes),
    table: createHandlerTable({storage, actions}),
    log,
    budgetMs: config.lookupBudgetMs,
    replayWindowMs: config.replayWindowMs,
    now: deps.now,
  });

  const app = new Koa({proxy: true});
  app.silent = true; // the error funnel logs; Koa's default stderr printer would duplicate it
  // Outside the error funnel, so it sees every request's final status.
  app.use(async (ctx, next) => {
    await next();
    if (ctx.path.startsWith('/callina/')) {
      metrics.recordCall(ctx.state.log?.event, ctx.state.log?.outcome, ctx.status, (performance.now() - ctx.state.receivedAt) / 1000);
    }
  });
  app.use(requestLogAndErrors(log));
  app.use(metricsEndpoint(metrics, config.metricsToken));

  const health = new Router();
  health.get('/healthz', (ctx) => {
    ctx.body = {status: 'ok'};
  });
  health.get('/readyz', async (ctx) => {
    try {
      await storage.ping();
      ctx.body = {status: 'ready'};
    } catch {
      ctx.status = 503;
      ctx.body = {status: 'unavailable', message: 'storage is not reachable'};
    }
  });

  app.use(health.routes());
  app.use(callina.routes()).use(callina.allowedMethods({throw: true}));

  const shopifyApp = shopifyAppRouter({
    config, storage, log, shopify, now: deps.now,
    evictOrder: (shop, orderName) => {
      lookup.evictOrder(shop, orderName);
      announce(changes, log, {kind: 'order', shop, orderKey: orderName});
    },
    evictShop: (shop) => {
      lookup.evictShop(shop);
      announce(changes, log, {kind: 'shop', shop});
    },
  });
  app.use(shopifyApp.routes()).use(shopifyApp.allowedMethods({throw: true}));
  return app;
}

/** Every instance (this one included, through the feed) drops what a change made stale. */
function followChanges(changes: ChangeFeed, lookup: OrderLookup, log: Logger): void {
  changes.subscribe((change) => {
    if (change.kind === 'order') lookup.evictOrder(change.shop, change.orderKey);
    else if (change.kind === 'shop') lookup.evictShop(change.shop);
  });
  changes.onReset(() => {
    log.warn('change feed reset: dropping cached orders, changes may have been missed');
    lookup.clear();
  });
}

/** Tell the other instances; if the feed is down, the reset on its reconnect covers the other instances. */
function announce(changes: ChangeFeed, log: Logger, change: Change): void {
  changes.publish(change).catch((error) => log.error({err: error, kind: change.kind}, 'could not publish a cache eviction'));
}
