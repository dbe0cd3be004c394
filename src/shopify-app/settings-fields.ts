import {z} from 'zod';
import {parseClosedDates, parseWeeklyHours, type Parsed} from '../hours/schedule.ts';
import {MAX_REPORT_DAYS} from '../shops/report-days.ts';
import {callerLookup, contactHint, e164Phone, language, verification} from '../shops/shop-fields.ts';

/** A phone field where empty means none; a bad number carries the code phone_invalid. */
const optionalPhone = z
  .string({error: (issue) => (issue.input === undefined ? 'is required' : 'must be a phone number or empty')})
  .nullable()
  .transform((value, ctx) => {
    if (value === null || value.trim() === '') return null;
    const phone = e164Phone.safeParse(value);
    if (phone.success) return phone.data;
    ctx.addIssue({code: 'custom', message: phone.error.issues[0]?.message ?? 'is not a phone number', params: {code: 'phone_invalid'}});
    return z.NEVER;
  });

/** The stable code of a contact-hint refusal (shop-fields.ts words it), so the page can say the same in German. */
const CONTACT_HINT_CODES: readonly (readonly [RegExp, string])[] = [
  [/^must be at most/, 'contact_hint_too_long'],
  [/^must be one line/, 'contact_hint_one_line'],
  [/^must contain a word/, 'contact_hint_no_word'],
  [/^must be one phrase/, 'contact_hint_one_phrase'],
  [/^must write long numbers/, 'contact_hint_digit_groups'],
];
function contactHintCode(message: string): string {
  return CONTACT_HINT_CODES.find(([pattern]) => pattern.test(message))?.[1] ?? 'invalid';
}

/** A schedule text field: the parser's code and the part at fault go with the message. */
function scheduleText<T>(parse: (text: string) => Parsed<T>, empty: T) {
  return z.string({error: 'must be text'}).transform((value, ctx) => {
    if (value.trim() === '') return empty;
    const parsed = parse(value);
    if (parsed.ok) return parsed.value;
    ctx.addIssue({code: 'custom', message: parsed.error.message, params: {code: parsed.error.code, part: parsed.error.part}});
    return z.NEVER;
  });
}

/**
 * What the settings page may change, validated as a whole: one bad field
 * and nothing is saved. Unknown fields are refused, so a typo never
 * silently does nothing.
 */
export const settingsInput = z.strictObject({
  /** Empty means "nobody to transfer to". */
  storePhone: optionalPhone,
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
      const message = hint.error.issues[0]?.message ?? 'is not a usable contact';
      ctx.addIssue({code: 'custom', message, params: {code: contactHintCode(message)}});
      return z.NEVER;
    }),
  /** Absent: unchanged. "Mon-Fri 09:00-17:00, …"; empty or "always": no schedule; "never". */
  businessHours: scheduleText(parseWeeklyHours, null).optional(),
  /** Absent: unchanged. "2026-12-24, 2026-12-25"; empty or "none": no closed dates. */
  closedDates: scheduleText(parseClosedDates, [] as string[]).optional(),
  /** Absent: unchanged; empty: none. */
  afterHoursPhone: optionalPhone.optional(),
});

export const reportQuery = z.object({
  days: z.coerce
    .number({error: 'must be a whole number of days'})
    .int('must be a whole number of days')
    .min(1, `must be between 1 and ${MAX_REPORT_DAYS}`)
    .max(MAX_REPORT_DAYS, `must be between 1 and ${MAX_REPORT_DAYS}`)
    .default(30),
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

/** Stable codes for zod's own checks; our custom checks name theirs. */
const ZOD_CODES: Record<string, string> = {
  invalid_type: 'invalid_type',
  invalid_value: 'invalid_choice',
  invalid_union: 'invalid_type',
  too_small: 'too_short',
  too_big: 'too_long',
  invalid_format: 'invalid_format',
  not_multiple_of: 'invalid',
};

/**
 * Per field, a stable code the page translates (`{businessHours:
 * "hours_time_invalid"}`) and, where the input has a part at fault, that
 * part (`{businessHours: "25:00"}`), so the message can quote it in any
 * language.
 */
export function fieldCodes(error: z.ZodError, input: unknown): {codes: Record<string, string>; parts: Record<string, string>} {
  const codes: Record<string, string> = {};
  const parts: Record<string, string> = {};
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) codes[key] ??= 'unknown_field';
      continue;
    }
    const field = issue.path.map(String).join('.') || 'body';
    if (codes[field]) continue;
    const params = issue.code === 'custom' ? (issue.params as {code?: string; part?: string} | undefined) : undefined;
    const given = typeof input === 'object' && input !== null ? (input as Record<string, unknown>)[field] : undefined;
    const missing = issue.code === 'invalid_type' && given === undefined;
    codes[field] = missing ? 'required' : (params?.code ?? ZOD_CODES[issue.code] ?? 'invalid');
    if (params?.part !== undefined) parts[field] = params.part;
  }
  return {codes, parts};
}

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
