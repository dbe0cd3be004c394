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
