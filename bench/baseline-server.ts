/**
 * The framework's ceiling on this machine: a bare Koa route on the same
 * path, answering a JSON body as long as the service's real answer
 * (BENCH_BODY), with nothing of ours in between.
 */
import {createServer} from 'node:http';
import Koa from 'koa';
import {Router} from '@koa/router';

const body = JSON.parse(process.env.BENCH_BODY ?? '{"next_action":"continue"}') as unknown;
const app = new Koa();
const router = new Router();
router.post('/callina/:hookId', (ctx) => {
  ctx.body = body;
});
app.use(router.routes());

const server = createServer(app.callback());
server.keepAliveTimeout = 5_000;
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const {port} = server.address() as {port: number};
// 'stats' and 'cpu' both answer with CPU time alone: the bare route has nothing else to count.
process.on('message', (message: {type: string}) => {
  if (message.type === 'stats' || message.type === 'cpu') {
    const cpu = process.cpuUsage();
    process.send!({type: `${message.type}:done`, cpuMicros: cpu.user + cpu.system});
  }
});
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
process.once('disconnect', () => process.exit(1)); // run.ts is gone
process.send!({type: 'ready', url: `http://127.0.0.1:${port}`});
