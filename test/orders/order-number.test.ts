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
    ['one thousand and one'], // cardinals are not guessed
    ['zwölfhundert'],
    ['tausendeins'],
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
