import {randomBytes} from 'node:crypto';
import {chmodSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync} from 'node:fs';
import {dirname} from 'node:path';
import type {Logger} from '../log.ts';

/**
 * The key cannot open this database: the operator must fix the environment
 * or the data folder. Its message is one line meant for them (exit 78);
 * nothing has been written when it is thrown.
 */
export class EncryptionKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EncryptionKeyError';
  }
}

/** 32 bytes, written as 64 hex digits or base64 / base64url. */
export function parseKey(text: string): Buffer | undefined {
  const t = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  return key.length === 32 ? key : undefined;
}

/**
 * On the embedded SQLite default without ENCRYPTION_KEY: the key in the
 * data folder, generated on first start (with a warning, since it then
 * lives beside the data it protects). Never generated for a database that
 * already holds data encrypted with some key: a new key could only be wrong.
 */
export function keyFromFile(keyFile: string, hasEncryptedData: boolean, log: Logger): Buffer {
  const existing = readKeyFile(keyFile);
  if (existing) {
    log.warn({keyFile}, 'ENCRYPTION_KEY is not set: using the key file in the data folder; set ENCRYPTION_KEY in production');
    return existing;
  }
  if (hasEncryptedData) {
    throw new EncryptionKeyError(
      `ENCRYPTION_KEY is not set and ${keyFile} does not exist, but the database holds data encrypted with a key: set ENCRYPTION_KEY to that key (no new key was generated)`,
    );
  }
  const key = createKeyFile(keyFile);
  log.warn({keyFile}, 'ENCRYPTION_KEY is not set: generated a key into the data folder; set ENCRYPTION_KEY in production');
  return key;
}

function readKeyFile(keyFile: string): Buffer | undefined {
  let text: string;
  try {
    text = readFileSync(keyFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const key = parseKey(text);
  if (!key) throw new EncryptionKeyError(`${keyFile} does not hold a 32-byte key: restore it, or set ENCRYPTION_KEY to the key the data was written with`);
  return key;
}

/**
 * Writes a new key where no reader can see it half-written, then links it
 * into place: the link fails if another process got there first, and then
 * that process's key is the one everybody uses.
 */
function createKeyFile(keyFile: string): Buffer {
  mkdirSync(dirname(keyFile), {recursive: true});
  const draft = `${keyFile}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const key = randomBytes(32);
  writeFileSync(draft, key.toString('hex') + '\n', {mode: 0o600, flag: 'wx'});
  chmodSync(draft, 0o600);
  try {
    linkSync(draft, keyFile);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readKeyFile(keyFile)!;
  } finally {
    unlinkSync(draft);
  }
}
