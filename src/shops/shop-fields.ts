import {z} from 'zod';
import {CALLER_LOOKUP_MODES, VERIFICATION_MODES} from '../storage/storage.ts';

/**
 * Validators for what a merchant or operator may set on a shop. Shared by
 * the CLI, the install flow and the settings API so the rules are one.
 */
export const shopDomain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, 'must be a shop domain like my-store.myshopify.com');

/** E.164: "+" then 8 to 15 digits; spaces, dashes and brackets as people type them are dropped. */
export const e164Phone = z
  .string()
  .trim()
  .transform((s) => s.replace(/[\s\-().\/]/g, '').replace(/^00/, '+'))
  .pipe(z.string().regex(/^\+[1-9]\d{7,14}$/, 'must be an international number like +43 662 275124'));

export const language = z.enum(['de', 'en'], {message: 'must be de or en'});
export const verification = z.enum(VERIFICATION_MODES, {message: 'must be none or caller_phone'});
export const callerLookup = z.enum(CALLER_LOOKUP_MODES, {message: 'must be on or off'});

export const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', {timeZone: tz});
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone like Europe/Vienna');

export const CONTACT_HINT_MAX_LENGTH = 120;

/**
 * How callers reach the team when no transfer is possible, spoken by Anna
 * exactly as written ("hello@shop.at", "Montag bis Freitag 9 bis 17 Uhr
 * unter 0662 275124"). It ends up inside one of Anna's sentences, so it
 * must be one short phrase: no line breaks or control characters, nothing
 * that ends a sentence, and numbers in groups a voice reads naturally.
 */
export const contactHint = z
  .string()
  .transform((s) => s.normalize('NFC').trim())
  .pipe(
    z
      .string()
      .min(1, 'must not be empty')
      .max(CONTACT_HINT_MAX_LENGTH, `must be at most ${CONTACT_HINT_MAX_LENGTH} characters: Anna reads it aloud`)
      .regex(/^[^\p{Cc}\p{Cf}\u2028\u2029]*$/u, 'must be one line without control characters')
      .regex(/[\p{L}\p{N}]/u, 'must contain a word or number')
      .refine(
        (s) => !/[.!?;]\s/u.test(s),
        'must be one phrase: a full stop, "?", "!" or ";" before a space would end the sentence (write "Montag bis Freitag", not "Mo. bis Fr.")',
      )
      .refine((s) => !/\d{7,}/.test(s), 'must write long numbers in groups as Anna should read them, e.g. 0662 275124'),
  );
