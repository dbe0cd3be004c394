import {fork, type ChildProcess} from 'node:child_process';
import {fileURLToPath} from 'node:url';

/** Messages between run.ts and its server processes: {type, ...} both ways. */
export interface Message {
  type: string;
  [field: string]: unknown;
}

export interface Child<Ready extends Message = Message> {
  ready: Ready;
  process: ChildProcess;
  /** Sends a message and resolves with the child's reply of type `${type}:done`. */
  ask<R extends Message = Message>(message: Message): Promise<R>;
  stop(): Promise<void>;
}

/**
 * Starts bench/<file> in its own Node process (same Node binary, so the
 * pinned Node 24) and waits for its {type: 'ready'} message. Its stdout
 * is dropped: the servers log there as in production.
 */
const running = new Set<ChildProcess>();
// A failed run must not leave servers behind (they also exit when this process's IPC channel closes).
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export async function startChild<Ready extends Message>(file: string, env: Record<string, string>, execArgv: string[] = []): Promise<Child<Ready>> {
  const child = fork(fileURLToPath(new URL(file, import.meta.url)), [], {
    env: {...process.env, ...env},
    execArgv,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  const waiters = new Map<string, (message: Message) => void>();
  let failed: ((error: Error) => void) | undefined;
  child.on('message', (message: Message) => {
    const waiter = waiters.get(message.type);
    if (waiter) {
      waiters.delete(message.type);
      waiter(message);
    }
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code, signal) => failed?.(new Error(`${file} exited (${code ?? signal}) before answering`)));

  const waitFor = <R extends Message>(type: string) =>
    new Promise<R>((resolve, reject) => {
      failed = reject;
      waiters.set(type, (m) => resolve(m as R));
    });

  const ready = await waitFor<Ready>('ready');
  return {
    ready,
    process: child,
    async ask<R extends Message>(message: Message) {
      const reply = waitFor<R>(`${message.type}:done`);
      child.send(message);
      return reply;
    },
    async stop() {
      failed = undefined;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
