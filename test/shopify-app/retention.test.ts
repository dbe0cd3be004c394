import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {purgeExpired, startRetentionPurge} from '../../src/shopify-app/retention.ts';
import {registerShop} from '../../src/shops/shop-registry.ts';
import {createCipher} from '../../src/storage/cipher.ts';
import {SqliteStorage} from '../../src/storage/sqlite-storage.ts';
import {captureLogger, tempDir, TEST_KEY} from '../helpers/test-app.ts';

const DAY = 86_400_000;
let tmp: ReturnType<typeof tempDir>;
let storage: SqliteStorage;

beforeEach(async () => {
  tmp = tempDir();
  storage = new SqliteStorage(join(tmp.dir, 'db.sqlite'), createCipher(Buffer.from(TEST_KEY, 'hex')));
  await registerShop(storage, {shop: 'a.myshopify.com'});
});
afterEach(async () => {
  await storage.close();
  tmp.remove();
});

async function seed(now: number) {
  const event = (callId: string, age: number) =>
    storage.recordCallEvent({shop: 'a.myshopify.com', callId, kind: 'silence', occurredAt: new Date(now - age), silenceMs: 9000, reason: null, callerPhone: '+43660123456789'});
  await event('fresh', DAY);
  await event('edge', 29 * DAY);
  await event('old', 31 * DAY);
  await storage.recordWebhookDelivery({webhookId: 'recent', shop: 'a.myshopify.com', topic: 'ORDERS_UPDATED', receivedAt: new Date(now - 6 * DAY)});
  const day = (age: number) => new Date(now - age * DAY).toISOString().slice(0, 10);
  await storage.addToReport([
    {shop: 'a.myshopify.com', day: day(1), counts: {ordersFound: 1}},
    {shop: 'a.myshopify.com', day: day(89), counts: {ordersFound: 2}},
    {shop: 'a.myshopify.com', day: day(93), counts: {ordersFound: 3}},
  ]);
  await storage.recordWebhookDelivery({webhookId: 'stale', shop: 'a.myshopify.com', topic: 'ORDERS_UPDATED', receivedAt: new Date(now - 8 * DAY)});
}

describe('retention', () => {
  it('deletes call events past the retention and webhook ids past a week', async () => {
    const now = Date.now();
    await seed(now);
    expect(await purgeExpired({storage, retentionDays: 30, now})).toEqual({callEvents: 1, webhookDeliveries: 1, reportDays: 1});
    // The report keeps 90 days whatever the call events' retention.
    const report = await storage.getReport('a.myshopify.com', '2000-01-01', '2999-12-31');
    expect(report.map((d) => d.ordersFound)).toEqual([2, 1]);
    expect((await storage.listCallEvents('a.myshopify.com')).map((e) => e.callId)).toEqual(['fresh', 'edge']);
    expect(await storage.recordWebhookDelivery({webhookId: 'recent', shop: 'a.myshopify.com', topic: 'ORDERS_UPDATED', receivedAt: new Date()})).toBe(false);
    expect(await storage.recordWebhookDelivery({webhookId: 'stale', shop: 'a.myshopify.com', topic: 'ORDERS_UPDATED', receivedAt: new Date()})).toBe(true);
  });

  it('follows the configured number of days', async () => {
    const now = Date.now();
    await seed(now);
    expect((await purgeExpired({storage, retentionDays: 7, now})).callEvents).toBe(2);
    expect((await storage.listCallEvents('a.myshopify.com')).map((e) => e.callId)).toEqual(['fresh']);
  });

  it('runs at start and on its interval until stopped, logging what it deleted', async () => {
    const {log, lines} = captureLogger();
    await seed(Date.now());
    const ids = async () => (await storage.listCallEvents('a.myshopify.com')).map((e) => e.callId);
    const until = async (done: (ids: string[]) => boolean) => {
      for (const started = Date.now(); Date.now() - started < 5000; await new Promise((resolve) => setTimeout(resolve, 10))) {
        if (done(await ids())) return;
      }
      throw new Error(`purge did not run: ${(await ids()).join(', ')}`);
    };
    const purge = startRetentionPurge({storage, log, retentionDays: 30, intervalMs: 20});
    await until((now) => !now.includes('old'));
    await storage.recordCallEvent({shop: 'a.myshopify.com', callId: 'later', kind: 'escalation', occurredAt: new Date(Date.now() - 40 * DAY), silenceMs: null, reason: null, callerPhone: null});
    await until((now) => !now.includes('later'));
    expect(await ids()).toEqual(['fresh', 'edge']);
    purge.stop();
    await storage.recordCallEvent({shop: 'a.myshopify.com', callId: 'after-stop', kind: 'escalation', occurredAt: new Date(Date.now() - 40 * DAY), silenceMs: null, reason: null, callerPhone: null});
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect((await storage.listCallEvents('a.myshopify.com')).map((e) => e.callId)).toContain('after-stop');
    expect(lines.join('\n')).toContain('retention purge');
    expect(lines.join('\n')).not.toContain('660123456789');
  });
});
