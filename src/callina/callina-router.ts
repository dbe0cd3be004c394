import type {Router} from '@koa/router';
import {createRouter} from '../http-router.ts';
import type {Logger} from '../log.ts';
import {maskPhone} from '../log.ts';
import {HttpError} from '../http-error.ts';
import {BUDGET_EXCEEDED, withinBudget} from '../orders/budget.ts';
import type {ShopCache} from '../storage/shop-cache.ts';
import type {ShopRecord, Storage} from '../storage/storage.ts';
import {isTestCall} from '../shops/test-calls.ts';
import {LiveCall} from './call-context.ts';
import type {CallReport} from './call-report.ts';
import {dispatch, type HandlerTable} from './dispatch.ts';
import {EVENT_SCHEMAS, envelopeSchema, isKnownEvent, type CallinaEvent, type Envelope} from './events.ts';
import {chooseLocale} from './language.ts';
import {parseJson, readRawBody} from './read-body.ts';
import {CONTINUE} from './reply.ts';
import {verifySignature} from './signature.ts';

export interface CallinaRouterDeps {
  storage: Storage;
  /** Shops by hook id without a database read per call; without it, storage is asked every time. */
  shops?: Pick<ShopCache, 'byHookId' | 'cached' | 'fresh'>;
  table: HandlerTable;
  log: Logger;
  budgetMs: number;
  replayWindowMs: number;
  now?: () => number;
  /** Clock for opening hours and spoken dates; the demo and tests pin it. */
  speechNow?: () => Date;
  /** Counts what each answer came to, for the merchant; never awaited. */
  report?: CallReport;
}

const HOOK_ID = /^[A-Za-z0-9_-]{22,64}$/;

/** POST /callina/:hookId — the live-call endpoint, steps in the order of design.md. */
export function callinaRouter(deps: CallinaRouterDeps): Router {
  const now = deps.now ?? Date.now;
  const router = createRouter();

  router.post('/callina/:hookId', async (ctx) => {
    // Everything this call waits for, storage included, shares one deadline.
    const deadline = ctx.state.receivedAt + deps.budgetMs;
    const hookId = ctx.params.hookId!;
    const read = (id: string) => (deps.shops ? deps.shops.byHookId(id) : deps.storage.getShopByHookId(id));
    let shop = await findShop(read, hookId, deadline, deps.log, deps.shops);
    if (!ctx.is('application/json')) throw new HttpError(415, 'unsupported_media_type', 'send the event as application/json');
    const raw = await readRawBody(ctx.req).catch((error: unknown) => {
      // The rest of the body is still on the wire: this connection cannot carry another request.
      ctx.set('Connection', 'close');
      throw error;
    });
    const signature = ctx.get('x-callina-signature');
    let check = signatureCheck(raw, signature, shop, now());
    if (!check.valid && deps.shops) {
      // A secret rotated a moment ago elsewhere may not have reached the cache yet: ask storage once more.
      shop = await findShop((id) => deps.shops!.fresh(id), hookId, deadline, deps.log);
      check = signatureCheck(raw, signature, shop, now());
    }
    rejectInvalid(check);
    const json = parseJson(raw);
    // A known event's schema extends the envelope's, so one successful parse
    // validates both (zod was ~4 % of a warm call, parsing twice); anything
    // else takes the step-by-step path below, with its precise errors.
    const known = parseKnownEvent(json);
    const envelope = known ?? parseEnvelope(json);
    ctx.state.log = {call_id: envelope.call_id, event: envelope.event, caller: maskPhone(envelope.context.caller_phone)};
    checkFreshness(envelope, now(), deps.replayWindowMs);

    if (!isKnownEvent(envelope.event)) {
      ctx.state.log.outcome = 'unknown_event';
      ctx.body = CONTINUE;
      return;
    }
    let event = known;
    if (!event) {
      const parsed = EVENT_SCHEMAS[envelope.event].safeParse(json);
      if (!parsed.success) throw new HttpError(400, 'invalid_event', `${envelope.event} event is invalid`);
      event = parsed.data;
    }
    const locale = chooseLocale(envelope.context, shop.defaultLanguage);
    const call = new LiveCall({event, shop, locale, deadline}, deps.log);
    const answer = await dispatch(deps.table, call, deps.speechNow);
    ctx.state.log.outcome = answer.outcome;
    if (!isTestCall(event.call_id)) deps.report?.count(shop, event.event, answer, deps.speechNow?.() ?? new Date(now()));
    ctx.body = answer.reply;
  });
  return router;
}

/**
 * Without the shop there is no secret to check the signature with, so
 * nothing may be spoken: if storage fails or cannot answer within the
 * budget, a fast 503 (Callina says "please hold" and retries) beats a
 * reply after Callina has hung up.
 */
async function findShop(
  byHookId: (hookId: string) => Promise<ShopRecord | undefined>,
  hookId: string,
  deadline: number,
  log: Logger,
  cache?: Pick<ShopCache, 'cached'>,
): Promise<ShopRecord> {
  if (!HOOK_ID.test(hookId)) throw new HttpError(404, 'unknown_hook', 'no shop is connected to this webhook URL');
  // A cached shop needs no storage read, so no budget timer either.
  const cached = cache?.cached(hookId);
  if (cached) return cached;
  // A read that fails at once (its pooled connection was just killed, a failover) is worth one more try.
  const reading = byHookId(hookId).catch((error: unknown) => {
    log.warn({err: error}, 'reading the shop failed; reading it once more');
    return byHookId(hookId);
  });
  let shop: Awaited<typeof reading> | typeof BUDGET_EXCEEDED;
  try {
    shop = await withinBudget(reading, deadline);
  } catch (error) {
    log.error({err: error}, 'could not read the shop for a Callina call');
    throw new HttpError(503, 'storage_unavailable', 'the shop could not be read from storage; try again');
  }
  if (shop === BUDGET_EXCEEDED) {
    reading.catch((error: unknown) => log.error({err: error}, 'could not read the shop for a Callina call'));
    throw new HttpError(503, 'storage_unavailable', 'storage did not answer within the time budget; try again');
  }
  if (!shop) throw new HttpError(404, 'unknown_hook', 'no shop is connected to this webhook URL');
  return shop;
}

function signatureCheck(raw: Buffer, header: string, shop: ShopRecord, nowMs: number) {
  const previousValid = shop.previousSecret && shop.previousSecretExpiresAt && shop.previousSecretExpiresAt.getTime() > nowMs;
  const secrets = previousValid ? [shop.secret, shop.previousSecret!] : [shop.secret];
  return verifySignature(raw, header || undefined, secrets);
}

function rejectInvalid(check: ReturnType<typeof signatureCheck>): void {
  if (check.valid) return;
  const message = {
    missing: 'X-Callina-Signature header is missing',
    malformed: 'X-Callina-Signature is not a SHA-256 digest (sha256=<hex>, hex or base64)',
    mismatch: 'X-Callina-Signature does not match the body for this shop\'s signing secret',
  }[check.reason];
  throw new HttpError(401, 'invalid_signature', message);
}

function parseEnvelope(json: unknown): Envelope {
  const parsed = envelopeSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  // Name the fields, never echo their values: they may be a caller's data.
  const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || 'body'))].join(', ');
  throw new HttpError(400, 'invalid_event', `event envelope is invalid: ${fields}`);
}

/** The whole event when its name is known and it is valid; otherwise undefined (the caller finds out why). */
function parseKnownEvent(json: unknown): CallinaEvent | undefined {
  const name = (json as {event?: unknown} | null)?.event;
  if (typeof name !== 'string' || !isKnownEvent(name)) return undefined;
  const parsed = EVENT_SCHEMAS[name].safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

function checkFreshness(envelope: Envelope, nowMs: number, windowMs: number): void {
  if (Math.abs(nowMs - Date.parse(envelope.occurred_at)) > windowMs) {
    throw new HttpError(401, 'stale_event', `occurred_at is more than ${windowMs / 1000} s away from the server's clock`);
  }
}
