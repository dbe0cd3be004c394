import {createCipheriv, createDecipheriv, createHmac, createSecretKey, randomBytes} from 'node:crypto';

/**
 * AES-256-GCM for secrets at rest (Callina secrets, access and refresh
 * tokens). Stored form: "v1:" + base64url(iv | tag | ciphertext).
 * A value written with another key fails authentication: we throw, never
 * return garbage.
 */
export interface Cipher {
  encrypt(plain: string): string;
  decrypt(stored: string): string;
  /** Keyed hash for values we must find again but never read (callers' phones). */
  hash(value: string): string;
}

export class DecryptionError extends Error {
  constructor() {
    super('stored secret cannot be decrypted: ENCRYPTION_KEY differs from the key the data was written with');
    this.name = 'DecryptionError';
  }
}

const PREFIX = 'v1:';

export function createCipher(rawKey: Buffer): Cipher {
  if (rawKey.length !== 32) throw new Error('encryption key must be 32 bytes');
  // A KeyObject is imported once; a Buffer key would be imported on every call.
  const key = createSecretKey(rawKey);
  const hashKey = createSecretKey(createHmac('sha256', rawKey).update('callina/phone-hash').digest());
  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return PREFIX + Buffer.concat([iv, c.getAuthTag(), body]).toString('base64url');
    },
    decrypt(stored) {
      if (!stored.startsWith(PREFIX)) throw new DecryptionError();
      const raw = Buffer.from(stored.slice(PREFIX.length), 'base64url');
      try {
        const d = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
        d.setAuthTag(raw.subarray(12, 28));
        return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
      } catch {
        throw new DecryptionError();
      }
    },
    hash(value) {
      return createHmac('sha256', hashKey).update(value).digest('base64url');
    },
  };
}
