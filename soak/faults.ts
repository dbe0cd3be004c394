/** The faults the soak injects on its schedule: PostgreSQL connections cut, the CLI writing, a rotated secret, a changed setting, a SIGKILL. */
import {execFile} from 'node:child_process';
import {promisify} from 'node:util';
import {query} from './database.ts';
import {fail, pending} from './judge-answers.ts';
import {CLI, KEY, NEW_STORE_PHONE, type ModeRun} from './mode-run.ts';

export async function terminateConnections(run: ModeRun, now: () => number) {
  const rows = await query<{n: string}>(run.databaseUrl,
    `SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'callina%' AND pid <> pg_backend_pid()`);
  // An instance that lost its change feed may have missed evictions, so it drops its cached orders when it listens again.
  run.touched.clear();
  run.faults.push(`${(now() / 1000).toFixed(1)} s: ${rows[0]!.n} PostgreSQL connections terminated`);
}

const exec = promisify(execFile);
async function cli(run: ModeRun, args: string[]): Promise<string> {
  const {stdout} = await exec(process.execPath, [CLI, ...args], {env: {PATH: process.env.PATH ?? '', DATABASE_URL: run.databaseUrl, ENCRYPTION_KEY: KEY, LOG_LEVEL: 'error'}});
  return stdout;
}

/** The operator's CLI writing beside the running service (SQLite: another process on the same file). */
export async function cliWrite(run: ModeRun) {
  const closed = run.shops[1]!;
  try {
    await cli(run, ['shops', 'set', '--shop', closed.shop, '--contact-hint', `soak write ${++run.cliWrites}`]);
  } catch (error) {
    run.cliFailures++;
    fail(run.tally, `CLI write failed: ${(error as Error).message.split('\n')[0]}`);
  }
}

export async function rotateSecret(run: ModeRun, now: () => number) {
  const open = run.shops[0]!;
  const out = JSON.parse(await cli(run, ['shops', 'rotate-secret', '--shop', open.shop])) as {signing_secret: string};
  // From here on Callina signs with the new secret; 20 % still come signed with the old one (inside its grace period).
  open.oldSecret = open.secret;
  open.secret = out.signing_secret;
  run.faults.push(`${(now() / 1000).toFixed(1)} s: secret of ${open.shop} rotated (CLI)`);
}

export async function changeStorePhone(run: ModeRun, now: () => number) {
  const open = run.shops[0]!;
  await cli(run, ['shops', 'set', '--shop', open.shop, '--phone', NEW_STORE_PHONE]);
  open.storePhone = NEW_STORE_PHONE;
  open.phoneChangedAt = now();
  run.faults.push(`${(now() / 1000).toFixed(1)} s: store phone of ${open.shop} changed (CLI)`);
}

export async function killOne(run: ModeRun, now: () => number) {
  const victim = run.instances.at(-1)!;
  const killedAt = now();
  run.kills.set(`${victim.name}#${victim.generation}`, killedAt);
  await victim.killAndRestart(() => {
    for (const record of pending) {
      if (record.instance === victim && record.generation === victim.generation) {
        record.inFlightAtKill = true;
        run.tally.inFlightAtKill++;
      }
    }
  });
  run.faults.push(`${(killedAt / 1000).toFixed(1)} s: ${victim.name} SIGKILLed, serving again after ${((now() - killedAt) / 1000).toFixed(1)} s`);
}
