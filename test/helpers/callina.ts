import {createHmac} from 'node:crypto';
import {readResponse} from './read-response.ts';
import {registerShop} from '../../src/shops/shop-registry.ts';
import type {NewShop, ShopRecord, Storage} from '../../src/storage/storage.ts';

export type SignatureForm = 'sha256=hex' | 'hex' | 'base64';

export function sign(body: string | Buffer, secret: string, form: SignatureForm = 'sha256=hex'): string {
  const digest = createHmac('sha256', secret).update(body);
  if (form === 'base64') return digest.digest('base64');
  const hex = digest.digest('hex');
  return form === 'hex' ? hex : `sha256=${hex}`;
}

/** The example event from Callina's help page, with occurred_at set to now. */
export function callinaEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event: 'intent.detected',
    call_id: 'call_x1y2z3',
    occurred_at: new Date().toISOString(),
    intent: 'lookup_order',
    params: {order_number: 'ORD-12345'},
    context: {caller_phone: '+43660123456789', caller_name: 'Maria Steinhauser'},
    ...overrides,
  };
}

export async function addShop(storage: Storage, input: Partial<Omit<NewShop, 'hookId'>> = {}): Promise<ShopRecord> {
  return registerShop(storage, {shop: 'anna-demo.myshopify.com', ...input});
}

export interface PostOptions {
  secret?: string;
  signature?: string | null;
  form?: SignatureForm;
  contentType?: string;
}

/** POSTs an event to a shop's Callina URL, signed with its secret unless told otherwise. */
export async function postEvent(baseUrl: string, shop: ShopRecord, body: unknown, options: PostOptions = {}) {
  const raw = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const headers: Record<string, string> = {'content-type': options.contentType ?? 'application/json'};
  const signature = options.signature === undefined ? sign(raw, options.secret ?? shop.secret, options.form) : options.signature;
  if (signature !== null) headers['x-callina-signature'] = signature;
  const started = performance.now();
  const res = await fetch(`${baseUrl}/callina/${shop.hookId}`, {method: 'POST', headers, body: typeof raw === 'string' ? raw : new Uint8Array(raw)});
  const ms = performance.now() - started;
  return {...(await readResponse(res)), ms};
}
