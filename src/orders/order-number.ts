/**
 * Order numbers as a caller gives them ("ORD-12345", "#1001", "one zero
 * zero one", "eins null null eins", "one thousand and one", "tausendeins")
 * reduced to the one thing that identifies a Shopify order: its number, as
 * a string of digits (the key).
 *
 * A Shopify order's `name` is the shop's prefix + the order number + the
 * shop's suffix ("#1001", "EN1001", "1001-A"); prefix and suffix are shop-wide
 * settings, so the digits alone are the significant part. Letters a caller
 * says around the number are noise for the lookup, except the shop's own
 * prefix and suffix, whose digits ("A1-") must not become part of the number.
 *
 * Pure: no I/O, no imports. Leniency has a limit: anything that could turn
 * into the wrong number (an unknown word between digits, a number read as a
 * cardinal with more digits after it, "twelve hundred") gives `undefined`,
 * so Anna asks again instead of reading out a stranger's order.
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

const PLAIN_KEY = new RegExp(`^[0-9]{1,${MAX_ORDER_KEY_DIGITS}}$`);

/** Longer input is not an order number someone said. */
const MAX_INPUT_LENGTH = 200;

/** Word tables are Maps: a word like "constructor" must never find an `Object.prototype` member. */
const table = <V>(entries: Record<string, V>): ReadonlyMap<string, V> => new Map(Object.entries(entries));

const UNITS = table({
  // English
  zero: '0', oh: '0', o: '0', nought: '0', naught: '0', nil: '0',
  one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9',
  // German (diacritics already removed: fünf → funf)
  null: '0', eins: '1', zwei: '2', zwo: '2', drei: '3', vier: '4', funf: '5', fuenf: '5',
  sechs: '6', sieben: '7', acht: '8', neun: '9',
});

const TEENS = table({
  ten: '10', eleven: '11', twelve: '12', thirteen: '13', fourteen: '14', fifteen: '15',
  sixteen: '16', seventeen: '17', eighteen: '18', nineteen: '19',
  zehn: '10', elf: '11', zwolf: '12', zwoelf: '12', dreizehn: '13', vierzehn: '14', funfzehn: '15',
  fuenfzehn: '15', sechzehn: '16', siebzehn: '17', achtzehn: '18', neunzehn: '19',
});

/** Tens words, by their first digit. */
const TENS = table({
  twenty: '2', thirty: '3', forty: '4', fourty: '4', fifty: '5', sixty: '6', seventy: '7', eighty: '8', ninety: '9',
  zwanzig: '2', dreissig: '3', vierzig: '4', funfzig: '5', fuenfzig: '5', sechzig: '6',
  siebzig: '7', achtzig: '8', neunzig: '9',
});

/** Words that multiply what comes before them: "one thousand and one", "zweitausend". */
const MULTIPLIERS = table({hundred: 100, hundert: 100, thousand: 1000, tausend: 1000, million: 1_000_000, millionen: 1_000_000});

/** "double oh seven" → 007; "doppel null" → 00. */
const REPEATS = table({double: 2, triple: 3, doppel: 2, doppelt: 2, dreifach: 3});

/** The parts German writes as one word: "zweitausendvierundzwanzig" = zwei·tausend·vier·und·zwanzig. */
const GERMAN_NUMBER_PARTS = [
  ...['null', 'eins', 'ein', 'zwei', 'zwo', 'drei', 'vier', 'funf', 'fuenf', 'sechs', 'sieben', 'acht', 'neun'],
  ...['zehn', 'elf', 'zwolf', 'zwoelf', 'dreizehn', 'vierzehn', 'funfzehn', 'fuenfzehn', 'sechzehn', 'siebzehn', 'achtzehn', 'neunzehn'],
  ...['zwanzig', 'dreissig', 'vierzig', 'funfzig', 'fuenfzig', 'sechzig', 'siebzig', 'achtzig', 'neunzig'],
  ...['hundert', 'tausend', 'million', 'millionen', 'und'],
].sort((a, b) => b.length - a.length);

/** Number words we do not read: plurals ("thousands") and scales no order number reaches. */
const UNSUPPORTED = /^(hundreds|thousands|millions|billions?|milliarden?|billionen?)$|hundert|tausend|million/;

/** Words around an order number that carry nothing (lower case, without diacritics). */
const FILLERS = new Set([
  // the thing itself
  'order', 'orders', 'ord', 'number', 'num', 'no', 'nr', 'nummer', 'bestellung', 'bestellnummer', 'bestellnr',
  'auftrag', 'auftragsnummer', 'auftragsnr', 'ordernummer', 'id',
  // how "#" and "-" are said
  'hash', 'hashtag', 'pound', 'sharp', 'raute', 'dash', 'hyphen', 'minus', 'strich', 'bindestrich',
  // glue
  'is', 'its', 'it', 's', 'my', 'the', 'a', 'an', 'ist', 'lautet', 'mein', 'meine', 'die', 'der', 'das', 'eine',
  // hesitation
  'uh', 'uhm', 'um', 'umm', 'er', 'erm', 'ah', 'ahm', 'hm', 'hmm', 'eh', 'ehm', 'well', 'also', 'ok', 'okay', 'so',
]);

/** Words for zero that are also a hesitation ("oh, it's 1001") or the letter O: zero only once digits have started. */
const SOFT_ZERO = new Set(['oh', 'o']);

type Item =
  | {readonly type: 'digits'; readonly value: string}
  | {readonly type: 'unit'; readonly value: string; readonly soft: boolean}
  | {readonly type: 'teen'; readonly value: string}
  | {readonly type: 'tens'; readonly value: string}
  | {readonly type: 'multiplier'; readonly value: number}
  | {readonly type: 'repeat'; readonly times: number}
  /** "and"/"und": part of "one thousand and one" or "vierundzwanzig", never between two numbers. */
  | {readonly type: 'and'}
  /** German "ein": 1 in "eintausend" and "ein und zwanzig", an article elsewhere. */
  | {readonly type: 'ein'}
  | {readonly type: 'filler'}
  | {readonly type: 'word'};

/** One word as said, and what it means. */
interface Token {
  readonly text: string;
  readonly item: Item;
}

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

/** A German number word split into its parts, or undefined when it is not one. */
function splitGermanNumber(word: string): string[] | undefined {
  const failedAt = new Set<number>(); // positions already known not to split: linear, whatever the word
  const split = (at: number): string[] | undefined => {
    if (at === word.length) return [];
    if (failedAt.has(at)) return undefined;
    for (const part of GERMAN_NUMBER_PARTS) {
      if (!word.startsWith(part, at)) continue;
      const rest = split(at + part.length);
      if (rest) return [part, ...rest];
    }
    failedAt.add(at);
    return undefined;
  };
  return split(0);
}

function classifyWord(word: string): Item {
  if (/^[0-9]+$/.test(word)) return {type: 'digits', value: word};
  if (FILLERS.has(word)) return {type: 'filler'};
  const unit = UNITS.get(word);
  if (unit !== undefined) return {type: 'unit', value: unit, soft: SOFT_ZERO.has(word)};
  const teen = TEENS.get(word);
  if (teen !== undefined) return {type: 'teen', value: teen};
  const tens = TENS.get(word);
  if (tens !== undefined) return {type: 'tens', value: tens};
  const multiplier = MULTIPLIERS.get(word);
  if (multiplier !== undefined) return {type: 'multiplier', value: multiplier};
  const repeat = REPEATS.get(word);
  if (repeat !== undefined) return {type: 'repeat', times: repeat};
  if (word === 'and' || word === 'und') return {type: 'and'};
  if (word === 'ein') return {type: 'ein'};
  return {type: 'word'};
}

/**
 * The words of the input as tokens. Compounds are split into the words
 * they stand for ("vierundzwanzig", "doppelnull"); `undefined` for a
 * number word we do not read ("thousands", "zwölfhundertste").
 */
function tokenize(text: string): Token[] | undefined {
  const tokens: Token[] = [];
  for (const word of stripDiacritics(text.toLowerCase()).match(/\p{L}+|[0-9]+/gu) ?? []) {
    const item = classifyWord(word);
    if (item.type !== 'word') {
      tokens.push({text: word, item});
      continue;
    }
    const doubled = /^(doppelt|doppel|double|triple)([a-z]+)$/.exec(word);
    const parts = doubled && UNITS.has(doubled[2]!) ? [doubled[1]!, doubled[2]!] : splitGermanNumber(word);
    if (parts && parts.length > 1) {
      for (const part of parts) tokens.push({text: part, item: classifyWord(part)});
      continue;
    }
    if (UNSUPPORTED.test(word)) return undefined;
    tokens.push({text: word, item});
  }
  return tokens;
}

/** Whether a token says a number (a leading "oh" is a hesitation, not yet a zero). */
function isNumeric(item: Item): boolean {
  return ['digits', 'teen', 'tens', 'multiplier', 'repeat'].includes(item.type) || (item.type === 'unit' && !item.soft);
}

/** What a token can stand for when it spells a prefix or suffix: its letters, or the digit it names. */
function spellings(token: Token): string[] {
  const {text, item} = token;
  if (item.type === 'digits') return [text];
  if (item.type === 'unit') return item.soft ? [item.value, 'o', text] : [item.value, text];
  if (item.type === 'teen') return [item.value, text];
  if (item.type === 'tens') return [`${item.value}0`, text];
  return [text];
}

/** The letters and digits of a prefix or suffix as a caller would spell them: "A1-" → "a1". */
function spelledForm(part: string): string {
  return stripDiacritics(part.normalize('NFKC').toLowerCase()).replace(/[^\p{L}0-9]/gu, '');
}

/**
 * The tokens from `start` on spell `form` ("a", "one" for "a1"): the index
 * after them, and what is left of a digit group the form ends inside
 * ("A11001" under "A1-": the group "11001" leaves "1001").
 */
function spellsForward(tokens: readonly Token[], start: number, form: string): {end: number; rest?: string} | undefined {
  const match = (i: number, at: number): {end: number; rest?: string} | undefined => {
    if (at === form.length) return {end: i};
    const token = tokens[i];
    if (!token) return undefined;
    for (const s of spellings(token)) {
      if (form.startsWith(s, at)) {
        const found = match(i + 1, at + s.length);
        if (found) return found;
      }
    }
    const need = form.slice(at);
    if (token.item.type === 'digits' && /^[0-9]+$/.test(need) && token.text.length > need.length && token.text.startsWith(need)) {
      return {end: i + 1, rest: token.text.slice(need.length)};
    }
    return undefined;
  };
  return match(start, 0);
}

/** Mirror of {@link spellsForward}: tokens ending at `end` (exclusive) spell `form`. */
function spellsBackward(tokens: readonly Token[], end: number, form: string): {start: number; rest?: string} | undefined {
  const match = (i: number, upTo: number): {start: number; rest?: string} | undefined => {
    if (upTo === 0) return {start: i};
    const token = tokens[i - 1];
    if (!token) return undefined;
    for (const s of spellings(token)) {
      if (s.length <= upTo && form.slice(upTo - s.length, upTo) === s) {
        const found = match(i - 1, upTo - s.length);
        if (found) return found;
      }
    }
    const need = form.slice(0, upTo);
    if (token.item.type === 'digits' && /^[0-9]+$/.test(need) && token.text.length > need.length && token.text.endsWith(need)) {
      return {start: i - 1, rest: token.text.slice(0, token.text.length - need.length)};
    }
    return undefined;
  };
  return match(end, form.length);
}

const digitsToken = (value: string): Token => ({text: value, item: {type: 'digits', value}});

/**
 * Removes the shop's prefix when spelled ("O R D", "A one" for "A1-"),
 * `form` being its letters and digits. `undefined` when the words are
 * ambiguous: the prefix holds digits, was not said, and another prefix
 * stands right before the number ("B1-1001" must not become 11001, a
 * stranger's "A1-11001").
 */
function stripSpelledPrefix(tokens: Token[], form: string): Token[] | undefined {
  const first = tokens.findIndex((t) => isNumeric(t.item));
  const lastStart = first < 0 ? tokens.length - 1 : first;
  for (let start = 0; start <= lastStart; start++) {
    const match = spellsForward(tokens, start, form);
    if (match) return [...tokens.slice(0, start), ...(match.rest ? [digitsToken(match.rest)] : []), ...tokens.slice(match.end)];
  }
  if (/[0-9]/.test(form) && first > 0 && tokens[first - 1]!.item.type === 'word') return undefined;
  return tokens;
}

/** Removes the shop's suffix when spelled after the number ("D O" for "-DO", "B two" for "-B2"). */
function stripSpelledSuffix(tokens: Token[], form: string): Token[] {
  const last = tokens.findLastIndex((t) => isNumeric(t.item));
  for (let end = tokens.length; end > last && end > 0; end--) {
    const match = spellsBackward(tokens, end, form);
    if (match) return [...tokens.slice(0, match.start), ...(match.rest ? [digitsToken(match.rest)] : []), ...tokens.slice(end)];
  }
  return tokens;
}

/**
 * The shop's prefix and suffix removed where spelled. Only parts with a
 * letter: an all-digit prefix said aloud cannot be told apart from the
 * number (sameOrderName accepts its digits joined to the key).
 */
function stripSpelledFormat(tokens: Token[], format: OrderNameFormat): Token[] | undefined {
  const prefix = spelledForm(format.prefix);
  const suffix = spelledForm(format.suffix);
  const rest = /\p{L}/u.test(prefix) ? stripSpelledPrefix(tokens, prefix) : tokens;
  return rest && /\p{L}/u.test(suffix) ? stripSpelledSuffix(rest, suffix) : rest;
}

/**
 * The meaningful items: fillers dropped, "ein" resolved (1 before a
 * multiplier or "und zwanzig", an article elsewhere), and the words before
 * the first and after the last number word cut off. `undefined` when an
 * unknown word stands between number words ("10 or 11").
 */
function numberItems(tokens: readonly Token[]): Item[] | undefined {
  const items = tokens.map((t) => t.item).filter((item) => item.type !== 'filler');
  const resolved: Item[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (item.type !== 'ein') {
      resolved.push(item);
      continue;
    }
    const next = items[i + 1];
    if (next?.type === 'multiplier' || (next?.type === 'and' && items[i + 2]?.type === 'tens')) resolved.push({type: 'unit', value: '1', soft: false});
  }
  const first = resolved.findIndex(isNumeric);
  if (first < 0) return [];
  let last = resolved.findLastIndex((item) => item.type !== 'word' && item.type !== 'and');
  // "one thousand and": the number was not finished; a trailing "and" stays so the cardinal refuses it.
  if (resolved[last + 1]?.type === 'and') last += 1;
  const span = resolved.slice(first, last + 1);
  return span.some((item) => item.type === 'word') ? undefined : span;
}

/** Digits of a number said digit by digit or in groups ("ten oh one", "zwölf vierunddreißig"). */
function digitGroups(items: readonly Item[]): string | undefined {
  let digits = '';
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const next = items[i + 1];
    switch (item.type) {
      case 'digits':
      case 'teen':
        digits += item.value;
        break;
      case 'unit':
        if (next?.type === 'and' && items[i + 2]?.type === 'tens' && item.value !== '0') {
          // "vier und zwanzig": German says the unit first
          digits += (items[i + 2] as {value: string}).value + item.value;
          i += 2;
        } else {
          digits += item.value;
        }
        break;
      case 'tens':
        // "twenty one" → 21, "twenty" → 20, "twenty zero five" → 2005
        if (next?.type === 'unit' && next.value !== '0') {
          digits += item.value + next.value;
          i++;
        } else {
          digits += `${item.value}0`;
        }
        break;
      case 'repeat': {
        const single = next?.type === 'unit' || (next?.type === 'digits' && next.value.length === 1) ? next.value : undefined;
        if (single === undefined) return undefined;
        digits += single.repeat(item.times);
        i++;
        break;
      }
      case 'and':
        // between two numbers ("1001 and 1002"): which one?
        if (i === items.length - 1) break;
        return undefined;
      default:
        return undefined;
    }
    if (digits.length > MAX_ORDER_KEY_DIGITS) return undefined;
  }
  return digits === '' ? undefined : digits;
}

/**
 * A number read as a cardinal ("one thousand and one", "zweitausendvier-
 * undzwanzig", "2 thousand 24"), or undefined unless every item fits one
 * well-formed cardinal: scales in falling order, hundreds only of 1–9,
 * nothing left over.
 */
function cardinal(items: readonly Item[]): string | undefined {
  let i = 0;
  const peek = () => items[i];
  const plain = (item: Item | undefined, max: number): number | undefined => {
    if (item?.type === 'unit' && !item.soft && item.value !== '0') return Number(item.value);
    if (item?.type === 'digits' && /^[1-9][0-9]*$/.test(item.value) && Number(item.value) <= max) return Number(item.value);
    return undefined;
  };
  /** 1–99: "twenty four", "vier und zwanzig", "zwölf", "24". */
  const below100 = (): number | undefined => {
    const item = peek();
    if (item?.type === 'teen') return (i++, Number(item.value));
    if (item?.type === 'tens') {
      i++;
      const unit = peek()?.type === 'unit' ? plain(peek(), 9) : undefined;
      if (unit !== undefined) i++;
      return Number(item.value) * 10 + (unit ?? 0);
    }
    if (item?.type === 'digits') {
      const value = plain(item, 99);
      if (value !== undefined) i++;
      return value;
    }
    const unit = plain(item, 9);
    if (unit === undefined) return undefined;
    i++;
    if (peek()?.type === 'and' && items[i + 1]?.type === 'tens') {
      i += 2;
      return Number((items[i - 1] as {value: string}).value) * 10 + unit;
    }
    return unit;
  };
  /** 1–999: "one hundred and five", "dreihundertfünfundvierzig", "345". */
  const below1000 = (): number | undefined => {
    const item = peek();
    const next = items[i + 1];
    let hundreds: number | undefined;
    if (item?.type === 'multiplier' && item.value === 100) {
      hundreds = 1;
      i++;
    } else if (next?.type === 'multiplier' && next.value === 100) {
      hundreds = plain(item, 9);
      if (hundreds === undefined) return undefined;
      i += 2;
    } else if (item?.type === 'digits') {
      const value = plain(item, 999);
      if (value !== undefined) i++;
      return value;
    } else {
      return below100();
    }
    const and = peek()?.type === 'and';
    if (and) i++;
    const rest = below100();
    if (and && rest === undefined) return undefined;
    return hundreds * 100 + (rest ?? 0);
  };

  let total = 0;
  let lastScale = Infinity;
  while (i < items.length) {
    const part = below1000();
    const scale = peek();
    if (scale?.type === 'multiplier' && scale.value > 100) {
      if (scale.value >= lastScale) return undefined;
      i++;
      total += (part ?? 1) * scale.value;
      lastScale = scale.value;
      if (peek()?.type === 'and') {
        i++;
        if (i === items.length) return undefined;
      }
      continue;
    }
    if (part === undefined) return undefined;
    total += part;
    break;
  }
  if (i !== items.length) return undefined;
  const digits = String(total);
  return total > 0 && digits.length <= MAX_ORDER_KEY_DIGITS ? digits : undefined;
}

/**
 * The order number a caller gave, as its digits, or `undefined` when
 * nothing usable was said.
 *
 * Supported: digits in any grouping ("1001", "1 0 0 1", "10-01", "1.001",
 * "10 01", full-width digits), single digits as words in English and German
 * ("one zero zero one", "eins null null eins", "zwo", "oh"), "double"/
 * "triple"/"doppel" before a digit ("double oh seven" → "007"), teens and
 * tens as digit groups ("ten oh one" → "1001", "zwölf vierunddreißig" →
 * "1234", "twenty one" → "21"), the number read as a cardinal ("one
 * thousand and one", "tausendeins", "zweitausendvierundzwanzig"), and the
 * shop's prefix/suffix (written or spelled: "O R D", "A one" for "A1-") or
 * words like "order", "Bestellung", "Nr.", "#", "dash" around the number.
 *
 * Not supported (→ undefined): a cardinal with anything else numeric beside
 * it ("one thousand one two"), hundreds of more than nine ("twelve
 * hundred"), an unknown word or "and" between numbers ("10 or 11", "1001 and
 * 1002"), more than {@link MAX_ORDER_KEY_DIGITS} digits. Unknown words before
 * the first or after the last digit are ignored (a foreign prefix like
 * "AB-1001"), unless the shop's prefix holds digits (then "B1-1001" is
 * refused: its "1" could be read into the number).
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
  // What Anna sends most: the digits alone ("12345"). Unless the shop's format holds digits, they are the key as they stand.
  if (PLAIN_KEY.test(text) && !/[0-9]/.test(format.prefix + format.suffix)) return text;
  const tokens = tokenize(stripFormat(text.normalize('NFKC').trim(), format));
  const stripped = tokens && stripSpelledFormat(tokens, format);
  const items = stripped && numberItems(stripped);
  if (!items || items.length === 0) return undefined;
  return items.some((item) => item.type === 'multiplier') ? cardinal(items) : digitGroups(items);
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
