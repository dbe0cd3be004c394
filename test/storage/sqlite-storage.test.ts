import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {createCipher} from '../../src/storage/cipher.ts';
import {openStorage} from '../../src/storage/open-storage.ts';
import {SqliteStorage} from '../../src/storage/sqlite-storage.ts';
import {registerShop} from '../../src/shops/shop-registry.ts';
import {captureLogger, tempDir, TEST_KEY} from '../helpers/test-app.ts';
import {storageContract} from './storage-contract.ts';

let tmp = tempDir();
storageContract(
  'SQLite',
  async () => {
    tmp = tempDir();
    return new SqliteStorage(join(tmp.dir, 'db.sqlite'), createCipher(Buffer.from(TEST_KEY, 'hex')));
  },
  async () => tmp.remove(),
);

describe('SQLite storage on disk', () => {
  const dirs: ReturnType<typeof tempDir>[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));
  const fresh = () => {
    const d = tempDir();
    dirs.push(d);
    return d.dir;
  };

  it('survives a restart with everything intact', async () => {
    const dir = fresh();
    const url = `sqlite:${join(dir, 'db.sqlite')}`;
    const {log} = captureLogger();
    const first = await openStorage({databaseUrl: url, encryptionKey: TEST_KEY, log});
    const shop = await registerShop(first, {shop: 'a.myshopify.com', accessToken: 'shpat_abc123456'});
    await first.recordCallEvent({shop: shop.shop, callId: 'c1', kind: 'silence', occurredAt: new Date(), silenceMs: 8100, reason: null, callerPhone: null});
    await first.close();

    const second = await openStorage({databaseUrl: url, encryptionKey: TEST_KEY, log});
    expect(await second.getShop('a.myshopify.com')).toEqual(shop);
    expect(await second.listCallEvents('a.myshopify.com')).toHaveLength(1);
    await second.close();
  });

  it('keeps secrets and tokens encrypted at rest, and phones only masked and hashed', async () => {
    const dir = fresh();
    const storage = new SqliteStorage(join(dir, 'db.sqlite'), createCipher(Buffer.from(TEST_KEY, 'hex')));
    const shop = await registerShop(storage, {shop: 'a.myshopify.com', accessToken: 'shpat_visible_token'});
    await storage.recordCallEvent({shop: shop.shop, callId: 'c1', kind: 'escalation', occurredAt: new Date(), silenceMs: null, reason: null, callerPhone: '+43660123456789'});
    await storage.close();
    const bytes = ['db.sqlite', 'db.sqlite-wal'].map((f) => {
      try {
        return readFileSync(join(dir, f)).toString('latin1');
      } catch {
        return '';
      }
    }).join('');
    expect(bytes).toContain('a.myshopify.com');
    expect(bytes).not.toContain(shop.secret);
    expect(bytes).not.toContain('shpat_visible_token');
    expect(bytes).not.toContain('660123456789');
  });

  it('refuses to open with another encryption key, loudly, and leaves the data as it was', async () => {
    const dir = fresh();
    const url = `sqlite:${join(dir, 'db.sqlite')}`;
    const {log} = captureLogger();
    const s = await openStorage({databaseUrl: url, encryptionKey: TEST_KEY, log});
    const shop = await registerShop(s, {shop: 'a.myshopify.com'});
    await s.close();
    await expect(openStorage({databaseUrl: url, encryptionKey: 'b'.repeat(64), log})).rejects.toThrow(/ENCRYPTION_KEY differs/);
    const again = await openStorage({databaseUrl: url, encryptionKey: TEST_KEY, log});
    expect(await again.getShop('a.myshopify.com')).toEqual(shop);
    await again.close();
  });

  it('generates a key into the data folder when none is configured, warns, and reuses it', async () => {
    const dir = fresh();
    const url = `sqlite:${join(dir, 'db.sqlite')}`;
    const {log, lines} = captureLogger();
    const s = await openStorage({databaseUrl: url, log});
    await registerShop(s, {shop: 'a.myshopify.com'});
    await s.close();
    expect(readFileSync(join(dir, 'encryption.key'), 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(lines.join()).toContain('ENCRYPTION_KEY is not set');
    const reopened = await openStorage({databaseUrl: url, log});
    expect(await reopened.getShop('a.myshopify.com')).toBeDefined();
    await reopened.close();
  });

  it('applies migrations once: reopening an existing file changes nothing', async () => {
    const dir = fresh();
    const cipher = createCipher(Buffer.from(TEST_KEY, 'hex'));
    new SqliteStorage(join(dir, 'db.sqlite'), cipher).close();
    const again = new SqliteStorage(join(dir, 'db.sqlite'), cipher);
    await expect(again.listShops()).resolves.toEqual([]);
    await again.close();
  });
});
