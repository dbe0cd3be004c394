import type {Logger} from '../log.ts';
import {changeSchema, Listeners, type Change, type ChangeFeed} from './change-feed.ts';

/**
 * The change feed for one process (SQLite): publish calls the listeners
 * directly. Nothing sits between publisher and listeners, so nothing can be
 * lost and reset never fires.
 */
export class LocalChangeFeed implements ChangeFeed {
  readonly #changes: Listeners<Change>;
  readonly #resets: Listeners<void>;

  constructor(log?: Logger) {
    this.#changes = new Listeners(log);
    this.#resets = new Listeners(log);
  }

  async publish(change: Change): Promise<void> {
    // Same check as PostgreSQL, so a bad change fails on SQLite too rather than only in production.
    this.#changes.emit(changeSchema.parse(change));
  }

  subscribe(listener: (change: Change) => void): () => void {
    return this.#changes.add(listener);
  }

  onReset(listener: () => void): () => void {
    return this.#resets.add(listener);
  }

  async close(): Promise<void> {
    this.#changes.clear();
    this.#resets.clear();
  }
}
