/**
 * The languages Anna can speak for us. German variants differ only in
 * small words (Austrians say "Jänner"); everything else is shared.
 */
export const LOCALES = ['en', 'de', 'de-AT', 'de-DE', 'de-CH'] as const;
export type Locale = (typeof LOCALES)[number];
export type Language = 'en' | 'de';

export function languageOf(locale: Locale): Language {
  return locale === 'en' ? 'en' : 'de';
}

/** Accepts hints like "de_AT", "de-at", "DE", "en-US"; undefined when we do not speak it. */
export function parseLocale(hint: string | undefined | null): Locale | undefined {
  if (!hint) return undefined;
  const [lang, region] = hint.trim().replace('_', '-').split('-');
  const language = lang?.toLowerCase();
  if (language === 'en') return 'en';
  if (language !== 'de') return undefined;
  const r = region?.toUpperCase();
  return r === 'AT' || r === 'DE' || r === 'CH' ? (`de-${r}` as Locale) : 'de';
}
