import {LRUCache} from 'lru-cache';
import type {ChangeFeed} from './change-feed.ts';
import type {ShopRecord, Storage} from './storage.ts';

/**
 * Shops by Callina hook id, read and decrypted once instead of on every
 * request — and dropped the moment they may have changed, so that a
 * rotated secret, a removed shop or a changed setting takes effect on
 * every instance at once:
 *
 * - SQLite: `storage.shopsVersion()` (`PRAGMA data_version`, which moves
 *   when another connection such as the CLI commits, plus this
 *   connection's own shop writes) is asked on every lookup, ~1 µs.
 * - PostgreSQL: every write to a shop notifies the change feed (a trigger,
 *   so the CLI and other instances included); a notification drops the
 *   cache, a feed reset too, and while the feed is not listening nothing
 *   is cached at all. This instance's own writes drop it at once
 *   (`shopsVersion()`), without waiting for their notification.
 *
 * A read that started before a change arrived is not stored (generation
 * count). Unknown hook ids are not cached: a miss always asks storage.
 */
export class ShopCache {
  readonly #storage: Storage;
  readonly #changes: ChangeFeed;
  readonly #shops = new LRUCache<string, ShopRecord>({max: 10_000});
  #generation = 0;
  #version: number | undefined;

  constructor(storage: Storage, changes: ChangeFeed) {
    this.#storage = storage;
    this.#changes = changes;
    changes.subscribe((change) => {
      if (change.kind !== 'order') this.clear();
    });
    changes.onReset(() => this.clear());
  }

  async byHookId(hookId: string): Promise<ShopRecord | undefined> {
    return this.cached(hookId) ?? this.fresh(hookId);
  }

  /** The cached shop if it is still current, without waiting for anything (the warm call's path). */
  cached(hookId: string): ShopRecord | undefined {
    let version: number | undefined;
    try {
      version = this.#storage.shopsVersion?.();
    } catch {
      // Storage cannot say whether shops changed (closed, failing): nothing cached is trusted, and the read reports the failure.
      this.clear();
      return undefined;
    }
    if (version !== this.#version) {
      this.clear();
      this.#version = version;
    }
    return this.#shops.get(hookId);
  }

  /** Straight from storage, replacing what is cached (e.g. a signature that fails against the cached secret). */
  async fresh(hookId: string): Promise<ShopRecord | undefined> {
    const generation = this.#generation;
    const shop = await this.#storage.getShopByHookId(hookId);
    if (shop && generation === this.#generation && this.#changes.listening !== false) this.#shops.set(hookId, Object.freeze(shop));
    return shop;
  }

  clear(): void {
    this.#generation++;
    this.#shops.clear();
  }
}
