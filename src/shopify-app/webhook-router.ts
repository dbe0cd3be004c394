import type {IncomingMessage} from 'node:http';
import type {Router} from '@koa/router';
import {createRouter} from '../http-router.ts';
import getRawBody from 'raw-body';
import {HttpError} from '../http-error.ts';
import type {Logger} from '../log.ts';
import type {Storage} from '../storage/storage.ts';
import {myshopifyDomain} from './shop-domain.ts';
import type {ShopifyAppApi} from './shopify-app-api.ts';
import {payloadShop, WEBHOOK_TOPICS, type WebhookTopicDeps} from './webhook-topics.ts';

/** Order payloads with many line items are large; compliance ones are small. */
const MAX_WEBHOOK_BYTES = 2 * 1024 * 1024;

export interface WebhookRouterDeps extends WebhookTopicDeps {
  shopify: ShopifyAppApi;
  storage: Storage;
  log: Logger;
  now?: () => number;
}

/**
 * POST /webhooks/shopify: one URL for every topic (shopify.app.toml).
 * HMAC on the raw bytes first, then the delivery log (a webhook id is
 * processed once, across restarts), then the topic's handler. The handlers
 * are quick database writes, so Shopify hears back well within its 5 s.
 */
export function webhookRouter(deps: WebhookRouterDeps): Router {
  const {shopify, storage} = deps;
  const now = deps.now ?? Date.now;
  const router = createRouter();

  router.post('/webhooks/shopify', async (ctx) => {
    const raw = await readBody(ctx.req);
    const check = await shopify.webhooks.validate({rawBody: raw, rawRequest: ctx.req, rawResponse: ctx.res});
    if (!check.valid) {
      if (check.reason === 'invalid_hmac' || check.reason === 'missing_hmac') {
        throw new HttpError(401, 'invalid_hmac', 'X-Shopify-Hmac-Sha256 is missing or does not match the body');
      }
      if ('missingHeaders' in check) {
        throw new HttpError(400, 'missing_headers', `missing webhook headers: ${check.missingHeaders.join(', ')}`);
      }
      throw new HttpError(400, 'missing_body', 'the webhook has no body');
    }
    const shop = myshopifyDomain(shopify, check.domain);
    if (!shop) throw new HttpError(400, 'invalid_shop', 'X-Shopify-Shop-Domain is not a shop domain');
    ctx.state.log = {topic: check.topic, shop};

    const handler = WEBHOOK_TOPICS[check.topic];
    if (!handler) {
      // A topic we no longer subscribe to: acknowledge, or Shopify keeps retrying.
      ctx.body = {status: 'ignored'};
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new HttpError(400, 'malformed_json', 'the webhook body is not JSON');
    }
    const declared = payloadShop(json);
    if (declared !== undefined && declared !== shop) {
      throw new HttpError(400, 'shop_mismatch', 'shop_domain in the body differs from X-Shopify-Shop-Domain');
    }
    const parsed = handler.payload.safeParse(json);
    if (!parsed.success) {
      const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || 'body'))].join(', ');
      throw new HttpError(400, 'invalid_payload', `unexpected ${check.topic} payload: ${fields}`);
    }

    const first = await storage.recordWebhookDelivery({webhookId: check.webhookId, shop, topic: check.topic, receivedAt: new Date(now())});
    if (!first) {
      ctx.body = {status: 'duplicate'};
      return;
    }
    try {
      const result = await handler.handle({shop, payload: parsed.data, webhookId: check.webhookId}, deps);
      ctx.body = {status: 'processed', ...result};
    } catch (error) {
      // Unrecorded again, so Shopify's retry gets a second chance; it sees a 500 (the error funnel logs it).
      await storage.forgetWebhookDelivery(check.webhookId);
      throw error;
    }
  });
  return router;
}

/** The body as a string of the exact bytes received (the HMAC covers them). */
async function readBody(req: IncomingMessage): Promise<string> {
  try {
    return await getRawBody(req, {limit: MAX_WEBHOOK_BYTES, length: req.headers['content-length'], encoding: 'utf8'});
  } catch (error) {
    if ((error as {type?: string}).type === 'entity.too.large') {
      throw new HttpError(413, 'payload_too_large', `webhook body exceeds ${MAX_WEBHOOK_BYTES} bytes`);
    }
    throw new HttpError(400, 'bad_request', 'the webhook body could not be read');
  }
}
