/**
 * npm run bench:instructions — instructions per warm call, counted by
 * valgrind's callgrind (`apt install valgrind`): the same count for the
 * same code whatever else the machine does, where CPU time on a shared
 * machine scatters by ±30 %. User-space instructions only: system calls
 * and cache stalls, which CPU time includes, are not in it.
 *
 * The service (or with COUNT_BARE=1 the bare Koa route) runs under
 * callgrind with instrumentation off, answers COUNT_WARMUP calls over one
 * keep-alive connection, then is counted for COUNT_CALLS more.
 * COUNT_DIR measures another checkout's service.
 */
import {execFileSync, fork} from 'node:child_process';
import {readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {signedLookup} from './callina-request.ts';

const dir = resolve(process.env.COUNT_DIR ?? '.');
const bare = process.env.COUNT_BARE === '1';
const CALLS = Number(process.env.COUNT_CALLS ?? 500);
const WARMUP = Number(process.env.COUNT_WARMUP ?? 1000);
const out = join(tmpdir(), `callgrind-${process.pid}.out`);

const child = fork(join(dir, 'bench', bare ? 'baseline-server.ts' : 'app-server.ts'), [], {
  execPath: 'valgrind',
  execArgv: ['--quiet', '--tool=callgrind', '--instr-atstart=no', `--callgrind-out-file=${out}`, process.execPath],
  env: {...process.env, BENCH_SHOPIFY_DELAY_MS: '1', BENCH_BODY: JSON.stringify({say: 'Your order 1 0 0 0 1 was shipped yesterday.', next_action: 'continue'})},
  stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
});
const ready = await new Promise<{url: string; hookPath?: string; secret?: string}>((done) => {
  child.on('message', (m: {type: string; url: string}) => m.type === 'ready' && done(m));
});

let seq = 0;
async function call(n: number): Promise<void> {
  const r = signedLookup(ready.secret ?? 'bare', String(n), `call_count_${++seq}`, ready.hookPath ?? '/callina/bare-route-hook-id-0000');
  const res = await fetch(`${ready.url}${r.path}`, {method: 'POST', headers: r.headers as Record<string, string>, body: String(r.body)});
  const text = await res.text();
  if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${text}`);
}
const orders = Array.from({length: 200}, (_, i) => 10_001 + i);
for (let i = 0; i < WARMUP; i++) await call(orders[i % orders.length]!);
execFileSync('callgrind_control', ['--instr=on', String(child.pid)], {stdio: 'ignore'});
for (let i = 0; i < CALLS; i++) await call(orders[i % orders.length]!);
execFileSync('callgrind_control', ['--instr=off', String(child.pid)], {stdio: 'ignore'});
child.kill('SIGTERM');
await new Promise((done) => child.once('exit', done));
const total = Number(/^totals: (\d+)/m.exec(readFileSync(out, 'utf8'))?.[1]);
rmSync(out, {force: true});
console.log(`${bare ? 'bare Koa route' : dir}: ${Math.round(total / CALLS / 1000)} k instructions per warm call (${CALLS} counted after ${WARMUP})`);
process.exit(0);
