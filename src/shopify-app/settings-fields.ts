import {z} from 'zod';
import {callerLookup, contactHint, e164Phone, language, verification} from '../shops/shop-fields.ts';

/**
 * What the settings page may change, validated as a whole: one bad field
 * and nothing is saved. Unknown fields are refused, so a typo never
 * silently does nothing.
 */
export const settingsInput = z.strictObject({
  /** Empty means "nobody to transfer to". */
  storePhone: z
    .string({error: (issue) => (issue.input === undefined ? 'is required' : 'must be a phone number or empty')})
    .nullable()
    .transform((value, ctx) => {
      if (value === null || value.trim() === '') return null;
      const phone = e164Phone.safeParse(value);
      if (phone.success) return phone.data;
      ctx.addIssue({code: 'custom', message: phone.error.issues[0]?.message ?? 'is not a phone number'});
      return z.NEVER;
    }),
  defaultLanguage: language,
  verification,
  /** Finding callers without an order number; left as it is when absent. */
  callerLookup: callerLookup.optional(),
  /** Empty means "no contact to offer"; absent leaves the stored hint as it is. */
  contactHint: z
    .string({error: 'must be text or empty'})
    .nullable()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      if (value === null || value.trim() === '') return null;
      const hint = contactHint.safeParse(value);
      if (hint.success) return hint.data;
      ctx.addIssue({code: 'custom', message: hint.error.issues[0]?.message ?? 'is not a usable contact'});
      return z.NEVER;
    }),
});

export const secretInput = z.strictObject({
  secret: z
    .string({error: 'is required'})
    .trim()
    .min(16, 'must be at least 16 characters')
    .max(256, 'must be at most 256 characters')
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces'),
});

export const testLookupInput = z.strictObject({
  orderNumber: z
    .string({error: 'is required'})
    .trim()
    .min(1, 'enter an order number, e.g. 1001')
    .max(40, 'must be at most 40 characters')
    .regex(/^[^\p{Cc}]+$/u, 'must not contain control characters'),
});

/** One message per field, for the form: `{storePhone: "must be an international number …"}`. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) fields[key] ??= 'is not a setting';
      continue;
    }
    fields[issue.path.map(String).join('.') || 'body'] ??= issue.message;
  }
  return fields;
}
