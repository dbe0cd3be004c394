/**
 * Order numbers as a caller gives them ("ORD-12345", "#1001", "one zero
 * zero one", "eins null null eins") reduced to the one thing that identifies
 * a Shopify order: its number, as a string of digits (the key).
 *
 * A Shopify order's `name` is the shop's prefix + the order number + the
 * shop's suffix ("#1001", "EN1001", "1001-A"); prefix and suffix are shop-wide
 * settings, so the digits alone are the significant part. Letters a caller
 * says around the number are noise for the lookup.
 *
 * Pure: no I/O, no imports. Leniency has a limit: anything that could turn
 * into the wrong number (an unknown word between digits, "one thousand and
 * one") gives `undefined`, so Anna asks again instead of reading out a
 * stranger's order.
 */

/** The shop's order-name format (`shop { orderNumberFormatPrefix orderNumberFormatSuffix }`). */
export interface OrderNameFormat {
  readonly prefix: string;
  readonly suffix: string;
}

/** Shopify's default: "#1001". */
export const DEFAULT_ORDER_NAME_FORMAT: OrderNameFormat = Object.freeze({prefix: '#', suffix: ''});

/** Longer digit strings are not order numbers (E.164 phone numbers top out at 15 digits too). */
export const MAX_ORDER_KEY_DIGITS = 15;

/** Longer input is not an order number someone said. */
const MAX_INPUT_LENGTH = 200;

const UNITS: Readonly<Record<string, string>> = {
  // English
  zero: '0', oh: '0', o: '0', nought: '0', naught: '0', nil: '0',
  one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9',
  // German (diacritics already removed: fünf → funf)
  null: '0', eins: '1', zwei: '2', zwo: '2', drei: '3', vier: '4', funf: '5', fuenf: '5',
  sechs: '6', sieben: '7', acht: '8', neun: '9',
};

const TEENS: Readonly<Record<string, string>> = {
  ten: '10', eleven: '11', twelve: '12', thirteen: '13', fourteen: '14', fifteen: '15',
  sixteen: '16', seventeen: '17', eighteen: '18', nineteen: '19',
  zehn: '10', elf: '11', zwolf: '12', zwoelf: '12', dreizehn: '13', vierzehn: '14', funfzehn: '15',
  fuenfzehn: '15', sechzehn: '16', siebzehn: '17', achtzehn: '18', neunzehn: '19',
};

/** Tens words, by their first digit. */
const TENS: Readonly<Record<string, string>> = {
  twenty: '2', thirty: '3', forty: '4', fourty: '4', fifty: '5', sixty: '6', seventy: '7', eighty: '8', ninety: '9',
  zwanzig: '2', dreissig: '3', vierzig: '4', funfzig: '5', fuenfzig: '5', sechzig: '6',
  siebzig: '7', achtzig: '8', neunzig: '9',
};

/** The unit part of a German compound like "einundzwanzig". */
const GERMAN_COMPOUND_UNITS: Readonly<Record<string, string>> = {
  ein: '1', zwei: '2', zwo: '2', drei: '3', vier: '4', funf: '5', fuenf: '5', sechs: '6', sieben: '7', acht: '8', neun: '9',
};

/** "double oh seven" → 007; "doppel null" → 00. */
const REPEATS: Readonly<Record<string, number>> = {double: 2, triple: 3, doppel: 2, doppelt: 2, dreifach: 3};

/**
 * Number words we deliberately do not parse: "one thousand and one" and
 * "tausendeins" are read as cardinals, and a wrong guess is worse than a
 * polite "could you say the digits one by one?".
 */
const UNSUPPORTED = /^(hundreds?|thousands?|millions?|millionen?)$|hundert|tausend/;

/** Words for zero that are also a hesitation ("oh, it's 1001"): zero only once digits have started. */
const SOFT_ZERO = new Set(['oh', 'o']);

/** Words around an order number that carry nothing (lower case, without diacritics). */
const FILLERS = new Set([
  // the thing itself
  'order', 'orders', 'ord', 'number', 'num', 'no', 'nr', 'nummer', 'bestellung', 'bestellnummer', 'bestellnr',
  'auftrag', 'auftragsnummer', 'auftragsnr', 'ordernummer', 'id',
  // how "#" is said
  'hash', 'hashtag', 'pound', 'sharp', 'raute',
  // glue
  'is', 'its', 'it', 's', 'my', 'the', 'a', 'an', 'ist', 'lautet', 'mein', 'meine', 'die', 'der', 'das', 'ein', 'eine',
  'and', 'und',
  // hesitation
  'uh', 'uhm', 'um', 'umm', 'er', 'erm', 'ah', 'ahm', 'hm', 'hmm', 'eh', 'ehm', 'well', 'also', 'ok', 'okay', 'so',
]);

type Item =
  | {readonly type: 'digits'; readonly value: string}
  | {readonly type: 'unit'; readonly value: string; readonly soft: boolean}
  | {readonly type: 'tens'; readonly value: string}
  | {readonly type: 'repeat'; readonly times: number}
  | {readonly type: 'unknown'};

function stripDiacritics(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/ß/g, 'ss');
}

function startsWithCaseless(text: string, part: string): boolean {
  return part.length > 0 && text.slice(0, part.length).toLowerCase() === part.toLowerCase();
}

function endsWithCaseless(text: string, part: string): boolean {
  return part.length > 0 && text.length >= part.length && text.slice(text.length - part.length).toLowerCase() === part.toLowerCase();
}

/**
 * Removes the shop's prefix/suffix when written out ("ORD-12345" with
 * prefix "ORD-"). All-digit prefixes/suffixes are left alone: "10" in front
 * of "1001" cannot be told apart from the number itself.
 */
function stripFormat(text: string, format: OrderNameFormat): string {
  let rest = text;
  if (/\D/.test(format.prefix) && startsWithCaseless(rest, format.prefix)) rest = rest.slice(format.prefix.length);
  if (/\D/.test(format.suffix) && endsWithCaseless(rest, format.suffix)) rest = rest.slice(0, rest.length - format.suffix.length);
  return rest;
}

function classify(word: string): Item | 'filler' | 'unsupported' {
  if (/^[0-9]+$/.test(word)) return {type: 'digits', value: word};
  if (FILLERS.has(word)) return 'filler';
  if (UNSUPPORTED.test(word)) return 'unsupported';
  const unit = UNITS[word];
  if (unit !== undefined) return {type: 'unit', value: unit, soft: SOFT_ZERO.has(word)};
  const teen = TEENS[word];
  if (teen !== undefined) return {type: 'digits', value: teen};
  const tens = TENS[word];
  if (tens !== undefined) return {type: 'tens', value: tens};
  const repeat = REPEATS[word];
  if (repeat !== undefined) return {type: 'repeat', times: repeat};
  // German compounds: "einundzwanzig" (21), "doppelnull" (00)
  const compound = /^([a-z]+)und([a-z]+)$/.exec(word);
  if (compound) {
    const u = GERMAN_COMPOUND_UNITS[compound[1] ?? ''];
    const t = TENS[compound[2] ?? ''];
    if (u !== undefined && t !== undefined) return {type: 'digits', value: t + u};
  }
  const doubled = /^(doppel|doppelt|double|triple)([a-z]+)$/.exec(word);
  if (doubled) {
    const u = UNITS[doubled[2] ?? ''];
    const times = REPEATS[doubled[1] ?? ''];
    if (u !== undefined && times !== undefined) return {type: 'digits', value: u.repeat(times)};
  }
  return {type: 'unknown'};
}

/**
 * The order number a caller gave, as its digits, or `undefined` when
 * nothing usable was said.
 *
 * Supported: digits in any grouping ("1001", "1 0 0 1", "10-01", "1.001",
 * full-width digits), single digits as words in English and German
 * ("one zero zero one", "eins null null eins", "zwo", "oh"), "double"/
 * "triple"/"doppel" before a digit ("double oh seven" → "007"), teens and
 * tens as digit groups ("ten oh one" → "1001", "zwölf vierunddreißig" →
 * "1234", "twenty one" → "21"), and the shop's prefix/suffix or words like
 * "order", "Bestellung", "Nr.", "#" around the number.
 *
 * Not supported (→ undefined): hundreds and thousands ("one thousand and
 * one"), an unknown word between digits ("10 or 11"), more than
 * {@link MAX_ORDER_KEY_DIGITS} digits. Unknown words before the first or
 * after the last digit are ignored (a foreign prefix like "AB-1001").
 *
 * Leading zeros are kept as said: Shopify order numbers have none, so
 * "0 1 0 0 1" simply finds nothing.
 */
export function normalizeOrderNumber(spoken: unknown, format: OrderNameFormat = DEFAULT_ORDER_NAME_FORMAT): string | undefined {
  let text: string;
  if (typeof spoken === 'number') {
    if (!Number.isSafeInteger(spoken) || spoken < 0) return undefined;
    text = String(spoken);
  } else if (typeof spoken === 'string') {
    text = spoken;
  } else {
    return undefined;
  }
  if (text.length > MAX_INPUT_LENGTH) return undefined;
  text = stripFormat(text.normalize('NFKC').trim(), format);
  const words = stripDiacritics(text.toLowerCase()).match(/\p{L}+|[0-9]+/gu) ?? [];

  const items: Item[] = [];
  for (const word of words) {
    const item = classify(word);
    if (item === 'unsupported') return undefined;
    if (item !== 'filler') items.push(item);
  }

  let digits = '';
  let unknownSinceDigit = false;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    let produced: string;
    switch (item.type) {
      case 'unknown':
        if (digits !== '') unknownSinceDigit = true;
        continue;
      case 'unit':
        if (item.soft && digits === '') continue;
        produced = item.value;
        break;
      case 'digits':
        produced = item.value;
        break;
      case 'tens': {
        // "twenty one" → 21, "twenty" → 20, "twenty zero five" → 2005
        const next = items[i + 1];
        if (next?.type === 'unit' && next.value !== '0') {
          produced = item.value + next.value;
          i++;
        } else {
          produced = `${item.value}0`;
        }
        break;
      }
      case 'repeat': {
        const next = items[i + 1];
        const single = next?.type === 'unit' || (next?.type === 'digits' && next.value.length === 1) ? next.value : undefined;
        if (single === undefined) return undefined;
        produced = single.repeat(item.times);
        i++;
        break;
      }
    }
    if (unknownSinceDigit) return undefined;
    digits += produced;
    if (digits.length > MAX_ORDER_KEY_DIGITS) return undefined;
  }
  return digits === '' ? undefined : digits;
}

/**
 * Whether a Shopify order's `name` is exactly the order `key` (digits from
 * {@link normalizeOrderNumber}). Shopify's `name:` search matches loosely,
 * so every candidate goes through this: "#1001" must not match 10010 or
 * 11001.
 *
 * A name matches when
 * 1. it is prefix + key + suffix in the shop's current format (prefix and
 *    suffix compared without regard to case), or
 * 2. its only digit group is the key (orders named under an earlier
 *    prefix/suffix, e.g. "#1001" after the shop switched to "ORD-"), or
 *    the key is all its digits together (the caller also said the digits of
 *    a prefix like "2024-").
 */
export function sameOrderName(orderName: string, key: string, format: OrderNameFormat = DEFAULT_ORDER_NAME_FORMAT): boolean {
  if (!/^[0-9]+$/.test(key)) return false;
  const name = orderName.normalize('NFKC').trim();
  if (isCurrentFormat(name, key, format)) return true;
  const groups = name.match(/[0-9]+/g) ?? [];
  if (groups.length === 0) return false;
  return groups.length === 1 ? groups[0] === key : groups.join('') === key;
}

/** Whether `orderName` is exactly prefix + key + suffix (rule 1 of {@link sameOrderName}). */
export function isCurrentFormat(orderName: string, key: string, format: OrderNameFormat): boolean {
  const {prefix, suffix} = format;
  const name = orderName.normalize('NFKC').trim();
  if (name.length !== prefix.length + key.length + suffix.length) return false;
  return (
    name.slice(0, prefix.length).toLowerCase() === prefix.toLowerCase() &&
    name.slice(prefix.length, prefix.length + key.length) === key &&
    name.slice(prefix.length + key.length).toLowerCase() === suffix.toLowerCase()
  );
}

/** The order's name as the shop would print it today: "#1001". */
export function formatOrderName(key: string, format: OrderNameFormat = DEFAULT_ORDER_NAME_FORMAT): string {
  return `${format.prefix}${key}${format.suffix}`;
}
