import {createHmac, randomBytes} from 'node:crypto';
import type {ShopRecord} from '../storage/storage.ts';
import {TEST_CALL_PREFIX} from '../shops/test-calls.ts';

export interface TestLookupResult {
  /** The live endpoint's HTTP status; 200 when Callina would have heard an answer. */
  status: number;
  say: string | null;
  nextAction: string | null;
  transferTo: string | null;
  /** From sending the request to reading the whole answer. */
  latencyMs: number;
}

/**
 * Sends what Callina would send for "where is my order?" to the shop's
 * live webhook URL, signed with the shop's current secret exactly as
 * Callina signs (HMAC-SHA256 over the raw body, "sha256=<hex>"). No caller
 * phone or name: a test must not look like a real caller in the call log.
 */
export async function runTestLookup(options: {baseUrl: string; shop: ShopRecord; orderNumber: string; timeoutMs?: number}): Promise<TestLookupResult> {
  const {shop} = options;
  const body = JSON.stringify({
    event: 'intent.detected',
    call_id: `${TEST_CALL_PREFIX}${randomBytes(6).toString('hex')}`,
    occurred_at: new Date().toISOString(),
    intent: 'lookup_order',
    params: {order_number: options.orderNumber},
    context: shop.defaultLanguage ? {language: shop.defaultLanguage} : {},
  });
  const signature = `sha256=${createHmac('sha256', shop.secret).update(body).digest('hex')}`;
  const started = performance.now();
  const res = await fetch(`${options.baseUrl}/callina/${shop.hookId}`, {
    method: 'POST',
    headers: {'content-type': 'application/json', 'x-callina-signature': signature},
    body,
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  });
  const text = await res.text();
  const latencyMs = Math.round(performance.now() - started);
  let json: {say?: unknown; next_action?: unknown; transfer_to?: unknown} = {};
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    // A non-JSON answer is reported by its status alone.
  }
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  return {status: res.status, say: str(json.say), nextAction: str(json.next_action), transferTo: str(json.transfer_to), latencyMs};
}

/** This server as seen from itself: the address and port the current request arrived on. */
export function loopbackBaseUrl(socket: {localAddress?: string | undefined; localPort?: number | undefined}): string {
  const address = socket.localAddress ?? '127.0.0.1';
  const host = address.includes(':') ? `[${address}]` : address;
  return `http://${host}:${socket.localPort}`;
}
