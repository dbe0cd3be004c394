import {dirname, resolve} from 'node:path';
import type {Logger} from '../log.ts';
import type {NamedLocks} from './advisory-lock.ts';
import type {ChangeFeed} from './change-feed.ts';
import {createCipher} from './cipher.ts';
import {parseKey, resolveEncryptionKey} from './encryption-key.ts';
import {LocalChangeFeed} from './local-change-feed.ts';
import {openPostgresChangeFeed} from './postgres-change-feed.ts';
import {openPostgresStorage} from './postgres-storage.ts';
import {SqliteStorage} from './sqlite-storage.ts';
import type {Storage} from './storage.ts';

/** "sqlite:./data/x.sqlite" / "file:x.sqlite" → the file path; ":memory:" stays as it is. */
export function sqlitePath(databaseUrl: string): string | undefined {
  const m = /^(?:sqlite|file):(?:\/\/)?(.+)$/.exec(databaseUrl);
  if (!m) return undefined;
  return m[1] === ':memory:' ? ':memory:' : resolve(m[1]!);
}

export function isPostgresUrl(databaseUrl: string): boolean {
  return /^postgres(ql)?:\/\//.test(databaseUrl);
}

/**
 * Chooses the storage from DATABASE_URL and unlocks it with the encryption
 * key. PostgreSQL has no data folder to keep a generated key in, and every
 * instance must share one key, so there ENCRYPTION_KEY is required.
 */
export async function openStorage(options: {
  databaseUrl: string;
  encryptionKey?: string;
  log: Logger;
  /** PostgreSQL connections per instance (default 10). */
  poolSize?: number;
}): Promise<Storage & NamedLocks> {
  const path = sqlitePath(options.databaseUrl);
  const configured = options.encryptionKey === undefined ? undefined : parseKey(options.encryptionKey);
  const keyFile = path && path !== ':memory:' ? resolve(dirname(path), 'encryption.key') : undefined;
  const key = resolveEncryptionKey({configured, keyFile, log: options.log});
  if (path) return new SqliteStorage(path, createCipher(key));
  if (isPostgresUrl(options.databaseUrl)) {
    return openPostgresStorage({url: options.databaseUrl, cipher: createCipher(key), log: options.log, poolSize: options.poolSize});
  }
  throw new Error('DATABASE_URL must start with sqlite:, file: or postgres://');
}

/**
 * The change feed matching DATABASE_URL: LISTEN/NOTIFY across instances on
 * PostgreSQL, in-process on SQLite (one process owns the file). Open it once
 * per process and share it.
 */
export async function openChangeFeed(databaseUrl: string, log: Logger): Promise<ChangeFeed> {
  if (isPostgresUrl(databaseUrl)) return openPostgresChangeFeed({url: databaseUrl, log});
  return new LocalChangeFeed(log);
}
