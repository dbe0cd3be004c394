import {languageOf, type Language, type Locale} from './locale.ts';
import {speakDate} from './relative-date.ts';

/**
 * What Anna says when the shop's team is not reachable now: the caller is
 * put through to the after-hours number, or told when the team is back.
 * One table per language with the same keys (a missing translation is a
 * compile error); German is formal ("Sie").
 */

/** The first sentence of an answer that could not be given and now hands the caller on. */
export type HandoffLead = 'stillChecking' | 'unavailable' | 'apology';

interface HoursPhrases {
  /** Before a transfer to the after-hours number. */
  leads: Record<HandoffLead, string>;
  /** Before "our team is back …": nobody takes the call now. */
  closedLeads: Record<HandoffLead, string>;
  afterHoursTransfer: string;
  cannotConnectNow: string;
  /** `day` as relative-date speaks it ("tomorrow", "on Monday", "on 7 January"), `time` from `clock`. */
  backAt(day: string, time: string): string;
  notReachable: string;
  contactHint(hint: string): string;
  clock(hours: number, minutes: number): string;
}

const en: HoursPhrases = {
  leads: {
    stillChecking: "I'm still waiting for the shop's system.",
    unavailable: "I'm sorry, I can't reach the shop's order system right now.",
    apology: "I'm sorry, I can't check that right now.",
  },
  closedLeads: {
    stillChecking: "I'm still waiting for the shop's system. Please ask me again in a moment.",
    unavailable: "I'm sorry, I can't reach the shop's order system right now.",
    apology: "I'm sorry, I can't check that right now.",
  },
  afterHoursTransfer: "We're closed right now, so I'll put you through to our after-hours line.",
  cannotConnectNow: "I'm sorry, I can't put you through to our team right now.",
  backAt: (day, time) => `Our team is back ${day} from ${time}.`,
  notReachable: "Our team can't take calls at the moment.",
  contactHint: (hint) => `You can also reach the store here: ${hint}.`,
  clock: (hours, minutes) => {
    if (hours % 24 === 0 && minutes === 0) return 'midnight';
    if (hours === 12 && minutes === 0) return 'noon';
    const h = hours % 12 === 0 ? 12 : hours % 12;
    return `${h}${minutes ? `:${String(minutes).padStart(2, '0')}` : ''} ${hours < 12 ? 'am' : 'pm'}`;
  },
};

const de: HoursPhrases = {
  leads: {
    stillChecking: 'Ich warte noch auf eine Antwort vom System des Shops.',
    unavailable: 'Es tut mir leid, ich kann das Bestellsystem des Shops gerade nicht erreichen.',
    apology: 'Es tut mir leid, das kann ich gerade nicht prüfen.',
  },
  closedLeads: {
    stillChecking: 'Ich warte noch auf eine Antwort vom System des Shops. Bitte fragen Sie mich in einem Moment noch einmal.',
    unavailable: 'Es tut mir leid, ich kann das Bestellsystem des Shops gerade nicht erreichen.',
    apology: 'Es tut mir leid, das kann ich gerade nicht prüfen.',
  },
  afterHoursTransfer: 'Wir haben gerade geschlossen. Ich verbinde Sie mit unserer Nummer für Anrufe außerhalb der Öffnungszeiten.',
  cannotConnectNow: 'Es tut mir leid, ich kann Sie gerade nicht mit unserem Team verbinden.',
  backAt: (day, time) => `Unser Team ist ${day} ab ${time} wieder für Sie da.`,
  notReachable: 'Unser Team ist telefonisch gerade nicht erreichbar.',
  contactHint: (hint) => `Sie erreichen den Shop auch so: ${hint}.`,
  // Written as it is said: "9 Uhr", "9 Uhr 30".
  clock: (hours, minutes) => (hours % 24 === 0 && minutes === 0 ? 'Mitternacht' : `${hours} Uhr${minutes ? ` ${String(minutes).padStart(2, '0')}` : ''}`),
};

const TABLES: Record<Language, HoursPhrases> = {en, de};

/** When the team is next reachable, in the shop's zone; `next` null: the schedule never opens. */
export interface NextReachable {
  next: Date | null;
  timeZone: string;
  now: Date;
}

function withHint(words: HoursPhrases, sentence: string, contactHint: string | null | undefined): string {
  const hint = contactHint?.trim().replace(/[.!?\s]+$/, '');
  return hint ? `${sentence} ${words.contactHint(hint)}` : sentence;
}

function localClock(at: Date, timeZone: string): [number, number] {
  const parts = new Intl.DateTimeFormat('en-GB', {timeZone, hourCycle: 'h23', hour: 'numeric', minute: 'numeric'}).formatToParts(at);
  const n = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return [n('hour'), n('minute')];
}

/** "Our team is back on Monday from 9 am." / "Unser Team ist morgen ab 9 Uhr wieder für Sie da." (+ the contact hint). */
export function sayTeamBack(locale: Locale, when: NextReachable, contactHint?: string | null): string {
  const words = TABLES[languageOf(locale)];
  if (!when.next) return withHint(words, words.notReachable, contactHint);
  const day = speakDate(when.next, {locale, timeZone: when.timeZone, now: when.now});
  const [hours, minutes] = localClock(when.next, when.timeZone);
  return withHint(words, words.backAt(day, words.clock(hours, minutes)), contactHint);
}

/** The caller asked for a person and nobody is there: sorry, and when they are back. */
export function sayClosedNow(locale: Locale, when: NextReachable, contactHint?: string | null): string {
  return `${TABLES[languageOf(locale)].cannotConnectNow} ${sayTeamBack(locale, when, contactHint)}`;
}

/** A fallback that hands over to nobody now: its first sentence, then when the team is back. */
export function sayLeadThenTeamBack(locale: Locale, lead: HandoffLead, when: NextReachable, contactHint?: string | null): string {
  return `${TABLES[languageOf(locale)].closedLeads[lead]} ${sayTeamBack(locale, when, contactHint)}`;
}

/** Put through to the after-hours number, saying so; `lead` first where an answer could not be given. */
export function sayAfterHoursTransfer(locale: Locale, lead?: HandoffLead): string {
  const words = TABLES[languageOf(locale)];
  return lead ? `${words.leads[lead]} ${words.afterHoursTransfer}` : words.afterHoursTransfer;
}
