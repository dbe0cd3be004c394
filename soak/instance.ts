/**
 * One service instance for the soak: the real boot (src/server.ts: config
 * from the environment, storage, change feed, call report, graceful
 * SIGTERM) with two additions for the measurement, none in the call path:
 * Shopify's hosts are sent to the soak's simulated Shopify
 * (SOAK_SHOPIFY_URL) through the service's own connection pool, and the
 * parent can ask over IPC for heap and RSS (after full GCs, with how long
 * they stopped the process) and for the unhandled rejections seen, which
 * are also logged.
 */
import {setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';
import {routeShopifyRequests} from '../src/shopify/connections.ts';

const shopify = process.env.SOAK_SHOPIFY_URL!;
routeShopifyRequests((origin) => origin.replace(/^https:\/\/[a-z0-9-]+\.myshopify\.com$/, shopify));

let unhandled = 0;
process.on('unhandledRejection', (reason) => {
  unhandled++;
  process.stderr.write(`${JSON.stringify({level: 60, msg: 'unhandled rejection', err: String((reason as Error)?.stack ?? reason)})}\n`);
});

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

process.on('message', async (message: {type: string}) => {
  if (message.type !== 'memory') return;
  // Twice, a turn apart: WeakRef targets held for the current job and objects awaiting finalisation need a second pass.
  // Each stops the world: the soak excuses answers it delayed by the pause measured here, and no more.
  const first = performance.now();
  gc();
  const between = performance.now();
  await new Promise((resolve) => setImmediate(resolve));
  const second = performance.now();
  gc();
  const pauseMs = between - first + (performance.now() - second);
  const {heapUsed, rss} = process.memoryUsage();
  process.send?.({type: 'memory:done', heapUsed, rss, unhandled, pauseMs});
});
process.once('disconnect', () => process.kill(process.pid, 'SIGTERM')); // the soak is gone

await import('../src/server.ts');
process.send?.({type: 'ready'});
