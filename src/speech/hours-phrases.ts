import {languageOf, type Language, type Locale} from './locale.ts';
import {hintPhrase} from './order-phrases.ts';
import {speakDate} from './relative-date.ts';

/**
 * What Anna says when the shop's team is not reachable now: the caller is
 * put through to the after-hours number, or told when the team is back.
 * One table per language with the same keys (a missing translation is a
 * compile error); German is formal ("Sie").
 */

/** The first sentence of an answer that could not be given and now hands the caller on. */
export type HandoffLead = 'stillChecking' | 'unavailable' | 'reconnect' | 'apology';

/**
 * One voice with the rest of Anna's sentences ("our order system", "our
 * team", "reach us"), and at most two sentences with the contact hint: the
 * hint joins the sentence that says when the team is back.
 */
interface HoursPhrases {
  /** Before a transfer to the after-hours number. */
  leads: Record<HandoffLead, string>;
  /** Before "our team is back …": nobody takes the call now. */
  closedLeads: Record<HandoffLead, string>;
  afterHoursTransfer: string;
  cannotConnectNow: string;
  /** `day` as relative-date speaks it ("tomorrow", "on Monday", "on 7 January"), `time` from `clock`; `hint` as given. */
  backAt(day: string, time: string, hint: string | null): string;
  notReachable(hint: string | null): string;
  clock(hours: number, minutes: number): string;
}

const en: HoursPhrases = {
  leads: {
    stillChecking: "I'm still waiting for our order system.",
    unavailable: "I'm sorry, I can't reach our order system right now.",
    reconnect: "I'm sorry, I can't look up your order right now.",
    apology: "I'm sorry, I can't check that right now.",
  },
  closedLeads: {
    stillChecking: "I'm still waiting for our order system, so please ask me again in a moment.",
    unavailable: "I'm sorry, I can't reach our order system right now.",
    reconnect: "I'm sorry, I can't look up your order right now.",
    apology: "I'm sorry, I can't check that right now.",
  },
  afterHoursTransfer: "We're closed right now, so I'll put you through to our after-hours line.",
  cannotConnectNow: "I'm sorry, I can't put you through right now.",
  backAt: (day, time, hint) => `Our team is back ${day} from ${time}${hint ? `, and you can also reach us here: ${hint}` : ''}.`,
  notReachable: (hint) => `Our team can't take calls at the moment${hint ? `, but you can reach us here: ${hint}` : ''}.`,
  clock: (hours, minutes) => {
    if (hours % 24 === 0 && minutes === 0) return 'midnight';
    if (hours === 12 && minutes === 0) return 'noon';
    const h = hours % 12 === 0 ? 12 : hours % 12;
    return `${h}${minutes ? `:${String(minutes).padStart(2, '0')}` : ''} ${hours < 12 ? 'am' : 'pm'}`;
  },
};

const de: HoursPhrases = {
  leads: {
    stillChecking: 'Ich warte noch auf eine Antwort unseres Bestellsystems.',
    unavailable: 'Es tut mir leid, ich kann unser Bestellsystem gerade nicht erreichen.',
    reconnect: 'Es tut mir leid, ich kann Ihre Bestellung gerade nicht abrufen.',
    apology: 'Es tut mir leid, das kann ich gerade nicht prüfen.',
  },
  closedLeads: {
    stillChecking: 'Ich warte noch auf eine Antwort unseres Bestellsystems, bitte fragen Sie mich in einem Moment noch einmal.',
    unavailable: 'Es tut mir leid, ich kann unser Bestellsystem gerade nicht erreichen.',
    reconnect: 'Es tut mir leid, ich kann Ihre Bestellung gerade nicht abrufen.',
    apology: 'Es tut mir leid, das kann ich gerade nicht prüfen.',
  },
  afterHoursTransfer: 'Wir haben gerade geschlossen, deshalb verbinde ich Sie mit unserer Nummer für Anrufe außerhalb der Öffnungszeiten.',
  cannotConnectNow: 'Es tut mir leid, ich kann Sie gerade nicht verbinden.',
  backAt: (day, time, hint) => `Unser Team ist ${day} ab ${time} wieder für Sie da${hint ? `, und Sie erreichen uns auch so: ${hint}` : ''}.`,
  notReachable: (hint) => `Unser Team ist telefonisch gerade nicht erreichbar${hint ? `, Sie erreichen uns aber so: ${hint}` : ''}.`,
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


function localClock(at: Date, timeZone: string): [number, number] {
  const parts = new Intl.DateTimeFormat('en-GB', {timeZone, hourCycle: 'h23', hour: 'numeric', minute: 'numeric'}).formatToParts(at);
  const n = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return [n('hour'), n('minute')];
}

/** "Our team is back on Monday from 9 am." / "Unser Team ist morgen ab 9 Uhr wieder für Sie da." (with the contact hint, one sentence). */
export function sayTeamBack(locale: Locale, when: NextReachable, contactHint?: string | null): string {
  const words = TABLES[languageOf(locale)];
  const hint = hintPhrase(contactHint ?? '') || null;
  if (!when.next) return words.notReachable(hint);
  const day = speakDate(when.next, {locale, timeZone: when.timeZone, now: when.now});
  const [hours, minutes] = localClock(when.next, when.timeZone);
  return words.backAt(day, words.clock(hours, minutes), hint);
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
