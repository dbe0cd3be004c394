import {pino, type Logger} from 'pino';

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

/** "+43660123456789" → "+43**********89": enough to tell calls apart, not enough to call back. */
export function maskPhone(phone: string | undefined | null): string | undefined {
  if (!phone) return undefined;
  const digits = phone.replace(/[^\d]/g, '');
  if (digits.length <= 4) return '*'.repeat(digits.length);
  return `+${digits.slice(0, 2)}${'*'.repeat(digits.length - 4)}${digits.slice(-2)}`;
}
