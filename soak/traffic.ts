/**
 * The soak's traffic: what Callina sends during a day of calls (order
 * lookups cold and repeated, caller-ID lookups, unknown orders,
 * escalations, silences) mixed with bad input, each request with what it
 * must get back. Pure: no I/O, seeded randomness.
 */
import {createHmac, randomUUID} from 'node:crypto';

export type Kind =
  | 'lookup_cold' | 'lookup_repeat' | 'caller_id' | 'unknown_order' | 'escalation' | 'silence'
  | 'bad_signature' | 'malformed_json' | 'invalid_event' | 'stale_event' | 'wrong_content_type' | 'unknown_hook';

/** Share of each kind in the traffic (sums to 100). */
export const MIX: Record<Kind, number> = {
  lookup_cold: 22, lookup_repeat: 24, caller_id: 10, unknown_order: 7, escalation: 11, silence: 11,
  bad_signature: 5, malformed_json: 3, invalid_event: 3, stale_event: 2, wrong_content_type: 1, unknown_hook: 1,
};

/** The precise answer each kind of bad input must get. */
export const BAD_INPUT: Partial<Record<Kind, {status: number; error: string}>> = {
  bad_signature: {status: 401, error: 'invalid_signature'},
  malformed_json: {status: 400, error: 'malformed_json'},
  invalid_event: {status: 400, error: 'invalid_event'},
  stale_event: {status: 401, error: 'stale_event'},
  wrong_content_type: {status: 415, error: 'unsupported_media_type'},
  unknown_hook: {status: 404, error: 'unknown_hook'},
};

/** Orders 100000–119999 exist; 900000–999999 never do (the simulated Shopify answers no orders). */
export const ORDER_UNIVERSE = {from: 100_000, size: 20_000};
export const isUnknownOrder = (key: string) => /^9\d{5}$/.test(key);
/** Caller IDs (+1 415 55x xxxx, so English): each has one order in transit, named after its last 7 digits. */
export const CALLERS = 400;

export interface Target {
  hookId: string;
  secret: string;
}

export interface Planned {
  kind: Kind;
  callId: string;
  /** The order key (lookups) or the caller's number (caller ID). */
  key?: string;
  hookPath: string;
  headers: Record<string, string>;
  body: string;
}

export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pickKind(r: number): Kind {
  let acc = 0;
  for (const [kind, share] of Object.entries(MIX) as [Kind, number][]) {
    acc += share / 100;
    if (r < acc) return kind;
  }
  return 'lookup_repeat';
}

const sign = (body: string, secret: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

export const callerPhone = (n: number) => `+1415555${String(n % 10_000).padStart(4, '0')}`;

/** One request of `kind` for the shop `target`; `key` is the order or caller for lookups. */
export function plan(kind: Kind, target: Target, key: string | undefined, rnd: () => number): Planned {
  const callId = `soak_${randomUUID()}`;
  const occurredAt = new Date(kind === 'stale_event' ? Date.now() - 3_600_000 : Date.now()).toISOString();
  const context = {caller_phone: callerPhone(Math.floor(rnd() * 10_000)), language: 'en'};
  let event: Record<string, unknown>;
  switch (kind) {
    case 'caller_id':
      event = {event: 'tool.invoked', call_id: callId, occurred_at: occurredAt, tool: 'lookup_order', params: {}, context: {caller_phone: key, language: 'en'}};
      break;
    case 'escalation':
      event = {event: 'escalation.requested', call_id: callId, occurred_at: occurredAt, reason: rnd() < 0.5 ? 'caller_request' : 'low_confidence', confidence: 0.4, context};
      break;
    case 'silence':
      event = {event: 'silence.detected', call_id: callId, occurred_at: occurredAt, silence_ms: 8000 + Math.floor(rnd() * 4000), context};
      break;
    case 'invalid_event':
      event = {event: 'intent.detected', occurred_at: occurredAt, intent: 'lookup_order', params: {order_number: '1001'}}; // no call_id
      break;
    default:
      event = {event: rnd() < 0.5 ? 'intent.detected' : 'tool.invoked', call_id: callId, occurred_at: occurredAt, intent: 'lookup_order', tool: 'lookup_order', params: {order_number: `#${key ?? '100001'}`}, context};
  }
  let body = JSON.stringify(event);
  if (kind === 'malformed_json') body = body.slice(0, -7); // cut off mid-object, then signed
  const headers: Record<string, string> = {'content-type': kind === 'wrong_content_type' ? 'text/plain' : 'application/json'};
  headers['x-callina-signature'] = kind === 'bad_signature' ? sign(body, `${target.secret}-not`) : sign(body, target.secret);
  const hookPath = `/callina/${kind === 'unknown_hook' ? 'x'.repeat(24) : target.hookId}`;
  return {kind, callId, key, hookPath, headers, body};
}

export type Spoken = 'found' | 'found_stale' | 'not_found' | 'fallback' | 'ask_number' | 'other';

/** What a lookup's English answer came to, from the words alone. */
export function classifyLookup(say: string, key: string | undefined): Spoken {
  if (/order system|shop's system|can't check that right now|can't look up your order right now/.test(say)) return 'fallback';
  if (/tell me your order number/.test(say)) return 'ask_number';
  if (/couldn't find/.test(say)) return 'not_found';
  const spelled = (key ?? '').replace(/^\+/, '').slice(-7).split('').join(' ');
  const digits = key && /^\+/.test(key) ? spelled : (key ?? '').split('').join(' ');
  if (key && say.includes(digits)) return /as of the last update/.test(say) ? 'found_stale' : 'found';
  return 'other';
}
