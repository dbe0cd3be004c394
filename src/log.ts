import {pino, type Logger} from 'pino';
import {canonicalPhone} from './caller-phone.ts';

export type {Logger};

/**
 * Structured logs, one JSON line per event. Callers' data never appears in
 * clear because it is never handed to the logger: phone numbers are masked
 * first, names and raw payloads are not logged, errors go through
 * {@link errorForLog}. (No pino `redact`: its wildcard paths cost about a
 * fifth of a warm call's CPU; test/callina/call-events.test.ts proves that
 * no caller data reaches the log.)
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({level, base: undefined, serializers: {err: errorForLog}}, destination);
}

/**
 * Errors carry whatever their library attached (a pg client with its
 * connection parameters, a Shopify response with headers): log only what
 * helps and cannot hold callers' data or credentials.
 */
function errorForLog(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return {message: String(error)};
  const e = error as Error & {code?: unknown; kind?: unknown; status?: unknown};
  return {type: e.name, message: e.message, code: e.code, kind: e.kind, status: e.status, stack: e.stack};
}

/** "+43660123456789" (or "0043 660 …") → "+43**********89": enough to tell calls apart, not enough to call back. */
export function maskPhone(phone: string | undefined | null): string | undefined {
  if (!phone) return undefined;
  const digits = (canonicalPhone(phone) ?? '').slice(1);
  if (digits.length <= 4) return '*'.repeat(digits.length);
  return `+${digits.slice(0, 2)}${'*'.repeat(digits.length - 4)}${digits.slice(-2)}`;
}
