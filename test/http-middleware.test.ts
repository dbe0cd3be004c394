/**
 * The request log names routes, never raw paths: the hook id in a Callina
 * URL is a credential (it selects the shop and its secret), so it must not
 * reach a log line in any spelling of the path, nor through the error line.
 */
import {request} from 'node:http';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {addShop, callinaEvent, sign} from './helpers/callina.ts';
import {startTestApp, type TestApp} from './helpers/test-app.ts';
import type {ShopRecord} from '../src/storage/storage.ts';

let app: TestApp;
let shop: ShopRecord;

beforeEach(async () => {
  app = await startTestApp();
  shop = await addShop(app.storage, {storePhone: '+43662275124'});
});
afterEach(() => app.close());

/** A request with exactly this path on the wire (fetch would normalise some of them). */
function send(method: string, path: string, body?: string): Promise<number> {
  const {port} = new URL(app.url);
  const headers: Record<string, string> = body === undefined ? {} : {'content-type': 'application/json', 'x-callina-signature': sign(body, shop.secret)};
  return new Promise((resolve, reject) => {
    const req = request({host: '127.0.0.1', port, method, path, headers}, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function hookIdInLogs(): string[] {
  const id = shop.hookId.toLowerCase();
  return app.logs.filter((line) => line.toLowerCase().includes(id));
}

describe('request log', () => {
  it('logs every spelling of a Callina URL without its hook id', async () => {
    const body = JSON.stringify(callinaEvent({event: 'escalation.requested', reason: 'caller_request', intent: undefined, params: undefined}));
    const id = shop.hookId;
    const paths = [
      `/callina/${id}`,
      `/CALLINA/${id}`,
      `/Callina/${id}`,
      `/callina/${id}/`,
      `/callina/${id}/extra`,
      `//callina/${id}`,
      `/%63allina/${id}`,
      `/%43ALLINA/${id}`,
      `/callina/${id}%2F`,
      `/callina/${id.toUpperCase()}`,
      `/./callina/${id}`,
      `/hooks/${id}`,
      `/${id}`,
    ];
    for (const path of paths) {
      await send('POST', path, body);
      await send('GET', path);
    }
    expect(await send('POST', `/callina/${id}`, body)).toBe(200);
    // One line per request, each naming some path, none the hook id.
    const requestLines = app.logs.map((line) => JSON.parse(line)).filter((line) => line.msg === 'request');
    expect(requestLines).toHaveLength(paths.length * 2 + 1);
    expect(requestLines.every((line) => typeof line.path === 'string')).toBe(true);
    expect(requestLines.at(-1)).toMatchObject({path: '/callina/:hookId', status: 200});
    expect(hookIdInLogs()).toEqual([]);
  });

  it('keeps the hook id out of the error line when a Callina request fails inside', async () => {
    // With the database gone, finding the shop throws: the error funnel logs it and answers 503 storage_unavailable.
    await app.storage.close();
    for (const path of [`/callina/${shop.hookId}`, `/CALLINA/${shop.hookId}`]) {
      expect(await send('POST', path, '{}')).toBe(path.startsWith('/callina') ? 503 : 404);
    }
    expect(app.logs.some((line) => line.includes('request failed'))).toBe(true);
    expect(hookIdInLogs()).toEqual([]);
  });

  it('does not log health probes, and logs other paths by their route', async () => {
    await send('GET', '/healthz');
    await send('GET', '/readyz');
    await send('GET', '/static/settings.js');
    const paths = app.logs.map((line) => JSON.parse(line)).filter((line) => line.msg === 'request').map((line) => line.path);
    expect(paths).toEqual(['/static/settings.js']);
  });
});
