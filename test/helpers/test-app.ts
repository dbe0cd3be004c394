import {createServer, type Server} from 'node:http';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Writable} from 'node:stream';
import {createApp, type AppDeps} from '../../src/app.ts';
import {CallReport} from '../../src/callina/call-report.ts';
import {loadConfig, type Config} from '../../src/config.ts';
import {createLogger, type Logger} from '../../src/log.ts';
import {openStorage} from '../../src/storage/open-storage.ts';
import type {Storage} from '../../src/storage/storage.ts';

export const TEST_KEY = 'a'.repeat(64);

/** Log lines captured as text, so tests can prove what never reaches a log. */
export function captureLogger(): {log: Logger; lines: string[]} {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return {log: createLogger('debug', sink), lines};
}

export function tempDir(): {dir: string; remove: () => void} {
  const dir = mkdtempSync(join(tmpdir(), 'callina-test-'));
  return {dir, remove: () => rmSync(dir, {recursive: true, force: true})};
}

export interface TestApp {
  url: string;
  config: Config;
  storage: Storage;
  logs: string[];
  dataDir: string;
  /** The app's call report writer: `flush()` writes its counts now. */
  report: CallReport;
  close(): Promise<void>;
}

/**
 * The real app on a real SQLite file, listening on a loopback port.
 * `env` is the environment as an operator would set it.
 */
export async function startTestApp(options: {env?: Record<string, string>; dataDir?: string; deps?: Partial<AppDeps>} = {}): Promise<TestApp> {
  const tmp = options.dataDir ? undefined : tempDir();
  const dataDir = options.dataDir ?? tmp!.dir;
  const config = loadConfig({
    DATABASE_URL: `sqlite:${join(dataDir, 'test.sqlite')}`,
    ENCRYPTION_KEY: TEST_KEY,
    LOG_LEVEL: 'debug',
    ...options.env,
  });
  const {log, lines} = captureLogger();
  const storage = await openStorage({databaseUrl: config.databaseUrl, encryptionKey: config.encryptionKey, log, poolSize: config.databasePoolSize});
  const report = options.deps?.report ?? new CallReport({storage, log, flushMs: 50});
  const app = createApp({config, storage, log, report, ...options.deps});
  const server: Server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    config,
    storage,
    logs: lines,
    dataDir,
    report,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await report.close();
      await storage.close();
      tmp?.remove();
    },
  };
}
