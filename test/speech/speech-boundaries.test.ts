import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {expect, it} from 'vitest';

/** speech/ is pure: it may import only its own files and the OrderStatus types. */
const SPEECH_DIR = join(import.meta.dirname, '../../src/speech');
const ALLOWED = /^(\.\/[\w-]+\.ts|\.\.\/orders\/order-status\.ts)$/;

const files = readdirSync(SPEECH_DIR).filter((f) => f.endsWith('.ts'));

it('finds the speech files', () => {
  expect(files).toEqual(expect.arrayContaining(['render-order.ts', 'relative-date.ts', 'order-phrases.ts']));
});

it.each(files.map((f) => [f] as const))('%s imports only speech files and order-status', (file) => {
  const source = readFileSync(join(SPEECH_DIR, file), 'utf8');
  const specifiers = [...source.matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s+'([^']+)'/gm)].map((m) => m[1]);
  const bare = [...source.matchAll(/^\s*import\s+'([^']+)'/gm)].map((m) => m[1]);
  const dynamic = [...source.matchAll(/\bimport\(\s*'([^']+)'/g)].map((m) => m[1]);
  expect([...specifiers, ...bare, ...dynamic].filter((s) => !ALLOWED.test(s ?? ''))).toEqual([]);
});
