import {createHmac} from 'node:crypto';
import type {Request} from 'autocannon';

/** A signed lookup_order event as Callina sends it, ready for autocannon. */
export function signedLookup(secret: string, orderNumber: string, callId: string, hookPath: string): Request {
  const body = JSON.stringify({
    event: 'intent.detected',
    call_id: callId,
    occurred_at: new Date().toISOString(),
    intent: 'lookup_order',
    params: {order_number: orderNumber},
    context: {caller_phone: '+14155550123', caller_name: 'Bench Caller'},
  });
  const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  return {
    method: 'POST',
    path: hookPath,
    headers: {'content-type': 'application/json', 'x-callina-signature': signature},
    body,
  };
}

/** lookup_order without an order number, from this caller's phone: the caller-ID path. */
export function signedCallerLookup(secret: string, callerPhone: string, callId: string, hookPath: string): Request {
  const body = JSON.stringify({
    event: 'tool.invoked',
    call_id: callId,
    occurred_at: new Date().toISOString(),
    tool: 'lookup_order',
    params: {},
    context: {caller_phone: callerPhone, language: 'en'},
  });
  const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  return {method: 'POST', path: hookPath, headers: {'content-type': 'application/json', 'x-callina-signature': signature}, body};
}

/** Whether an answer speaks order `n` itself (Anna spells it: "Your order 1 0 0 0 1 …"), not a fallback. */
export function speaksOrder(answer: string, n: number | string): boolean {
  return answer.includes(`order ${[...String(n)].join(' ')} `);
}

/** POSTs a prepared event to a server (`base` is its origin) with fetch; the answer's body and how long it took. Anything but 200 throws. */
export async function postEvent(base: string, request: Request): Promise<{ms: number; text: string}> {
  const started = performance.now();
  const res = await fetch(`${base}${request.path}`, {method: 'POST', headers: request.headers as Record<string, string>, body: String(request.body)});
  const text = await res.text();
  if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${text}`);
  return {ms: performance.now() - started, text};
}
