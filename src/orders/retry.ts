import {ShopifyAuthError, ShopifyThrottledError, type ShopifyRequestError} from '../shopify/errors.ts';
import {remainingMs} from './budget.ts';

/** What the one more try needs beyond its wait to be worth sending: Shopify's answer must still fit. */
const RETRY_MARGIN_MS = 100;

/**
 * The wait before the one more try a failed Shopify request gets, or
 * undefined for none: only after the first attempt, only for a Shopify
 * hiccup (never a refusal), and only if the try, after a throttle's wait,
 * can still finish within the first caller's budget. Both lookups (by
 * number and by caller) follow it.
 */
export function retryWaitMs(error: ShopifyRequestError, attempt: number, deadline: number): number | undefined {
  if (attempt !== 1 || !error.retryable || error instanceof ShopifyAuthError) return undefined;
  const wait = error instanceof ShopifyThrottledError ? error.retryAfterMs : 0;
  return remainingMs(deadline) > wait + RETRY_MARGIN_MS ? wait : undefined;
}
