import {bodyParser} from '@koa/bodyparser';
import type {Router} from '@koa/router';
import {createRouter} from '../http-router.ts';
import type {Context} from 'koa';
import type {z} from 'zod';
import {HttpError} from '../http-error.ts';
import {loggedPath} from '../http-middleware.ts';
import type {Logger} from '../log.ts';
import {callerLookupStatus} from '../shops/caller-lookup-status.ts';
import {businessHoursOf} from '../shops/shop-hours.ts';
import {isOpen} from '../hours/business-hours.ts';
import {formatWeeklyHours} from '../hours/schedule.ts';
import {reportDays} from '../shops/report-days.ts';
import {rotateSigningSecret, webhookUrl} from '../shops/shop-registry.ts';
import type {ShopRecord, Storage} from '../storage/storage.ts';
import type {Installer} from './installer.ts';
import {createSessionStorage} from './session-storage.ts';
import {authenticatedShop, requireSessionToken, type SessionTokenState} from './session-token.ts';
import {fieldCodes, fieldErrors, reportQuery, secretInput, settingsInput, testLookupInput} from './settings-fields.ts';
import type {ShopifyAppApi} from './shopify-app-api.ts';
import {loopbackBaseUrl, runTestLookup} from './test-lookup.ts';

export interface SettingsApiDeps {
  shopify: ShopifyAppApi;
  installer: Installer;
  storage: Storage;
  log: Logger;
  appUrl: string;
  secretGraceMs: number;
  evictShop(shop: string): void;
  /** Clock for the call report's days: the one the calls were counted by. */
  reportNow?: () => Date;
}

/** `abcd••••••••`: enough to tell two secrets apart, too little to sign with. */
export function maskSecret(secret: string): string {
  return `${secret.slice(0, 4)}${'•'.repeat(8)}`;
}

/**
 * The settings page's API, /api/*: a valid session token first (401
 * otherwise), then everything is about that token's shop only.
 */
export function settingsApi(deps: SettingsApiDeps): Router<SessionTokenState> {
  const {storage, shopify} = deps;
  const sessions = createSessionStorage(storage);
  const router = createRouter<SessionTokenState>({prefix: '/api'});

  // Our own errors are answered here: the shared funnel knows no field messages and hides every 5xx.
  router.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      if (error.status >= 500) deps.log.warn({path: loggedPath(ctx), code: error.code}, error.message);
      ctx.status = error.status;
      const {fields, codes, parts} = error as HttpError & {fields?: unknown; codes?: unknown; parts?: unknown};
      ctx.body = {error: error.code, message: error.message, ...(fields ? {fields, codes, ...(parts ? {parts} : {})} : {})};
    }
  });
  router.use(requireSessionToken({shopify, installer: deps.installer}));
  router.use(
    bodyParser({
      enableTypes: ['json'],
      jsonLimit: '16kb',
      onError: (error) => {
        const status = (error as {status?: number}).status;
        if (status === 413) throw new HttpError(413, 'payload_too_large', 'request body exceeds 16 KiB');
        throw new HttpError(400, 'malformed_json', 'request body is not valid JSON');
      },
    }),
  );

  async function view(shop: ShopRecord) {
    const session = await sessions.loadSession(shopify.session.getOfflineId(shop.shop));
    const previousValid = shop.previousSecret && shop.previousSecretExpiresAt && shop.previousSecretExpiresAt.getTime() > Date.now();
    return {
      shop: shop.shop,
      webhookUrl: webhookUrl(deps.appUrl, shop.hookId),
      signingSecret: {masked: maskSecret(shop.secret), previousValidUntil: previousValid ? shop.previousSecretExpiresAt!.toISOString() : null},
      storePhone: shop.storePhone,
      defaultLanguage: shop.defaultLanguage,
      verification: shop.verification,
      contactHint: shop.contactHint,
      timeZone: shop.timeZone,
      callerLookup: shop.callerLookup,
      customerAccess: (({access, note}) => ({state: access, note}))(callerLookupStatus(shop)),
      businessHours: formatWeeklyHours(shop.businessHours),
      closedDates: shop.closedDates,
      afterHoursPhone: shop.afterHoursPhone,
      openNow: isOpen(businessHoursOf(shop), new Date()),
      connection: {
        state: shop.connection,
        tokenExpiresAt: session?.expires?.toISOString() ?? null,
        refreshTokenExpiresAt: session?.refreshTokenExpires?.toISOString() ?? null,
      },
    };
  }

  /** The JSON body, validated as a whole; 422 with one message and one stable code per field, and nothing stored. */
  function input<T extends z.ZodType>(ctx: Context, schema: T): z.output<T> {
    if (!ctx.is('application/json')) throw new HttpError(415, 'unsupported_media_type', 'send the body as application/json');
    const parsed = schema.safeParse(ctx.request.body);
    if (parsed.success) return parsed.data;
    throw invalidFields(422, parsed.error, ctx.request.body);
  }

  function invalidFields(status: number, error: z.ZodError, given: unknown): HttpError {
    const fields = fieldErrors(error);
    const {codes, parts} = fieldCodes(error, given);
    const details = {fields, codes, ...(Object.keys(parts).length ? {parts} : {})};
    return Object.assign(new HttpError(status, status === 422 ? 'invalid_fields' : 'invalid_query', `invalid: ${Object.keys(fields).join(', ')}`), details);
  }

  router.get('/settings', async (ctx) => {
    ctx.body = await view(authenticatedShop(ctx));
  });

  router.put('/settings', async (ctx) => {
    const shop = authenticatedShop(ctx);
    const settings = input(ctx, settingsInput);
    // Hours are read in the shop's zone, learned from Shopify at install; without it they would mean UTC.
    if (settings.businessHours && !shop.timeZone) {
      const message = "needs the shop's time zone, which is not known yet";
      throw Object.assign(new HttpError(422, 'invalid_fields', 'invalid: businessHours'), {fields: {businessHours: message}, codes: {businessHours: 'time_zone_unknown'}});
    }
    // Switched on (or saved after granting access): the next caller finds out afresh whether Shopify grants it.
    const recheck = settings.callerLookup === 'on' && shop.customerAccess === 'denied';
    const updated = await storage.updateShop(shop.shop, recheck ? {...settings, customerAccess: 'unknown'} : settings);
    if (!updated) throw new HttpError(404, 'unknown_shop', 'the shop was uninstalled');
    deps.evictShop(updated.shop);
    ctx.body = await view(updated);
  });

  router.get('/secret', async (ctx) => {
    const shop = authenticatedShop(ctx);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {secret: shop.secret};
  });

  router.put('/secret', async (ctx) => {
    const shop = authenticatedShop(ctx);
    const {secret} = input(ctx, secretInput);
    const updated = await rotateSigningSecret(storage, shop.shop, deps.secretGraceMs, secret);
    if (!updated) throw new HttpError(404, 'unknown_shop', 'the shop was uninstalled');
    deps.evictShop(updated.shop);
    ctx.body = await view(updated);
  });

  router.post('/secret/rotate', async (ctx) => {
    const updated = await rotateSigningSecret(storage, authenticatedShop(ctx).shop, deps.secretGraceMs);
    if (!updated) throw new HttpError(404, 'unknown_shop', 'the shop was uninstalled');
    deps.evictShop(updated.shop);
    ctx.set('Cache-Control', 'no-store');
    // The new secret in clear, once, for pasting into Callina.
    ctx.body = {...(await view(updated)), secret: updated.secret};
  });

  router.get('/calls', async (ctx) => {
    const events = await storage.listCallEvents(authenticatedShop(ctx).shop, {limit: 25});
    ctx.body = {
      calls: events.map((e) => ({
        callId: e.callId,
        kind: e.kind,
        occurredAt: e.occurredAt.toISOString(),
        caller: e.callerPhoneMasked,
        reason: e.reason,
        silenceMs: e.silenceMs,
        result: e.result,
      })),
    };
  });

  /** The call report for the page's chart and table: the last `days` (1–90, default 30) local days, oldest first. */
  router.get('/report', async (ctx) => {
    const query = reportQuery.safeParse(ctx.query);
    if (!query.success) throw invalidFields(400, query.error, ctx.query);
    const shop = authenticatedShop(ctx);
    ctx.body = {timeZone: shop.timeZone ?? 'UTC', days: await reportDays(storage, shop, query.data.days, deps.reportNow?.())};
  });

  router.post('/test-lookup', async (ctx) => {
    const shop = authenticatedShop(ctx);
    const {orderNumber} = input(ctx, testLookupInput);
    const baseUrl = loopbackBaseUrl(ctx.req.socket);
    try {
      ctx.body = await runTestLookup({baseUrl, shop, orderNumber});
    } catch (error) {
      deps.log.warn({shop: shop.shop, error: (error as Error).name}, 'test lookup could not reach the live endpoint');
      throw new HttpError(502, 'test_lookup_failed', 'the live endpoint did not answer the test event');
    }
  });

  return router;
}
