/**
 * The child process of crash-safety.test.ts: writes to a SQLite database
 * through the real storage, as fast as it can, until it is killed. After
 * each round of writes has returned it prints the round's number, so the
 * parent knows what was acknowledged.
 * Usage: storage-writer.ts <database file> <run number> <encryption key> <base shop>
 */
import {openStorage} from '../../src/storage/open-storage.ts';
import {createLogger} from '../../src/log.ts';

const [file, run, KEY, BASE_SHOP] = process.argv.slice(2) as [string, string, string, string];

const storage = await openStorage({databaseUrl: `sqlite:${file}`, encryptionKey: KEY, log: createLogger('silent')});
if (!(await storage.getShop(BASE_SHOP))) {
  await storage.createShop({shop: BASE_SHOP, hookId: 'crash_base_hook_id_0000000', secret: 'secret-0-0', storePhone: '+43662275124'});
}
process.stdout.write('ready\n');

for (let i = 0; ; i++) {
  const id = `${run}-${i}`;
  await storage.createShop({
    shop: `crash-${id}.myshopify.com`, hookId: `hook_${run}_${String(i).padStart(20, '0')}`, secret: `secret-${id}`,
    accessToken: `shpat_${id}`, storePhone: '+43662275124', defaultLanguage: 'de', verification: 'caller_phone',
  });
  await storage.recordCallEvent({
    shop: BASE_SHOP, callId: `call-${id}`, kind: i % 2 ? 'silence' : 'escalation', occurredAt: new Date(1_700_000_000_000 + Number(run) * 1e9 + i),
    silenceMs: i % 2 ? 4000 + i : null, reason: i % 2 ? null : 'caller_request', callerPhone: `+4366012345${String(i % 10_000).padStart(4, '0')}`,
  });
  // Current secret → previous, new one current: one transaction.
  await storage.rotateSecret(BASE_SHOP, `secret-${id}`, new Date(Date.now() + 86_400_000));
  await storage.storeSession({
    id: `offline_crash-${id}.myshopify.com`, shop: `crash-${id}.myshopify.com`, state: '', isOnline: false, scope: 'read_orders',
    expires: null, accessToken: `shpat_session_${id}`, refreshToken: `shprt_${id}`, refreshTokenExpires: new Date(Date.now() + 86_400_000), userId: null,
  });
  process.stdout.write(`${i}\n`);
}
