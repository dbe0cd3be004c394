import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {canonicalPhone} from '../src/caller-phone.ts';
import {maskPhone} from '../src/log.ts';

describe('canonicalPhone', () => {
  it('writes every way of dialling a number one way', () => {
    expect(canonicalPhone('+43 660 123456789')).toBe('+43660123456789');
    expect(canonicalPhone('0043 660 123456789')).toBe('+43660123456789');
    expect(canonicalPhone('+43660123456789')).toBe('+43660123456789');
    expect(canonicalPhone('＋４３６６０')).toBe('+43660'); // full-width, as some keyboards type it
    expect(canonicalPhone('0662 275124')).toBe('+0662275124'); // no country: kept as dialled
    for (const none of ['', '+', 'anonymous', null, undefined]) expect(canonicalPhone(none)).toBeUndefined();
  });

  it('a number already canonical (the fast path) comes out as the full reading makes it', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\+[0-9]{1,20}$/), (phone) => {
        expect(canonicalPhone(phone)).toBe(phone);
        expect(canonicalPhone(phone)).toBe(canonicalPhone(` ${phone.slice(0, 3)} ${phone.slice(3)} `));
      }),
    );
  });

  it('masks all but the country code and the last two digits for logs', () => {
    expect(maskPhone('+43660123456789')).toBe('+43**********89');
    expect(maskPhone('0043 660 123456789')).toBe('+43**********89');
    expect(maskPhone(undefined)).toBeUndefined();
  });
});
