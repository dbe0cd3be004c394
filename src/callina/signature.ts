import {createHmac, timingSafeEqual} from 'node:crypto';

export type SignatureCheck = {valid: true; secretIndex: number} | {valid: false; reason: 'missing' | 'malformed' | 'mismatch'};

/**
 * The header's digest as bytes. Callina's page does not pin the encoding,
 * so we accept "sha256=<hex>", bare hex and base64 (or base64url).
 */
function decodeDigest(header: string): Buffer | undefined {
  const value = header.trim().replace(/^sha256=/i, '');
  if (/^[0-9a-f]{64}$/i.test(value)) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) {
    const bytes = Buffer.from(value, 'base64');
    return bytes.length === 32 ? bytes : undefined;
  }
  return undefined;
}

/**
 * HMAC-SHA256 of the raw body bytes, keyed with each of the shop's
 * secrets (current, then previous during a rotation), compared in constant time.
 */
export function verifySignature(rawBody: Buffer, header: string | undefined, secrets: readonly string[]): SignatureCheck {
  if (!header) return {valid: false, reason: 'missing'};
  const received = decodeDigest(header);
  if (!received) return {valid: false, reason: 'malformed'};
  const index = secrets.findIndex((secret) => timingSafeEqual(createHmac('sha256', secret).update(rawBody).digest(), received));
  return index === -1 ? {valid: false, reason: 'mismatch'} : {valid: true, secretIndex: index};
}
