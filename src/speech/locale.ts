/**
 * The languages Anna can speak for us. Variants differ only in small
 * words: Americans hear "on May 22", Austrians "Jänner"; everything else
 * is shared per language.
 */
export const LOCALES = ['en', 'en-US', 'de', 'de-AT', 'de-DE', 'de-CH'] as const;
export type Locale = (typeof LOCALES)[number];
export type Language = 'en' | 'de';

export function languageOf(locale: Locale): Language {
  return locale === 'en' || locale === 'en-US' ? 'en' : 'de';
}

/** Accepts hints like "de_AT", "de-at", "DE", "en-US"; undefined when we do not speak it. */
export function parseLocale(hint: string | undefined | null): Locale | undefined {
  if (!hint) return undefined;
  const [lang, region] = hint.trim().replace('_', '-').split('-');
  const language = lang?.toLowerCase();
  const r = region?.toUpperCase();
  if (language === 'en') return r === 'US' ? 'en-US' : 'en';
  if (language !== 'de') return undefined;
  return r === 'AT' || r === 'DE' || r === 'CH' ? (`de-${r}` as Locale) : 'de';
}
