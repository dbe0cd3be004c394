import {chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {dirname} from 'node:path';
import {randomBytes} from 'node:crypto';
import type {Logger} from '../log.ts';

/** 32 bytes, written as 64 hex digits or base64 / base64url. */
export function parseKey(text: string): Buffer | undefined {
  const t = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  return key.length === 32 ? key : undefined;
}

/**
 * The key for secrets at rest: ENCRYPTION_KEY when set; on the embedded
 * SQLite default a key generated once into the data folder (with a warning,
 * since it then lives beside the data it protects).
 */
export function resolveEncryptionKey(options: {configured: Buffer | undefined; keyFile: string | undefined; log: Logger}): Buffer {
  if (options.configured) return options.configured;
  const {keyFile, log} = options;
  if (!keyFile) throw new Error('ENCRYPTION_KEY is required with PostgreSQL: every instance must share one key');
  if (existsSync(keyFile)) {
    const key = parseKey(readFileSync(keyFile, 'utf8'));
    if (!key) throw new Error(`${keyFile} does not hold a 32-byte key`);
    log.warn({keyFile}, 'ENCRYPTION_KEY is not set: using the key file in the data folder; set ENCRYPTION_KEY in production');
    return key;
  }
  mkdirSync(dirname(keyFile), {recursive: true});
  const key = randomBytes(32);
  writeFileSync(keyFile, key.toString('hex') + '\n', {mode: 0o600, flag: 'wx'});
  chmodSync(keyFile, 0o600);
  log.warn({keyFile}, 'ENCRYPTION_KEY is not set: generated a key into the data folder; set ENCRYPTION_KEY in production');
  return key;
}
