import {createHmac, randomBytes} from 'node:crypto';
import Koa from 'koa';
import {createRouter} from './http-router.ts';
import type {Config} from './config.ts';
import type {Logger} from './log.ts';
import type {Storage} from './storage/storage.ts';
import {requestLogAndErrors} from './http-middleware.ts';
import {Metrics, metricsEndpoint} from './metrics.ts';
import {callinaRouter} from './callina/callina-router.ts';
import {CallReport} from './callina/call-report.ts';
import {createHandlerTable} from './callina/dispatch.ts';
import type {ActionHandler} from './callina/call-context.ts';
import {lookupOrderHandler} from './callina/handlers/lookup-order.ts';
import {callerOrdersHandler} from './callina/handlers/caller-orders.ts';
import {CallerLookup} from './orders/caller-lookup.ts';
import {Hedger} from './orders/hedge.ts';
import {OrderLookup} from './orders/order-lookup.ts';
import {createAdminGraphql} from './shopify/admin-graphql.ts';
import type {ShopRecord} from './storage/storage.ts';
import {createShopifyAppApi} from './shopify-app/shopify-app-api.ts';
import {shopifyAppRouter} from './shopify-app/shopify-app-router.ts';
import {createAccessTokens} from './shopify-app/access-tokens.ts';
import type {Change, ChangeFeed} from './storage/change-feed.ts';
import {LocalChangeFeed} from './storage/local-change-feed.ts';
import {parseKey} from './storage/encryption-key.ts';
import {ShopCache} from './storage/shop-cache.ts';

export interface AppDeps {
  config: Config;
  storage: Storage;
  log: Logger;
  /** Clock for the replay window; tests pin it. */
  now?: () => number;
  /** Clock for speaking dates ("arrives tomorrow"), business hours and the call report's days; the demo pins it. */
  speechNow?: () => Date;
  /**
   * How instances tell each other to evict cached orders and shops
   * (LISTEN/NOTIFY on PostgreSQL). Default: in-process, for one instance.
   */
  changes?: ChangeFeed;
  /** The merchant's call report writer; server.ts passes one it closes at shutdown. Default: one of its own. */
  report?: CallReport;
}

/** The one place that wires the service together. It never listens: server.ts and tests do. */
export function createApp(deps: AppDeps): Koa {
  const {config, storage, log} = deps;
  const changes = deps.changes ?? new LocalChangeFeed(log);
  // The Shopify app side (install, webhooks, settings page, OAuth tokens) only with the app's credentials.
  const shopify = config.shopifyApp ? createShopifyAppApi({credentials: config.shopifyApp, appUrl: config.appUrl, log}) : undefined;
  const oauthTokens = shopify && createAccessTokens({shopify, storage, log, refreshTimeoutMs: config.tokenRefreshTimeoutMs});

  // Gauges are read at scrape time, when the lookup below exists.
  const metrics: Metrics = new Metrics({openCircuits: () => lookup.breaker.openCircuits(), cachedOrders: () => lookup.size});
  const shopifyGraphql = createAdminGraphql({warn: (message) => log.warn({source: 'shopify-admin-api'}, message)});
  // An installed app's session first; the operator's custom-app token for shops registered with the CLI.
  const accessTokenFor = async (shop: ShopRecord) => (await oauthTokens?.forShop(shop.shop)) ?? shop.accessToken ?? undefined;
  const markNeedsReconnect = async (shop: string) => {
    await storage.updateShop(shop, {connection: 'needs_reconnect'});
  };
  const lookup: OrderLookup = new OrderLookup({
    shopify: shopifyGraphql,
    accessTokenFor,
    markNeedsReconnect,
    rememberTimeZone: async (shop, timeZone) => {
      await storage.updateShop(shop, {timeZone});
    },
    rememberOrderNameFormat: async (shop, format) => {
      await storage.updateShop(shop, {orderNamePrefix: format.prefix, orderNameSuffix: format.suffix});
    },
    log,
    shopifyTimeoutMs: config.shopifyTimeoutMs,
    maxEntries: config.orderCacheMax,
    ttl: config.orderTtl,
    observer: metrics.lookupObserver,
    hedger: new Hedger({delay: config.hedgeDelay, observer: metrics.hedgeObserver}),
  });
  const callers = new CallerLookup({
    shopify: shopifyGraphql,
    accessTokenFor,
    markNeedsReconnect,
    markCustomerAccess: async (shop, customerAccess) => {
      await storage.updateShop(shop, {customerAccess});
    },
    breaker: lookup.breaker,
    hashKey: callerHashKey(config),
    log,
    shopifyTimeoutMs: config.shopifyTimeoutMs,
    maxEntries: config.orderCacheMax,
    ttl: {foundMs: config.orderTtl.activeMs, noneMs: config.orderTtl.notFoundMs},
    observer: metrics.lookupObserver,
  });
  followChanges(changes, lookup, callers, log);
  const actions: Record<string, ActionHandler> = {
    lookup_order: lookupOrderHandler(lookup, deps.speechNow, callerOrdersHandler(callers, deps.speechNow)),
  };
  const callina = callinaRouter({
    storage,
    shops: new ShopCache(storage, changes),
    table: createHandlerTable({storage, actions, now: deps.speechNow}),
    log,
    budgetMs: config.lookupBudgetMs,
    replayWindowMs: config.replayWindowMs,
    now: deps.now,
    speechNow: deps.speechNow,
    report: deps.report ?? new CallReport({storage, log}),
  });

  const app = new Koa({proxy: true});
  app.silent = true; // the error funnel logs; Koa's default stderr printer would duplicate it
  app.use(requestLogAndErrors(log, (ctx, ms) => {
    if (ctx.path.startsWith('/callina/')) metrics.recordCall(ctx.state.log?.event, ctx.state.log?.outcome, ctx.status, ms / 1000);
  }));
  // The live-call route first: a call passes no other route's matching on its way.
  app.use(callina.routes()).use(callina.allowedMethods({throw: true}));
  app.use(metricsEndpoint(metrics, config.metricsToken));

  const health = createRouter();
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

  const shopifyApp = shopifyAppRouter({
    config, storage, log, shopify, now: deps.now, reportNow: deps.speechNow,
    evictOrder: (shop, order) => {
      lookup.evictOrder(shop, order);
      callers.evictOrder(shop, order);
      announce(changes, log, {kind: 'order', shop, orderKey: order});
    },
    evictShop: (shop) => {
      lookup.evictShop(shop);
      callers.evictShop(shop);
      announce(changes, log, {kind: 'shop', shop});
    },
    evictCustomer: (shop, who) => {
      const tags = callers.customerTags(shop, who);
      if (tags.length === 0) return;
      callers.evictTags(tags);
      announce(changes, log, {kind: 'callers', shop, tags});
    },
  });
  app.use(shopifyApp.routes()).use(shopifyApp.allowedMethods({throw: true}));
  return app;
}

/** Every instance (this one included, through the feed) drops what a change made stale. */
function followChanges(changes: ChangeFeed, lookup: OrderLookup, callers: CallerLookup, log: Logger): void {
  changes.subscribe((change) => {
    if (change.kind === 'order') {
      lookup.evictOrder(change.shop, change.orderKey);
      callers.evictOrder(change.shop, change.orderKey);
    } else if (change.kind === 'callers') {
      callers.evictTags(change.tags);
    } else if (change.kind === 'shop') {
      lookup.evictShop(change.shop);
      callers.evictShop(change.shop);
    }
  });
  changes.onReset(() => {
    log.warn('change feed reset: dropping cached orders, changes may have been missed');
    lookup.clear();
    callers.clear();
  });
}

/**
 * The key of the hashes standing for callers' phones and e-mails in cache
 * keys and change notifications: derived from ENCRYPTION_KEY, so every
 * instance computes the same hash (PostgreSQL requires the key); a single
 * SQLite process without one uses a key of its own.
 */
function callerHashKey(config: Config): Buffer {
  const key = config.encryptionKey === undefined ? undefined : parseKey(config.encryptionKey);
  return key ? createHmac('sha256', key).update('callina/caller-lookup-cache').digest() : randomBytes(32);
}

/** Tell the other instances; if the feed is down, the reset on its reconnect covers the other instances. */
function announce(changes: ChangeFeed, log: Logger, change: Change): void {
  changes.publish(change).catch((error) => log.error({err: error, kind: change.kind}, 'could not publish a cache eviction'));
}
