import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import {
  DEFAULT_ORDER_NAME_FORMAT,
  formatOrderName,
  isCurrentFormat,
  MAX_ORDER_KEY_DIGITS,
  normalizeOrderNumber,
  sameOrderName,
} from '../../src/orders/order-number.ts';

describe('normalizeOrderNumber', () => {
  test.each([
    // typed or transcribed with digits
    ['ORD-12345', '12345'],
    ['ord 12345', '12345'],
    ['#1001', '1001'],
    ['1001', '1001'],
    ['  1001  ', '1001'],
    ['1 0 0 1', '1001'],
    ['10-01', '1001'],
    ['1.001', '1001'],
    ['１００１', '1001'], // full-width digits
    ['Order #1001', '1001'],
    ['order number 1001', '1001'],
    ['Bestellung Nr. 1001', '1001'],
    ['Bestellnummer: 1001', '1001'],
    ['my order is 1001', '1001'],
    ['AB-1001', '1001'], // a prefix that is not the shop's: ignored at the edge
    ['1001-A', '1001'],
    ['EN1001', '1001'],
    // spoken digit by digit
    ['one zero zero one', '1001'],
    ['One, zero, zero, one.', '1001'],
    ['one oh oh one', '1001'],
    ['eins null null eins', '1001'],
    ['zwo null null zwo', '2002'],
    ['Eins Zwo Drei Vier Fünf', '12345'],
    ['fuenf sechs sieben acht neun', '56789'],
    ['one zero, uh, zero one', '1001'],
    ['äh eins null ähm null eins', '1001'],
    ['oh, it is one zero zero one', '1001'], // a leading "oh" is a hesitation
    ['ORD one two three four five', '12345'],
    ['hash one zero zero one', '1001'],
    ['Raute eins null null eins', '1001'],
    // repeats
    ['double oh seven', '007'],
    ['one double zero one', '1001'],
    ['triple three', '333'],
    ['eins doppel null eins', '1001'],
    ['eins doppelnull eins', '1001'],
    // teens and tens as digit groups
    ['ten oh one', '1001'],
    ['twelve thirty four', '1234'],
    ['twenty one', '21'],
    ['twenty-one', '21'],
    ['twenty zero five', '2005'],
    ['zwölf', '12'],
    ['zwoelf vierunddreißig', '1234'],
    ['einundzwanzig', '21'],
    ['zehn null eins', '1001'],
    // mixed
    ['1 0 zero 1', '1001'],
    [1001, '1001'],
  ])('%j → %s', (spoken, key) => {
    expect(normalizeOrderNumber(spoken)).toBe(key);
  });

  test.each([
    [''],
    ['   '],
    ['#'],
    ['order'],
    ["I don't know"],
    ['zwölfhundert'], // "twelve hundred": not how a number is read out, and 12 × 100 is no safe guess
    ['1001 or 1002'], // an unknown word between digits
    ['10 oder 11'],
    ['double'],
    ['double twelve'],
    ['1'.repeat(MAX_ORDER_KEY_DIGITS + 1)],
    ['x'.repeat(500)],
    [null],
    [undefined],
    [{order: 1001}],
    [-5],
    [10.5],
  ])('%j → undefined', (spoken) => {
    expect(normalizeOrderNumber(spoken)).toBeUndefined();
  });

  test('strips the shop prefix and suffix when written out', () => {
    const format = {prefix: 'ORD-', suffix: '-X'};
    expect(normalizeOrderNumber('ORD-12345-X', format)).toBe('12345');
    expect(normalizeOrderNumber('ord-12345-x', format)).toBe('12345');
    expect(normalizeOrderNumber('12345', format)).toBe('12345');
  });

  test('strips a prefix that contains digits only when written out exactly', () => {
    const format = {prefix: '2024-', suffix: ''};
    expect(normalizeOrderNumber('2024-1001', format)).toBe('1001');
    // spoken without the dash, the prefix digits cannot be told apart: kept
    expect(normalizeOrderNumber('2024 1001', format)).toBe('20241001');
  });

  test('never strips an all-digit prefix from the number itself', () => {
    expect(normalizeOrderNumber('1001', {prefix: '10', suffix: ''})).toBe('1001');
    expect(normalizeOrderNumber('1001', {prefix: '', suffix: '01'})).toBe('1001');
  });

  test('any digits typed with separators come back as exactly those digits', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[0-9]{1,4}$/), {minLength: 1, maxLength: 3}), fc.constantFrom(' ', '-', '.', ' - '), (groups, sep) => {
        const digits = groups.join('');
        fc.pre(digits.length <= MAX_ORDER_KEY_DIGITS);
        expect(normalizeOrderNumber(`#${groups.join(sep)}`)).toBe(digits);
      }),
    );
  });

  test('digits alone (the fast path) read exactly as the same digits with spaces around them (the full reading)', () => {
    const formats = fc.record({prefix: fc.constantFrom('#', '', 'ORD-', 'A-'), suffix: fc.constantFrom('', '-DE', 'X')});
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{1,20}$/), formats, (digits, format) => {
        expect(normalizeOrderNumber(digits, format)).toBe(normalizeOrderNumber(` ${digits} `, format));
      }),
    );
  });

  test('is total: never throws, returns digits or undefined', () => {
    fc.assert(
      fc.property(fc.string({maxLength: 80}), (text) => {
        const key = normalizeOrderNumber(text);
        expect(key === undefined || /^[0-9]{1,15}$/.test(key)).toBe(true);
      }),
    );
  });
});

describe('sameOrderName', () => {
  test.each([
    ['#1001', '1001', DEFAULT_ORDER_NAME_FORMAT, true],
    ['#10010', '1001', DEFAULT_ORDER_NAME_FORMAT, false],
    ['#11001', '1001', DEFAULT_ORDER_NAME_FORMAT, false],
    ['#100', '1001', DEFAULT_ORDER_NAME_FORMAT, false],
    ['#1001', '10010', DEFAULT_ORDER_NAME_FORMAT, false],
    ['#1001', '01001', DEFAULT_ORDER_NAME_FORMAT, false],
    ['ORD-12345', '12345', {prefix: 'ORD-', suffix: ''}, true],
    ['ord-12345', '12345', {prefix: 'ORD-', suffix: ''}, true],
    ['ORD-123456', '12345', {prefix: 'ORD-', suffix: ''}, false],
    ['1001-A', '1001', {prefix: '', suffix: '-A'}, true],
    ['1001-A', '1001', DEFAULT_ORDER_NAME_FORMAT, true], // an earlier suffix
    ['#1001', '1001', {prefix: 'ORD-', suffix: ''}, true], // named before the shop switched to "ORD-"
    ['2024-1001', '1001', {prefix: '2024-', suffix: ''}, true],
    ['2024-1001', '20241001', {prefix: '2024-', suffix: ''}, true],
    ['2024-1001', '2024', {prefix: '2024-', suffix: ''}, false],
    ['2024-10010', '1001', {prefix: '2024-', suffix: ''}, false],
    ['test', '1001', DEFAULT_ORDER_NAME_FORMAT, false],
    ['#1001', '', DEFAULT_ORDER_NAME_FORMAT, false],
    ['#1001', '#1001', DEFAULT_ORDER_NAME_FORMAT, false], // keys are digits
  ])('%s vs key %s (%j) → %s', (name, key, format, expected) => {
    expect(sameOrderName(name, key, format)).toBe(expected);
  });

  test('a name never matches a key that is a different number', () => {
    fc.assert(
      fc.property(fc.integer({min: 1, max: 10_000_000}), fc.integer({min: 1, max: 10_000_000}), (a, b) => {
        fc.pre(a !== b);
        expect(sameOrderName(`#${a}`, String(b))).toBe(false);
      }),
    );
  });

  test('a name built from the format matches its key', () => {
    fc.assert(
      fc.property(fc.integer({min: 1, max: 10_000_000}), fc.constantFrom('#', 'ORD-', 'EN', '', 'No.'), fc.constantFrom('', '-A', '/DE'), (n, prefix, suffix) => {
        const format = {prefix, suffix};
        const name = formatOrderName(String(n), format);
        expect(isCurrentFormat(name, String(n), format)).toBe(true);
        expect(sameOrderName(name, String(n), format)).toBe(true);
        expect(sameOrderName(name, `${n}0`, format)).toBe(false);
      }),
    );
  });

  test('the key from what was said finds the order name (end to end)', () => {
    const format = {prefix: 'ORD-', suffix: ''};
    const key = normalizeOrderNumber('O R D one two three four five', format);
    expect(key).toBe('12345');
    expect(sameOrderName('ORD-12345', key!, format)).toBe(true);
    expect(sameOrderName('ORD-123450', key!, format)).toBe(false);
  });
});

describe('what a caller repeats after hearing the number', () => {
  test.each([
    // read as a number, as a voice reads "1001"
    ['one thousand and one', '1001'],
    ['One thousand one', '1001'],
    ['a thousand and one', '1001'],
    ['tausendeins', '1001'],
    ['Tausend und eins', '1001'],
    ['tausendundeins', '1001'],
    ['eintausendeins', '1001'],
    ['ein tausend eins', '1001'],
    ['zweitausendvierundzwanzig', '2024'],
    ['zwei tausend vier und zwanzig', '2024'],
    ['two thousand twenty four', '2024'],
    ['two thousand and twenty-four', '2024'],
    ['2 thousand 24', '2024'],
    ['twelve thousand three hundred forty-five', '12345'],
    ['zwölftausenddreihundertfünfundvierzig', '12345'],
    ['one hundred twenty three thousand four hundred and fifty six', '123456'],
    ['einhundertdreiundzwanzigtausendvierhundertsechsundfünfzig', '123456'],
    ['hunderteins', '101'],
    ['one million two thousand and one', '1002001'],
    ['Bestellung tausendeins', '1001'],
    ['order number one thousand and one, please', '1001'],
    // read digit by digit, and the pauses a caller makes
    ['10 01', '1001'],
    ['100 1', '1001'],
    ['ten dash oh one', '1001'],
    ['zehn Strich null eins', '1001'],
    ['vier und zwanzig', '24'],
    ['ein und zwanzig', '21'],
  ])('%j → %s', (spoken, key) => {
    expect(normalizeOrderNumber(spoken)).toBe(key);
  });

  test.each([
    // a cardinal mixed with more digits, or out of order: which number was meant?
    ['one thousand one two'],
    ['tausend zwei drei'],
    ['1001 thousand'],
    ['one thousand thousand'],
    ['one thousand and'], // trailed off: not 1000
    ['twelve hundred'],
    ['neunzehnhundertneunzig'],
    ['one thousand oh one'],
    ['tausend null'],
    ['zwei und zwei'],
    ['double thousand'],
    ['thousands'],
    ['one billion'],
    ['tausendste'],
    ['1001 and 1002'], // two numbers
    ['1001 und 1002'],
    ['twenty and 1002'],
  ])('%j → undefined', (spoken) => {
    expect(normalizeOrderNumber(spoken)).toBeUndefined();
  });

  test('any number up to a million, read in English or German words, comes back as its digits', () => {
    fc.assert(
      fc.property(fc.integer({min: 1, max: 999_999}), fc.boolean(), (n, long) => {
        expect(normalizeOrderNumber(inEnglish(n, long))).toBe(String(n));
        expect(normalizeOrderNumber(inGerman(n, long))).toBe(String(n));
      }),
    );
  });
});

describe('the shop\'s prefix and suffix, spelled', () => {
  test.each([
    ['O R D one two three four five', {prefix: 'ORD-', suffix: ''}, '12345'],
    ['A one one zero zero one', {prefix: 'A1-', suffix: ''}, '1001'],
    ['A1 1001', {prefix: 'A1-', suffix: ''}, '1001'],
    ['a 1 1001', {prefix: 'A1-', suffix: ''}, '1001'],
    ['A11001', {prefix: 'A1-', suffix: ''}, '1001'],
    ['my order is A one, dash, one zero zero one', {prefix: 'A1-', suffix: ''}, '1001'],
    ['A1-1001', {prefix: 'A1-', suffix: ''}, '1001'],
    ['1001', {prefix: 'A1-', suffix: ''}, '1001'],
    ['one zero zero one D O', {prefix: '#', suffix: '-DO'}, '1001'],
    ['1001 B 2', {prefix: '', suffix: '-B2'}, '1001'],
    ['N O 1 one zero zero one', {prefix: 'NO1-', suffix: ''}, '1001'],
  ])('%j under %j → %s', (spoken, format, key) => {
    expect(normalizeOrderNumber(spoken, format)).toBe(key);
  });

  test.each([
    // another prefix right before the digits, where the shop's prefix holds digits: "B1-1001" is not "A1-11001"
    ['B1-1001', {prefix: 'A1-', suffix: ''}],
    ['B one one zero zero one', {prefix: 'A1-', suffix: ''}],
    // a suffix that holds digits, said only in part
    ['1001 C 2', {prefix: '', suffix: '-B2'}],
    // only the prefix
    ['A one', {prefix: 'A1-', suffix: ''}],
  ])('%j under %j → undefined', (spoken, format) => {
    expect(normalizeOrderNumber(spoken, format)).toBeUndefined();
  });

  test('the prefix spelled letter by letter and digit by digit, then the number, gives the number', () => {
    const digitWords = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
    const spell = (text: string) => [...text].filter((c) => /[A-Za-z0-9]/.test(c)).map((c) => (/[0-9]/.test(c) ? digitWords[Number(c)] : c)).join(' ');
    fc.assert(
      fc.property(fc.integer({min: 1001, max: 999_999}), fc.constantFrom('A1-', 'ORD-', 'EN', 'B2B-', 'X9Y', 'NO1-'), (n, prefix) => {
        expect(normalizeOrderNumber(`${spell(prefix)} ${spell(String(n))}`, {prefix, suffix: ''})).toBe(String(n));
        expect(normalizeOrderNumber(`${prefix}${n}`, {prefix, suffix: ''})).toBe(String(n));
      }),
    );
  });

  test('without the shop\'s format, spelled letters stay noise and a suffix said in letters is refused', () => {
    expect(normalizeOrderNumber('O R D one two three four five')).toBe('12345');
    expect(normalizeOrderNumber('one zero zero one D O')).toBeUndefined();
  });
});

describe('word tables are looked up by their own words only', () => {
  const members = Object.getOwnPropertyNames(Object.prototype).map((name) => name.toLowerCase().replace(/[^a-z]/g, ''));

  test.each(members)('%s is an unknown word, never a digit', (word) => {
    expect(normalizeOrderNumber(`${word} 1001`)).toBe('1001');
    expect(normalizeOrderNumber(`1001 ${word}`)).toBe('1001');
    expect(normalizeOrderNumber(`double ${word}`)).toBeUndefined();
    expect(normalizeOrderNumber(`double${word} 1001`)).toBe('1001');
    expect(normalizeOrderNumber(`twenty ${word}`)).toBe('20');
    expect(normalizeOrderNumber(`${word}undzwanzig 1001`)).toBe('1001');
  });

  test('"constructor 1001" is order 1001', () => {
    expect(normalizeOrderNumber('constructor 1001')).toBe('1001');
  });
});

// Numbers in words, written independently of the code under test.
const EN_SMALL = ['', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const EN_TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const DE_SMALL = ['', 'eins', 'zwei', 'drei', 'vier', 'fünf', 'sechs', 'sieben', 'acht', 'neun', 'zehn', 'elf', 'zwölf', 'dreizehn', 'vierzehn', 'fünfzehn', 'sechzehn', 'siebzehn', 'achtzehn', 'neunzehn'];
const DE_TENS = ['', '', 'zwanzig', 'dreißig', 'vierzig', 'fünfzig', 'sechzig', 'siebzig', 'achtzig', 'neunzig'];

function inEnglish(n: number, withAnd: boolean): string {
  const below100 = (m: number) => (m < 20 ? EN_SMALL[m]! : `${EN_TENS[Math.floor(m / 10)]}${m % 10 ? `-${EN_SMALL[m % 10]}` : ''}`);
  const below1000 = (m: number) => {
    const [h, r] = [Math.floor(m / 100), m % 100];
    const hundreds = h ? `${EN_SMALL[h]} hundred` : '';
    return [hundreds, h && r && withAnd ? 'and' : '', r ? below100(r) : ''].filter(Boolean).join(' ');
  };
  const [t, r] = [Math.floor(n / 1000), n % 1000];
  if (!t) return below1000(r);
  return [`${below1000(t)} thousand`, r && r < 100 ? 'and' : '', r ? below1000(r) : ''].filter(Boolean).join(' ');
}

function inGerman(n: number, withEin: boolean): string {
  const below100 = (m: number, last: boolean) => {
    if (m === 1) return last ? 'eins' : 'ein';
    if (m < 20) return DE_SMALL[m]!;
    const u = m % 10;
    return `${u ? `${u === 1 ? 'ein' : DE_SMALL[u]}und` : ''}${DE_TENS[Math.floor(m / 10)]}`;
  };
  const below1000 = (m: number, last: boolean) => {
    const [h, r] = [Math.floor(m / 100), m % 100];
    const hundreds = h === 0 ? '' : `${h === 1 ? (withEin ? 'ein' : '') : DE_SMALL[h]}hundert`;
    return hundreds + (r ? below100(r, last) : '');
  };
  const [t, r] = [Math.floor(n / 1000), n % 1000];
  const thousands = t === 0 ? '' : `${t === 1 ? (withEin ? 'ein' : '') : below1000(t, false)}tausend`;
  return thousands + (r ? below1000(r, true) : '');
}
