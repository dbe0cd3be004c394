import {z} from 'zod';
import type {Logger} from '../log.ts';

/**
 * What one instance tells the others so they evict cached data: an order
 * changed (Shopify webhook), a customer's orders changed, or a shop changed
 * (settings, secret rotated, uninstalled), or a shop's stored record was
 * written. Small on purpose: a NOTIFY payload is capped at 8000 bytes.
 */
export const changeSchema = z.discriminatedUnion('kind', [
  z.object({kind: z.literal('order'), shop: z.string().min(1).max(255), orderKey: z.string().min(1).max(255)}),
  z.object({kind: z.literal('shop'), shop: z.string().min(1).max(255)}),
  // A customer's orders changed: answers found by caller ID or e-mail carrying these tags (keyed hashes, no phone or e-mail).
  z.object({kind: z.literal('callers'), shop: z.string().min(1).max(255), tags: z.array(z.string().min(1).max(400)).min(1).max(4)}),
  // A shop's row was written (PostgreSQL trigger): cached shop records go, cached orders stay.
  z.object({kind: z.literal('shop_record'), shop: z.string().min(1).max(255)}),
]);
export type Change = z.infer<typeof changeSchema>;

export interface ChangeFeed {
  /** Tells every instance, this one included (evictions are idempotent). */
  publish(change: Change): Promise<void>;
  /** Returns the unsubscribe function. */
  subscribe(listener: (change: Change) => void): () => void;
  /**
   * Changes may have been missed (the feed's connection was lost): drop
   * every cache. Called when the loss is noticed and again once listening
   * resumes, since anything cached in between may have missed a change too.
   */
  onReset(listener: () => void): () => void;
  close(): Promise<void>;
  /** False while changes cannot arrive (the listening connection is being re-established). Default true. */
  readonly listening?: boolean;
}

/** A set of listeners where one that throws is logged and does not stop the others. */
export class Listeners<T> {
  readonly #set = new Set<(value: T) => void>();
  readonly #log: Logger | undefined;

  constructor(log?: Logger) {
    this.#log = log;
  }

  add(listener: (value: T) => void): () => void {
    // Wrapped, so the same function subscribed twice is two subscriptions.
    const entry = (value: T) => listener(value);
    this.#set.add(entry);
    return () => void this.#set.delete(entry);
  }

  emit(value: T): void {
    for (const listener of [...this.#set]) {
      try {
        listener(value);
      } catch (error) {
        this.#log?.error({err: error}, 'change feed listener failed');
      }
    }
  }

  clear(): void {
    this.#set.clear();
  }
}
