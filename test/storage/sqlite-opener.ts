/**
 * The child process of sqlite-concurrent-start.test.ts: loads the storage
 * code, says "ready", waits for "go" on stdin (so that every child opens at
 * the same moment), opens the SQLite database as the service does at boot,
 * writes one shop and prints "ok", or "error: <message>" and exits 1.
 * Usage: sqlite-opener.ts <database file> <shop> [encryption key]
 */
import {createInterface} from 'node:readline';
import {openStorage} from '../../src/storage/open-storage.ts';
import {createLogger} from '../../src/log.ts';

const [file, shop, key] = process.argv.slice(2) as [string, string, string | undefined];
process.stdout.write('ready\n');
const go = createInterface({input: process.stdin});
await new Promise<void>((resolve) => go.once('line', () => resolve()));
go.close();
try {
  const storage = await openStorage({databaseUrl: `sqlite:${file}`, encryptionKey: key, log: createLogger('silent')});
  await storage.createShop({shop, hookId: `hook_${shop.replace(/\W/g, '_')}`.padEnd(24, '0'), secret: `secret-of-${shop}`});
  await storage.close();
  process.stdout.write('ok\n');
} catch (error) {
  process.stdout.write(`error: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
