/** The one-more-try rule both lookups follow (src/orders/retry.ts). */
import {describe, expect, it} from 'vitest';
import {retryWaitMs} from '../../src/orders/retry.ts';
import {ShopifyAuthError, ShopifyThrottledError, ShopifyUnavailableError} from '../../src/shopify/errors.ts';

const inMs = (ms: number) => performance.now() + ms;

describe('retryWaitMs', () => {
  it('a Shopify hiccup on the first attempt: try again at once', () => {
    for (const kind of ['server_error', 'network', 'timeout'] as const) {
      expect(retryWaitMs(new ShopifyUnavailableError(kind, kind), 1, inMs(2000))).toBe(0);
    }
  });

  it('a throttle: try again after its wait, if that still fits the budget with room for the answer', () => {
    const throttled = new ShopifyThrottledError('throttled', 400);
    expect(retryWaitMs(throttled, 1, inMs(2000))).toBe(400);
    expect(retryWaitMs(throttled, 1, inMs(450))).toBeUndefined();
  });

  it('never a second retry, never after a refusal or an answer that will not change, never past the budget', () => {
    expect(retryWaitMs(new ShopifyUnavailableError('server_error', '502'), 2, inMs(2000))).toBeUndefined();
    expect(retryWaitMs(new ShopifyAuthError('unauthorized', '401'), 1, inMs(2000))).toBeUndefined();
    for (const kind of ['bad_response', 'graphql_error', 'shop_unavailable', 'aborted'] as const) {
      expect(retryWaitMs(new ShopifyUnavailableError(kind, kind), 1, inMs(2000))).toBeUndefined();
    }
    expect(retryWaitMs(new ShopifyUnavailableError('network', 'reset'), 1, inMs(50))).toBeUndefined();
  });
});
