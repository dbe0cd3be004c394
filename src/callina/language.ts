import {parseLocale, type Language, type Locale} from '../speech/locale.ts';

/** Longest prefix first: +423 (Liechtenstein) before +4x. */
const GERMAN_SPEAKING_PREFIXES: readonly [string, Locale][] = [
  ['+423', 'de'],
  ['+43', 'de-AT'],
  ['+49', 'de-DE'],
  ['+41', 'de-CH'],
];

/**
 * The caller's language: an explicit hint from Callina, else the country of
 * the caller's phone, else the shop's default, else English.
 */
export function chooseLocale(
  context: {language?: string | undefined; locale?: string | undefined; caller_phone?: string | undefined},
  shopDefault: Language | null,
): Locale {
  const hinted = parseLocale(context.language) ?? parseLocale(context.locale);
  if (hinted) return hinted;
  const phone = context.caller_phone?.replace(/[^\d+]/g, '').replace(/^00/, '+');
  if (phone?.startsWith('+')) {
    const match = GERMAN_SPEAKING_PREFIXES.find(([prefix]) => phone.startsWith(prefix));
    return match ? match[1] : 'en';
  }
  return shopDefault ?? 'en';
}
