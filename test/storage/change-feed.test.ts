import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import type {Change, ChangeFeed} from '../../src/storage/change-feed.ts';
import {LocalChangeFeed} from '../../src/storage/local-change-feed.ts';
import {openChangeFeed} from '../../src/storage/open-storage.ts';
import {CHANGE_CHANNEL, openPostgresChangeFeed} from '../../src/storage/postgres-change-feed.ts';
import {captureLogger} from '../helpers/test-app.ts';
import {createTestDatabase, sql, TEST_DATABASE_URL} from '../helpers/postgres.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

/** Collects what a feed delivers, and waits for the next delivery with a deadline. */
function record(feed: ChangeFeed) {
  const changes: Change[] = [];
  let resets = 0;
  feed.subscribe((c) => changes.push(c));
  feed.onReset(() => resets++);
  const until = async (done: () => boolean, withinMs: number) => {
    const deadline = Date.now() + withinMs;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`not within ${withinMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  return {changes, resets: () => resets, until};
}

const countListeners = async (applicationName: string) =>
  (await sql<{n: number}>(db.url, `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()`, [applicationName]))[0]!.n;

describe('PostgreSQL change feed', () => {
  const feeds: ChangeFeed[] = [];
  const open = async (applicationName: string) => {
    const {log, lines} = captureLogger();
    const feed = await openPostgresChangeFeed({url: db.url, log, applicationName, retryMinMs: 20, retryMaxMs: 200});
    feeds.push(feed);
    return {feed, lines};
  };
  afterEach(async () => {
    await Promise.all(feeds.splice(0).map((f) => f.close()));
  });

  it('delivers a change published on A to B, and to A itself (a notification: milliseconds, waited for up to a second)', async () => {
    const [{feed: a}, {feed: b}] = [await open('feed-a'), await open('feed-b')];
    const [atA, atB] = [record(a), record(b)];
    const change: Change = {kind: 'order', shop: 'a.myshopify.com', orderKey: '#1001'};
    await a.publish(change);
    await atB.until(() => atB.changes.length === 1, 1000);
    expect(atB.changes).toEqual([change]);
    await atA.until(() => atA.changes.length === 1, 1000);
    await a.publish({kind: 'shop', shop: 'a.myshopify.com'});
    await atB.until(() => atB.changes.length === 2, 1000);
    expect(atB.changes[1]).toEqual({kind: 'shop', shop: 'a.myshopify.com'});
  });

  it('ignores malformed notifications and keeps delivering good ones', async () => {
    const {feed: b, lines} = await open('feed-b');
    const atB = record(b);
    const notify = (payload: string) => sql(db.url, 'SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, payload]);
    await notify('not json');
    await notify(JSON.stringify({kind: 'order', shop: 'a.myshopify.com'}));
    await notify(JSON.stringify({kind: 'drop-everything'}));
    await notify(JSON.stringify({kind: 'shop', shop: 'b.myshopify.com'}));
    await atB.until(() => atB.changes.length === 1, 1000);
    expect(atB.changes).toEqual([{kind: 'shop', shop: 'b.myshopify.com'}]);
    expect(lines.filter((l) => l.includes('malformed change notification'))).toHaveLength(3);
  });

  it('carries a customer\'s caller-lookup eviction (opaque tags, no phone or e-mail) from A to B', async () => {
    const [{feed: a}, {feed: b}] = [await open('feed-a'), await open('feed-b')];
    const atB = record(b);
    const change: Change = {kind: 'callers', shop: 'a.myshopify.com', tags: ['a.myshopify.com\u0000c\u0000207119551', 'a.myshopify.com\u0000e\u0000Qm9ndXNIYXNoMDEyMzQ1Njc4OWFi']};
    await a.publish(change);
    await atB.until(() => atB.changes.length === 1, 1000);
    expect(atB.changes).toEqual([change]);
    await expect(a.publish({kind: 'callers', shop: 'a.myshopify.com', tags: []})).rejects.toThrow();
  });

  it('refuses to publish a malformed change', async () => {
    const {feed: a} = await open('feed-a');
    await expect(a.publish({kind: 'order', shop: '', orderKey: '#1'})).rejects.toThrow();
  });

  it('stops delivering to an unsubscribed listener; a throwing listener does not stop the others', async () => {
    const {feed: a} = await open('feed-a');
    const seen: string[] = [];
    const stop = a.subscribe(() => seen.push('first'));
    a.subscribe(() => {
      throw new Error('listener bug');
    });
    const atA = record(a);
    await a.publish({kind: 'shop', shop: 'a.myshopify.com'});
    await atA.until(() => atA.changes.length === 1, 1000);
    stop();
    await a.publish({kind: 'shop', shop: 'a.myshopify.com'});
    await atA.until(() => atA.changes.length === 2, 1000);
    expect(seen).toEqual(['first']);
  });

  it('when B\'s connection is killed: B reconnects, resets its caches, and hears later changes', async () => {
    const [{feed: a}, {feed: b, lines}] = [await open('feed-a'), await open('feed-b')];
    const atB = record(b);
    const killed = await sql<{ok: boolean}>(
      db.url,
      `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = 'feed-b' AND datname = current_database()`,
    );
    expect(killed).toEqual([{ok: true}]);
    // Once when the loss is noticed, once more when listening again.
    await atB.until(() => atB.resets() >= 2, 3000);
    expect(await countListeners('feed-b')).toBe(1);
    expect(lines.join('\n')).toContain('change feed listening again');
    await a.publish({kind: 'order', shop: 'a.myshopify.com', orderKey: '#1002'});
    await atB.until(() => atB.changes.length === 1, 1000);
    expect(atB.changes).toEqual([{kind: 'order', shop: 'a.myshopify.com', orderKey: '#1002'}]);
  });

  it('keeps retrying while the database refuses connections, and resets again once listening', async () => {
    const {feed: b, lines} = await open('feed-b');
    const atB = record(b);
    const name = new URL(db.url).pathname.slice(1);
    // From the server's maintenance database: this one is about to refuse everybody.
    await sql(TEST_DATABASE_URL, `ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
    try {
      await sql(TEST_DATABASE_URL, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'feed-b' AND datname = $1`, [name]);
      await atB.until(() => atB.resets() === 1, 2000);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(atB.resets()).toBe(1); // no "listening again" while refused
      expect(lines.filter((l) => l.includes('change feed reconnect failed')).length).toBeGreaterThanOrEqual(2);
    } finally {
      await sql(TEST_DATABASE_URL, `ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
    }
    await atB.until(() => atB.resets() === 2, 3000);
    expect(await countListeners('feed-b')).toBe(1);
  });

  it('closes cleanly: no listening connection stays, no reconnect follows', async () => {
    const {feed: b} = await open('feed-b');
    expect(await countListeners('feed-b')).toBe(1);
    await b.close();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await countListeners('feed-b')).toBe(0);
  });

  it('fails to open when the database cannot be reached', async () => {
    const url = new URL(db.url);
    url.port = '1';
    await expect(openPostgresChangeFeed({url: url.toString()})).rejects.toThrow();
  });

  it('is what openChangeFeed returns for a postgres:// URL', async () => {
    const {log} = captureLogger();
    const feed = await openChangeFeed(db.url, log);
    feeds.push(feed);
    expect(await countListeners(`callina-changes-${process.pid}`)).toBe(1);
  });
});

describe('local change feed (SQLite, one process)', () => {
  it('delivers to every subscriber directly, until unsubscribed or closed', async () => {
    const feed = new LocalChangeFeed();
    const got: Change[] = [];
    const stop = feed.subscribe((c) => got.push(c));
    await feed.publish({kind: 'order', shop: 'a.myshopify.com', orderKey: '#1001'});
    expect(got).toEqual([{kind: 'order', shop: 'a.myshopify.com', orderKey: '#1001'}]);
    stop();
    await feed.publish({kind: 'shop', shop: 'a.myshopify.com'});
    expect(got).toHaveLength(1);
    feed.subscribe((c) => got.push(c));
    await feed.close();
    await feed.publish({kind: 'shop', shop: 'a.myshopify.com'});
    expect(got).toHaveLength(1);
  });

  it('is what openChangeFeed returns for a SQLite URL', async () => {
    const {log} = captureLogger();
    const feed = await openChangeFeed('sqlite::memory:', log);
    expect(feed).toBeInstanceOf(LocalChangeFeed);
    await feed.close();
  });
});
