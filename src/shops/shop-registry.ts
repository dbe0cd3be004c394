import {randomBytes} from 'node:crypto';
import type {NewShop, ShopRecord, Storage} from '../storage/storage.ts';

/** 144 random bits, base64url: the path segment of the shop's Callina URL. */
export function newHookId(): string {
  return randomBytes(18).toString('base64url');
}

/** 256 random bits, base64url: a Callina signing secret. */
export function newSigningSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function webhookUrl(appUrl: string, hookId: string): string {
  return `${appUrl}/callina/${hookId}`;
}

export function registerShop(storage: Storage, input: Omit<NewShop, 'hookId' | 'secret'> & {secret?: string}): Promise<ShopRecord> {
  return storage.createShop({...input, hookId: newHookId(), secret: input.secret ?? newSigningSecret()});
}

/** A new secret; the old one keeps working for graceMs so Callina can be updated without failed calls. */
export function rotateSigningSecret(storage: Storage, shop: string, graceMs: number, secret = newSigningSecret()) {
  return storage.rotateSecret(shop, secret, new Date(Date.now() + graceMs));
}
