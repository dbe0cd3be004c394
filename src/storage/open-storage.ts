import {randomBytes} from 'node:crypto';
import {dirname, resolve} from 'node:path';
import type {Logger} from '../log.ts';
import type {NamedLocks} from './advisory-lock.ts';
import type {ChangeFeed} from './change-feed.ts';
import {createCipher, DecryptionError} from './cipher.ts';
import {EncryptionKeyError, keyFromFile, parseKey} from './encryption-key.ts';
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
 * A key that cannot open the data throws EncryptionKeyError, before
 * anything is written.
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
  if (options.encryptionKey !== undefined && !configured) throw new EncryptionKeyError('ENCRYPTION_KEY must be 32 bytes as 64 hex digits or base64');
  if (path) {
    if (configured) return withKeyCheck('ENCRYPTION_KEY', async () => new SqliteStorage(path, createCipher(configured)));
    // Without ENCRYPTION_KEY: the data folder's key file, read or created inside the database's opening transaction.
    const keyFile = path === ':memory:' ? undefined : resolve(dirname(path), 'encryption.key');
    const keys = (hasEncryptedData: boolean) => createCipher(keyFile ? keyFromFile(keyFile, hasEncryptedData, options.log) : randomBytes(32));
    return withKeyCheck(keyFile ?? 'the generated key', async () => new SqliteStorage(path, keys));
  }
  if (isPostgresUrl(options.databaseUrl)) {
    if (!configured) throw new EncryptionKeyError('ENCRYPTION_KEY is required with PostgreSQL: every instance must share one key');
    const storage = () => openPostgresStorage({url: options.databaseUrl, cipher: createCipher(configured), log: options.log, poolSize: options.poolSize});
    return withKeyCheck('ENCRYPTION_KEY', storage);
  }
  throw new Error('DATABASE_URL must start with sqlite:, file: or postgres://');
}

/** The key check failing at open becomes the operator's one line, naming the key that was tried. */
async function withKeyCheck<T>(keyName: string, open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (error) {
    if (!(error instanceof DecryptionError)) throw error;
    throw new EncryptionKeyError(`${keyName} differs from the key this database was encrypted with: use that key (nothing was changed)`);
  }
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
