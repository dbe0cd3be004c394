/**
 * An e-mail address as Anna heard it → the address, or null when it is not
 * one beyond doubt. Callers spell addresses out: "maria dot steinhauser at
 * example dot at", "Maria Punkt Steinhauser ät example Punkt at",
 * "m a r i a underscore s at gmx dot net". Words are mapped to symbols and
 * the pieces joined without spaces; the result must be one plain address
 * (ASCII, one "@", a dotted domain), else we ask again rather than search
 * for something the caller did not say.
 */

/** Spoken symbols, English and German, lower case. */
const SYMBOL_WORDS: Readonly<Record<string, string>> = {
  dot: '.', period: '.', point: '.', punkt: '.',
  at: '@', 'ät': '@', 'æt': '@', klammeraffe: '@', '(at)': '@', '[at]': '@',
  underscore: '_', unterstrich: '_',
  dash: '-', hyphen: '-', minus: '-', bindestrich: '-', strich: '-',
  plus: '+',
};

const DOTS = new Set(['.', 'dot', 'period', 'point', 'punkt']);
const ADDRESS = /^[a-z0-9](?:[a-z0-9._%+-]*[a-z0-9_%+-])?@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/;

function symbolFor(word: string, previous: string | undefined): string | undefined {
  if (!Object.hasOwn(SYMBOL_WORDS, word)) return undefined;
  // "example dot at" is Austria's domain, not a second "@".
  if (SYMBOL_WORDS[word] === '@' && previous !== undefined && DOTS.has(previous)) return undefined;
  return SYMBOL_WORDS[word];
}

export function normalizeSpokenEmail(heard: unknown): string | null {
  if (typeof heard !== 'string' || heard.length > 320) return null;
  const words = heard
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[<>"',;:]/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
  const pieces = words.map((word, i) => symbolFor(word, words[i - 1]) ?? word);
  const address = pieces.join('').replace(/\.$/, ''); // "… dot com." at the end of a sentence
  if (address.length > 254 || address.includes('..') || address.split('@').length !== 2) return null;
  return ADDRESS.test(address) ? address : null;
}

