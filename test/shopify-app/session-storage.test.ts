import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {Session} from '@shopify/shopify-api';
import {afterEach, describe, expect, it} from 'vitest';
import {createSessionStorage} from '../../src/shopify-app/session-storage.ts';
import {createCipher} from '../../src/storage/cipher.ts';
import {SqliteStorage} from '../../src/storage/sqlite-storage.ts';
import {tempDir, TEST_KEY} from '../helpers/test-app.ts';
import {sessionStorageContract} from '../storage/session-storage-contract.ts';

const cipher = () => createCipher(Buffer.from(TEST_KEY, 'hex'));

let tmp = tempDir();
sessionStorageContract(
  'SQLite',
  async () => {
    tmp = tempDir();
    return new SqliteStorage(join(tmp.dir, 'db.sqlite'), cipher());
  },
  async () => tmp.remove(),
);

describe('sessions in SQLite on disk', () => {
  const dirs: ReturnType<typeof tempDir>[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

  it('keeps access and refresh tokens encrypted at rest, and survives a restart', async () => {
    const d = tempDir();
    dirs.push(d);
    const path = join(d.dir, 'db.sqlite');
    const first = new SqliteStorage(path, cipher());
    const session = new Session({
      id: 'offline_a.myshopify.com', shop: 'a.myshopify.com', state: '', isOnline: false, scope: 'read_orders',
      accessToken: 'shpat_visible_access_token', refreshToken: 'shprt_visible_refresh_token',
      expires: new Date(Date.now() + 3_600_000), refreshTokenExpires: new Date(Date.now() + 86_400_000),
    });
    await createSessionStorage(first).storeSession(session);
    await first.close();

    const bytes = ['db.sqlite', 'db.sqlite-wal'].map((f) => {
      try {
        return readFileSync(join(d.dir, f)).toString('latin1');
      } catch {
        return '';
      }
    }).join('');
    expect(bytes).toContain('offline_a.myshopify.com');
    expect(bytes).not.toContain('shpat_visible_access_token');
    expect(bytes).not.toContain('shprt_visible_refresh_token');

    const second = new SqliteStorage(path, cipher());
    expect(session.equals(await createSessionStorage(second).loadSession(session.id))).toBe(true);
    await second.close();
  });
});
