/**
 * Service instances for the soak: soak/instance.ts forked with a log file
 * each, started, stopped gracefully (SIGTERM: calls in flight finish, the
 * call report is flushed) or SIGKILLed and started again.
 */
import {fork, type ChildProcess} from 'node:child_process';
import {closeSync, openSync} from 'node:fs';
import {createServer} from 'node:net';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

const SCRIPT = fileURLToPath(new URL('./instance.ts', import.meta.url));
const running = new Set<ChildProcess>();
// A failed soak must not leave services behind (they also stop when their IPC channel closes).
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface Memory {
  heapUsed: number;
  rss: number;
  unhandled: number;
  /** How long the sample's forced full GCs stopped the instance. */
  pauseMs: number;
}

export interface Instance {
  name: string;
  /** Incremented by every restart: requests and cache knowledge belong to one generation. */
  generation: number;
  url: string;
  pid: number;
  alive: boolean;
  /** Exits nobody asked for (a crash). */
  crashes: number;
  logFiles: string[];
  memory(): Promise<Memory>;
  stop(): Promise<void>;
  /** SIGKILL, then a fresh process on the same port once the old one is gone. */
  killAndRestart(onKilled: () => void): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const {port} = probe.address() as {port: number};
      probe.close(() => resolve(port));
    });
  });
}

export async function startInstance(name: string, env: Record<string, string>, logDir: string): Promise<Instance> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess;
  let expectedExit = false;
  const instance: Instance = {
    name, generation: 0, url, pid: 0, alive: false, crashes: 0, logFiles: [],
    memory: () =>
      new Promise((resolve, reject) => {
        const onMessage = (m: {type: string} & Memory) => {
          if (m.type !== 'memory:done') return;
          child.off('message', onMessage);
          resolve({heapUsed: m.heapUsed, rss: m.rss, unhandled: m.unhandled, pauseMs: m.pauseMs});
        };
        child.on('message', onMessage);
        child.send({type: 'memory'}, (error) => error && reject(error));
      }),
    stop: async () => {
      instance.alive = false;
      expectedExit = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
    killAndRestart: async (onKilled) => {
      instance.alive = false;
      expectedExit = true;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      onKilled();
      await exited;
      await launch();
    },
  };

  async function launch(): Promise<void> {
    const logFile = join(logDir, `${name}-${instance.generation + 1}.log`);
    instance.logFiles.push(logFile);
    const fd = openSync(logFile, 'a');
    expectedExit = false;
    child = fork(SCRIPT, [], {
      env: {PATH: process.env.PATH ?? '', ...env, PORT: String(port), HOST: '127.0.0.1', APP_URL: url},
      stdio: ['ignore', fd, fd, 'ipc'],
    });
    closeSync(fd);
    running.add(child);
    child.once('exit', () => {
      running.delete(child);
      if (!expectedExit) {
        instance.crashes++;
        instance.alive = false;
      }
    });
    await new Promise<void>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`${name} exited (${code}) before it was ready; see ${logFile}`));
      child.once('exit', onExit);
      child.on('message', function ready(m: {type: string}) {
        if (m.type !== 'ready') return;
        child.off('message', ready);
        child.off('exit', onExit);
        resolve();
      });
    });
    instance.generation++;
    instance.pid = child.pid!;
    instance.alive = true;
  }

  await launch();
  return instance;
}
