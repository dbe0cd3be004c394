/**
 * The shop cache on the call path: a changed setting, a rotated secret or
 * a removed shop takes effect on every instance at once.
 * SQLite: the operator CLI writes from another process while the server
 * answers from its cache (PRAGMA data_version tells it). PostgreSQL: two
 * instances, each with its own change feed; every write to a shop, from
 * anywhere, notifies both (a trigger).
 */
import {execFile} from 'node:child_process';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {createLogger} from '../../src/log.ts';
import {registerShop, rotateSigningSecret} from '../../src/shops/shop-registry.ts';
import type {ChangeFeed} from '../../src/storage/change-feed.ts';
import {openChangeFeed, openStorage} from '../../src/storage/open-storage.ts';
import type {ShopRecord, Storage} from '../../src/storage/storage.ts';
import {callinaEvent, postEvent} from '../helpers/callina.ts';
import {createTestDatabase, sql} from '../helpers/postgres.ts';
import {startTestApp, tempDir, TEST_KEY, type TestApp} from '../helpers/test-app.ts';

const exec = promisify(execFile);
const escalation = () => callinaEvent({event: 'escalation.requested', intent: undefined, params: undefined, reason: 'caller_request', context: {caller_phone: '+15551234567'}});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SQLite: the CLI in another process changes a shop the server has cached', () => {
  let tmp: ReturnType<typeof tempDir>;
  let app: TestApp;
  afterEach(async () => {
    await app?.close();
    tmp?.remove();
  });

  async function cli(...args: string[]) {
    const env = {PATH: process.env.PATH ?? '', DATABASE_URL: `sqlite:${join(tmp.dir, 'test.sqlite')}`, ENCRYPTION_KEY: TEST_KEY, APP_URL: 'https://calls.example.com'};
    const {stdout} = await exec(process.execPath, ['src/cli.ts', ...args], {env});
    return JSON.parse(stdout);
  }

  it('the next call after `shops set`, `rotate-secret` and `remove` sees each change', async () => {
    tmp = tempDir();
    app = await startTestApp({dataDir: tmp.dir});
    const added = await cli('shops', 'add', '--shop', 'anna-demo.myshopify.com', '--phone', '+43662275124', '--language', 'en');
    let shop = {hookId: String(added.webhook_url).split('/').pop()!, secret: added.signing_secret} as ShopRecord;

    // Cached by the first calls.
    for (let i = 0; i < 3; i++) expect((await postEvent(app.url, shop, escalation())).json).toMatchObject({next_action: 'transfer', transfer_to: '+43662275124'});

    await cli('shops', 'set', '--shop', 'anna-demo.myshopify.com', '--phone', '+43662999999');
    expect((await postEvent(app.url, shop, escalation())).json).toMatchObject({next_action: 'transfer', transfer_to: '+43662999999'});

    await cli('shops', 'set', '--shop', 'anna-demo.myshopify.com', '--phone', 'none');
    expect((await postEvent(app.url, shop, escalation())).json).toMatchObject({next_action: 'continue'});

    const rotated = await cli('shops', 'rotate-secret', '--shop', 'anna-demo.myshopify.com');
    const old = shop.secret;
    shop = {...shop, secret: rotated.signing_secret};
    expect((await postEvent(app.url, shop, escalation())).status).toBe(200);
    expect((await postEvent(app.url, shop, escalation(), {secret: old})).status).toBe(200); // grace period
    expect((await postEvent(app.url, shop, escalation(), {secret: 'never-the-secret-0123456789'})).status).toBe(401);

    await cli('shops', 'remove', '--shop', 'anna-demo.myshopify.com');
    const gone = await postEvent(app.url, shop, escalation());
    expect(gone.status).toBe(404);
    expect(gone.json.error).toBe('unknown_hook');
  });
});

describe('PostgreSQL: two instances, one database', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let writer: Storage;
  const instances: {app: TestApp; changes: ChangeFeed}[] = [];
  let shop: ShopRecord;

  beforeAll(async () => {
    db = await createTestDatabase();
    writer = await openStorage({databaseUrl: db.url, encryptionKey: TEST_KEY, log: createLogger('silent')});
    for (let i = 0; i < 2; i++) {
      const changes = await openChangeFeed(db.url, createLogger('silent'));
      instances.push({app: await startTestApp({env: {DATABASE_URL: db.url}, deps: {changes}}), changes});
    }
    // The registration's own notification must have reached both instances before anything is cached:
    // arriving late, it would rightly drop what the first test caches and let the write behind our back through.
    const heard = instances.map(({changes}) => new Promise<void>((resolve) => {
      const stop = changes.subscribe((change) => {
        if (change.kind !== 'shop_record' || change.shop !== 'anna-demo.myshopify.com') return;
        stop();
        resolve();
      });
    }));
    shop = await registerShop(writer, {shop: 'anna-demo.myshopify.com', storePhone: '+43662275124', defaultLanguage: 'en'});
    await Promise.all(heard);
  }, 60_000);

  afterAll(async () => {
    for (const {app, changes} of instances) {
      await app.close();
      await changes.close();
    }
    await writer?.close();
    await db?.drop();
  });

  const transferTo = async (app: TestApp, s: ShopRecord = shop) => (await postEvent(app.url, s, escalation())).json.transfer_to;

  /** Polls until every instance says `expected` (failing after a second, far beyond a notification's delay). */
  async function untilAll(expected: unknown, ask: (app: TestApp) => Promise<unknown>, limitMs = 1000): Promise<number> {
    const started = performance.now();
    for (;;) {
      const answers = await Promise.all(instances.map(({app}) => ask(app)));
      if (answers.every((a) => a === expected)) return performance.now() - started;
      if (performance.now() - started > limitMs) throw new Error(`instances answered ${JSON.stringify(answers)}, expected ${JSON.stringify(expected)}`);
      await sleep(5);
    }
  }

  it('serves the shop from its cache: a write that notifies nobody is not seen', async () => {
    for (const {app} of instances) expect(await transferTo(app)).toBe('+43662275124');
    // Behind the service's back: no trigger, so no notification.
    await sql(db.url, `ALTER TABLE shops DISABLE TRIGGER shops_changed; UPDATE shops SET store_phone = '+43662111111'; ALTER TABLE shops ENABLE TRIGGER shops_changed`);
    await sleep(100);
    for (const {app} of instances) expect(await transferTo(app)).toBe('+43662275124');
    // Any write through the service's own code notifies every instance.
    await writer.updateShop(shop.shop, {storePhone: '+43662222222'});
    // As soon as the notification arrives (about a millisecond on an idle machine): no fixed wait, no TTL.
    await untilAll('+43662222222', (app) => transferTo(app));
  });

  it('a secret rotated elsewhere is accepted by both at once, the old one during its grace period', async () => {
    for (const {app} of instances) expect((await postEvent(app.url, shop, escalation())).status).toBe(200);
    const rotated = (await rotateSigningSecret(writer, shop.shop, 3_600_000))!;
    for (const {app} of instances) {
      expect((await postEvent(app.url, rotated, escalation())).status).toBe(200);
      expect((await postEvent(app.url, shop, escalation())).status).toBe(200);
      expect((await postEvent(app.url, rotated, escalation(), {secret: 'never-the-secret-0123456789'})).status).toBe(401);
    }
    shop = rotated;
  });

  it('a shop removed elsewhere is unknown to both as soon as the notification arrives', async () => {
    for (const {app} of instances) expect((await postEvent(app.url, shop, escalation())).status).toBe(200);
    await writer.deleteShop(shop.shop);
    await untilAll(404, async (app) => (await postEvent(app.url, shop, escalation())).status);
  });
});
