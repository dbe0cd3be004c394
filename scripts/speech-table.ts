/**
 * Writes docs/speech.md: every sentence Anna can say, per situation and
 * locale (src/speech/speech-catalogue.ts). `npm run speech-table`; the test
 * test/speech/speech-table.test.ts fails when the file is stale.
 */
import {writeFileSync} from 'node:fs';
import {speechTable} from '../src/speech/speech-catalogue.ts';

const file = new URL('../docs/speech.md', import.meta.url);
writeFileSync(file, speechTable());
console.log(`wrote ${file.pathname}`);
