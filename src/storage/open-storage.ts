import {dirname, resolve} from 'node:path';
import type {Logger} from '../log.ts';
import {createCipher} from './cipher.ts';
import {parseKey, resolveEncryptionKey} from './encryption-key.ts';
import {SqliteStorage} from './sqlite-storage.ts';
import type {Storage} from './storage.ts';

/** "sqlite:./data/x.sqlite" / "file:x.sqlite" → the file path; ":memory:" stays as it is. */
export function sqlitePath(databaseUrl: string): string | undefined {
  const m = /^(?:sqlite|file):(?:\/\/)?(.+)$/.exec(databaseUrl);
  if (!m) return undefined;
  return m[1] === ':memory:' ? ':memory:' : resolve(m[1]!);
}

/** Chooses the storage from DATABASE_URL and unlocks it with the encryption key. */
export async function openStorage(options: {databaseUrl: string; encryptionKey?: string; log: Logger}): Promise<Storage> {
  const path = sqlitePath(options.databaseUrl);
  const configured = options.encryptionKey === undefined ? undefined : parseKey(options.encryptionKey);
  const keyFile = path && path !== ':memory:' ? resolve(dirname(path), 'encryption.key') : undefined;
  const key = resolveEncryptionKey({configured, keyFile, log: options.log});
  if (path) return new SqliteStorage(path, createCipher(key));
  throw new Error('PostgreSQL storage is not available in this build');
}
