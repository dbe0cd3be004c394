import {languageOf, type Locale} from './locale.ts';

/**
 * Fixed sentences Anna speaks around a call, one table per language with
 * the same keys (the type makes a missing translation a compile error).
 * German is formal throughout ("Sie").
 */
const en = {
  transfer: 'Let me transfer you to our team.',
  noTransfer:
    "I'm sorry, I can't put you through to a person right now. Please contact the store by email, or call back later.",
  apology: "I'm sorry, I can't check that right now. Please try again in a few minutes.",
  apologyTransfer: "I'm sorry, I can't check that right now. Let me transfer you to our team.",
} as const;

type PhraseKey = keyof typeof en;

const de: Record<PhraseKey, string> = {
  transfer: 'Einen Moment bitte, ich verbinde Sie mit unserem Team.',
  noTransfer:
    'Es tut mir leid, ich kann Sie gerade nicht mit einer Mitarbeiterin oder einem Mitarbeiter verbinden. Bitte schreiben Sie dem Shop eine E-Mail oder rufen Sie später noch einmal an.',
  apology:
    'Es tut mir leid, das kann ich gerade nicht prüfen. Bitte versuchen Sie es in ein paar Minuten noch einmal.',
  apologyTransfer:
    'Es tut mir leid, das kann ich gerade nicht prüfen. Ich verbinde Sie mit unserem Team.',
};

const TABLES: Record<'en' | 'de', Record<PhraseKey, string>> = {en, de};

export function phrase(locale: Locale, key: PhraseKey): string {
  return TABLES[languageOf(locale)][key];
}
