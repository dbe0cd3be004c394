import {languageOf, parseLocale, type Language, type Locale} from '../speech/locale.ts';

/** Longest prefix first: +423 (Liechtenstein) before +4x. */
const PREFIX_LOCALES: readonly [string, Locale][] = [
  ['+423', 'de'],
  ['+43', 'de-AT'],
  ['+49', 'de-DE'],
  ['+41', 'de-CH'],
  ['+1', 'en-US'], // US and Canada: American dates
];

/**
 * The caller's language: an explicit hint from Callina, else the country of
 * the caller's phone, else the shop's default, else English. A hint without
 * a region ("en", "de") takes the region from the phone when the languages
 * agree, so a +1 caller hinted "en" still hears American dates.
 */
export function chooseLocale(
  context: {language?: string | undefined; locale?: string | undefined; caller_phone?: string | undefined},
  shopDefault: Language | null,
): Locale {
  const hinted = parseLocale(context.language) ?? parseLocale(context.locale);
  const phone = context.caller_phone?.replace(/[^\d+]/g, '').replace(/^00/, '+');
  const fromPhone = phone?.startsWith('+') ? (PREFIX_LOCALES.find(([prefix]) => phone.startsWith(prefix))?.[1] ?? 'en') : undefined;
  if (hinted) {
    const regionless = hinted === 'en' || hinted === 'de';
    return regionless && fromPhone && languageOf(fromPhone) === hinted ? fromPhone : hinted;
  }
  return fromPhone ?? shopDefault ?? 'en';
}
