import {pino, type Logger} from 'pino';
import {canonicalPhone} from './caller-phone.ts';

export type {Logger};

/**
 * Structured logs, one JSON line per event. Callers' data never appears in
 * clear: phone numbers are masked before logging, and these paths are
 * censored in case a whole payload is ever logged by mistake.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      serializers: {err: errorForLog},
      redact: {
        paths: [
          'caller_phone', 'caller_name', '*.caller_phone', '*.caller_name', '*.*.caller_phone', '*.*.caller_name',
          'accessToken', 'secret', '*.accessToken', '*.secret', 'req.headers.authorization', 'req.headers["x-callina-signature"]',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
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
