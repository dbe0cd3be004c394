import type {Server} from 'node:http';
import {createApp} from './app.ts';
import {CallReport} from './callina/call-report.ts';
import {createHttpServer} from './http-server.ts';
import {ConfigError, loadConfig} from './config.ts';
import {createLogger} from './log.ts';
import {EncryptionKeyError} from './storage/encryption-key.ts';
import {openChangeFeed, openStorage} from './storage/open-storage.ts';
import {startRetentionPurge} from './shopify-app/retention.ts';

/** Boot: config → storage → app → listen, and a graceful exit on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(78); // EX_CONFIG
  }
  const log = createLogger(config.logLevel);
  let storage;
  try {
    storage = await openStorage({databaseUrl: config.databaseUrl, encryptionKey: config.encryptionKey, log, poolSize: config.databasePoolSize});
  } catch (error) {
    if (!(error instanceof EncryptionKeyError)) throw error;
    console.error(error.message);
    process.exit(78); // EX_CONFIG: the key is part of the configuration
  }
  const changes = await openChangeFeed(config.databaseUrl, log);
  const report = new CallReport({storage, log});
  const app = createApp({config, storage, log, changes, report});
  const server = createHttpServer(app);
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  log.info({port: config.port, appUrl: config.appUrl, storage: storage.kind}, 'listening');
  if (!config.shopifyApp) {
    log.warn(
      {missing: config.shopifyAppMissing},
      'Shopify app credentials missing: install, Shopify webhooks and the settings page are off; shops registered with the CLI keep working',
    );
  }
  const purge = startRetentionPurge({storage, log, retentionDays: config.callEventRetentionDays});

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({signal}, 'shutting down: no new connections, finishing calls in flight');
    const force = setTimeout(() => server.closeAllConnections(), 10_000).unref();
    await closeServer(server);
    clearTimeout(force);
    purge.stop();
    await report.close();
    await changes.close();
    await storage.close();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

await main();
