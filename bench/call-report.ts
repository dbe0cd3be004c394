/**
 * The call report's cost. What a call pays: `CallReport.count` (in memory,
 * never awaited), timed over many answers across shops and two zones. What
 * the timer pays, off the call path: one batched write of many shop-days to
 * the bench's storage (a temporary SQLite file, or BENCH_DATABASE_URL).
 * Runs as its own process; sends {type: 'ready', …} with the numbers.
 */
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {CallReport} from '../src/callina/call-report.ts';
import {createLogger} from '../src/log.ts';
import {registerShop} from '../src/shops/shop-registry.ts';
import {openStorage} from '../src/storage/open-storage.ts';
import type {ShopRecord} from '../src/storage/storage.ts';

process.once('disconnect', () => process.exit(1)); // run.ts is gone
const COUNTS = Number(process.env.BENCH_REPORT_COUNTS ?? 500_000);
const SHOPS = 200;

const dataDir = mkdtempSync(join(tmpdir(), 'callina-bench-report-'));
const databaseUrl = process.env.BENCH_DATABASE_URL || `sqlite:${join(dataDir, 'report.sqlite')}`;
const log = createLogger('silent');
const storage = await openStorage({databaseUrl, encryptionKey: 'b'.repeat(64), log});
const shops: ShopRecord[] = [];
for (let i = 0; i < SHOPS; i++) {
  const name = `bench-report-${i}.myshopify.com`;
  await storage.deleteShop(name);
  shops.push(await registerShop(storage, {shop: name, timeZone: i % 2 ? 'Europe/Vienna' : 'America/New_York'}));
}
// A long flush interval: this script decides when to write.
const report = new CallReport({storage, log, flushMs: 3_600_000, maxPending: 1_000_000});
const answers = [
  {event: 'intent.detected' as const, answer: {reply: {next_action: 'continue' as const}, outcome: 'found'}},
  {event: 'escalation.requested' as const, answer: {reply: {next_action: 'continue' as const}, outcome: 'transfer', handoff: 'store' as const}},
  {event: 'silence.detected' as const, answer: {reply: {next_action: 'continue' as const}, outcome: 'recorded'}},
];

function countMany(n: number, at: Date): number {
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    const {event, answer} = answers[i % answers.length]!;
    report.count(shops[i % SHOPS]!, event, answer, at);
  }
  return ((performance.now() - started) * 1000) / n;
}

countMany(20_000, new Date()); // warm up
await report.flush();
const countUs = countMany(COUNTS, new Date());
// One flush holds every shop on two local days (a batch across midnight).
countMany(SHOPS, new Date(Date.now() - 86_400_000));
const started = performance.now();
await report.flush();
const flushMs = performance.now() - started;
const written = (await storage.getReport(shops[0]!.shop, '2000-01-01', '2999-12-31')).length;

for (const shop of shops) await storage.deleteShop(shop.shop);
await storage.close();
rmSync(dataDir, {recursive: true, force: true});
process.send!({type: 'ready', storage: storage.kind, counts: COUNTS, countUs, shopDays: SHOPS * 2, flushMs, written});
process.once('SIGTERM', () => process.exit(0));
