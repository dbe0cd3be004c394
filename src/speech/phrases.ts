import {languageOf, type Language, type Locale} from './locale.ts';
import {hintPhrase, type Contact} from './order-phrases.ts';

/**
 * Fixed sentences Anna speaks around a lookup and a call, one table per
 * language with the same keys (the type makes a missing translation a
 * compile error). German is formal throughout ("Sie"). One voice: "our
 * team". A way on is offered only where one exists: a transfer when the
 * shop has a phone, else the contact the merchant configured, else none.
 */
interface FixedPhrases {
  transfer: string;
  /** Escalation without a store phone and without a contact hint. */
  noTransfer: string;
  apology: string;
  apologyTransfer: string;
  noOrderNumber: string;
  /** `older`: the shop cannot see orders older than 60 days (no `read_all_orders`). */
  notFound(name: string, older: boolean, contact: Contact): string;
  stillChecking(contact: Contact): string;
  unavailable(contact: Contact): string;
  /** The shop must reconnect the app: waiting will not fix it, so no "try again later". */
  reconnect(contact: Contact): string;
  /** Escalation without a store phone, with the merchant's contact hint. */
  noTransferHint(hint: string): string;
}

const en: FixedPhrases = {
  transfer: 'Let me transfer you to our team.',
  noTransfer: "I'm sorry, I can't put you through to a person right now, but I'm happy to keep helping you with your order.",
  apology: "I'm sorry, I can't check that right now. Please try again in a few minutes.",
  apologyTransfer: "I'm sorry, I can't check that right now. Let me transfer you to our team.",
  noOrderNumber: 'Could you please tell me your order number? You can find it in your order confirmation email.',
  notFound: (name, older, {canTransfer, contactHint}) => {
    const which = name ? `an order with the number ${name}` : 'that order';
    if (!older) {
      return `I couldn't find ${which}. Please check the number and tell me again${canTransfer ? ', or I can connect you with our team' : ''}.`;
    }
    const first = `I couldn't find ${which}, but I can only see orders from the last 60 days.`;
    if (canTransfer) return `${first} For an older order, I can connect you with our team, or please check the number and tell me again.`;
    if (contactHint) return `${first} For an older order, our team is happy to help: ${hintPhrase(contactHint)}.`;
    return `${first} If your order is more recent, please check the number and tell me again.`;
  },
  stillChecking: ({canTransfer}) =>
    "I'm still waiting for our order system. " +
    (canTransfer ? 'Let me transfer you to our team.' : 'Please give me a moment and then ask me again.'),
  unavailable: ({canTransfer, contactHint}) =>
    "I'm sorry, I can't reach our order system right now. " +
    (canTransfer
      ? 'Let me transfer you to our team.'
      : contactHint
        ? `Our team is happy to help: ${hintPhrase(contactHint)}.`
        : 'Please try again in a few minutes.'),
  reconnect: ({canTransfer, contactHint}) =>
    "I'm sorry, I can't look up your order right now." +
    (canTransfer
      ? ' Let me transfer you to our team.'
      : contactHint
        ? ` Our team is happy to help: ${hintPhrase(contactHint)}.`
        : ''),
  noTransferHint: (hint) => `I'm sorry, I can't put you through to a person right now. Our team is happy to help: ${hintPhrase(hint)}.`,
};

const de: FixedPhrases = {
  transfer: 'Einen Moment bitte, ich verbinde Sie mit unserem Team.',
  noTransfer:
    'Es tut mir leid, ich kann Sie gerade nicht mit einer Person verbinden, aber bei Ihrer Bestellung helfe ich Ihnen gern weiter.',
  apology:
    'Es tut mir leid, das kann ich gerade nicht prüfen. Bitte versuchen Sie es in ein paar Minuten noch einmal.',
  apologyTransfer: 'Es tut mir leid, das kann ich gerade nicht prüfen. Ich verbinde Sie mit unserem Team.',
  noOrderNumber:
    'Könnten Sie mir bitte Ihre Bestellnummer nennen? Sie finden sie in Ihrer Bestellbestätigung per E-Mail.',
  notFound: (name, older, {canTransfer, contactHint}) => {
    if (!older) {
      const first = name ? `Ich konnte keine Bestellung mit der Nummer ${name} finden.` : 'Ich konnte diese Bestellung nicht finden.';
      return `${first} Bitte prüfen Sie die Nummer und nennen Sie sie mir noch einmal${canTransfer ? ', oder ich verbinde Sie mit unserem Team' : ''}.`;
    }
    const which = name ? `die Bestellung ${name}` : 'diese Bestellung';
    const first = `Ich konnte ${which} nicht finden, ich sehe hier aber nur Bestellungen der letzten 60 Tage.`;
    if (canTransfer) {
      return `${first} Bei einer älteren Bestellung verbinde ich Sie gern mit unserem Team, sonst prüfen Sie bitte die Nummer und nennen Sie sie mir noch einmal.`;
    }
    if (contactHint) return `${first} Bei einer älteren Bestellung hilft Ihnen unser Team gern weiter: ${hintPhrase(contactHint)}.`;
    return `${first} Ist Ihre Bestellung jünger, prüfen Sie bitte die Nummer und nennen Sie sie mir noch einmal.`;
  },
  stillChecking: ({canTransfer}) =>
    'Ich warte noch auf eine Antwort unseres Bestellsystems. ' +
    (canTransfer ? 'Ich verbinde Sie mit unserem Team.' : 'Bitte fragen Sie mich in einem Moment noch einmal.'),
  unavailable: ({canTransfer, contactHint}) =>
    'Es tut mir leid, ich kann unser Bestellsystem gerade nicht erreichen. ' +
    (canTransfer
      ? 'Ich verbinde Sie mit unserem Team.'
      : contactHint
        ? `Unser Team hilft Ihnen gern weiter: ${hintPhrase(contactHint)}.`
        : 'Bitte versuchen Sie es in ein paar Minuten noch einmal.'),
  reconnect: ({canTransfer, contactHint}) =>
    'Es tut mir leid, ich kann Ihre Bestellung gerade nicht abrufen.' +
    (canTransfer
      ? ' Ich verbinde Sie mit unserem Team.'
      : contactHint
        ? ` Unser Team hilft Ihnen gern weiter: ${hintPhrase(contactHint)}.`
        : ''),
  noTransferHint: (hint) =>
    `Es tut mir leid, ich kann Sie gerade nicht mit einer Person verbinden. Unser Team hilft Ihnen gern weiter: ${hintPhrase(hint)}.`,
};

const TABLES: Record<Language, FixedPhrases> = {en, de};

export function fixedPhrases(locale: Locale): FixedPhrases {
  return TABLES[languageOf(locale)];
}

type PlainKey = 'transfer' | 'noTransfer' | 'apology' | 'apologyTransfer';

/** A sentence that takes no arguments. */
export function phrase(locale: Locale, key: PlainKey): string {
  return fixedPhrases(locale)[key];
}

/** What a caller who asked for a person hears when there is no store phone. */
export function sayNoTransfer(locale: Locale, {contactHint}: {contactHint: string | null}): string {
  const words = fixedPhrases(locale);
  return contactHint ? words.noTransferHint(contactHint) : words.noTransfer;
}
