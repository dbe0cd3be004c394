import {describe, expect, it} from 'vitest';
import {normalizeSpokenEmail} from '../../src/orders/spoken-email.ts';

describe('normalizeSpokenEmail', () => {
  it.each([
    ['maria.steinhauser@example.at', 'maria.steinhauser@example.at'],
    ['Maria.Steinhauser@Example.AT', 'maria.steinhauser@example.at'],
    ['maria dot steinhauser at example dot at', 'maria.steinhauser@example.at'],
    ['Maria Punkt Steinhauser ät example Punkt at', 'maria.steinhauser@example.at'],
    ['maria punkt steinhauser klammeraffe example punkt at', 'maria.steinhauser@example.at'],
    ['m a r i a underscore s at gmx dot net', 'maria_s@gmx.net'],
    ['jo minus ann plus shop at mail dot example dot co dot uk', 'jo-ann+shop@mail.example.co.uk'],
    ['maria.steinhauser at example.at.', 'maria.steinhauser@example.at'],
    ['  maria@example.at  ', 'maria@example.at'],
    ['<maria@example.at>', 'maria@example.at'],
    ['mat at example dot at', 'mat@example.at'],
  ])('%j → %s', (heard, address) => {
    expect(normalizeSpokenEmail(heard)).toBe(address);
  });

  it.each([
    [undefined],
    [42],
    [''],
    ['maria'],
    ['maria at'],
    ['maria at example'],
    ['maria at example at example dot at'],
    ['maria..s@example.at'],
    ['.maria@example.at'],
    ['maria@example..at'],
    ['maria@-example.at'],
    ['märia@example.at'],
    ['maria@example.at OR email:*'],
    ['a'.repeat(300) + '@example.at'],
  ])('refuses %j: ask again rather than search for something the caller did not say', (heard) => {
    expect(normalizeSpokenEmail(heard)).toBeNull();
  });
});
