/**
 * npm run soak: the soak (soak/soak.ts) with its settings from the
 * environment, a PostgreSQL of its own unless DATABASE_URL names one, the
 * report as a table and as soak/results/latest.json. Exits 1 when a goal
 * was missed.
 *
 *   SOAK_SECONDS  duration (default 600); the fault schedule scales with it
 *   SOAK_RATE     requests per second over both modes (default 150)
 *   SOAK_MODES    postgres,sqlite (default both, side by side)
 *   SOAK_FAULTS   comma-separated subset of the faults, or "none" (default all)
 *   DATABASE_URL  a PostgreSQL server to create the soak's database on
 */
import {mkdirSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {startEmbeddedPostgres, type EmbeddedPostgres} from '../test/helpers/embedded-postgres.ts';
import {formatReport} from './format-report.ts';
import {ALL_FAULTS, runSoak, type FaultName, type ModeName} from './soak.ts';

const env = process.env;
const seconds = Number(env.SOAK_SECONDS ?? 600);
const rate = Number(env.SOAK_RATE ?? 150);
const modes = (env.SOAK_MODES ?? 'postgres,sqlite').split(',').map((m) => m.trim()) as ModeName[];
const faults = env.SOAK_FAULTS === 'none' ? [] : ((env.SOAK_FAULTS?.split(',').map((f) => f.trim()) ?? ALL_FAULTS) as FaultName[]);
if (!(seconds >= 10) || !(rate > 0) || modes.some((m) => m !== 'postgres' && m !== 'sqlite') || faults.some((f) => !ALL_FAULTS.includes(f))) {
  console.error(`usage: SOAK_SECONDS>=10 SOAK_RATE>0 SOAK_MODES=postgres,sqlite SOAK_FAULTS=${ALL_FAULTS.join(',')}|none npm run soak`);
  process.exit(64);
}

const results = fileURLToPath(new URL('./results/', import.meta.url));
rmSync(join(results, 'logs'), {recursive: true, force: true}); // this run's logs only
mkdirSync(results, {recursive: true});
let embedded: EmbeddedPostgres | undefined;
if (modes.includes('postgres') && !env.DATABASE_URL) {
  console.log('starting an embedded PostgreSQL (DATABASE_URL not set)');
  embedded = await startEmbeddedPostgres();
}
try {
  const report = await runSoak({
    seconds, rate, modes, faults,
    postgresServerUrl: env.DATABASE_URL || embedded?.url,
    logDir: join(results, 'logs'),
    progress: (line) => console.log(line),
  });
  writeFileSync(join(results, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\n${formatReport(report)}\nwritten to soak/results/latest.json; instance logs in soak/results/logs/`);
  process.exitCode = report.ok ? 0 : 1;
} finally {
  await embedded?.stop();
}
