import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import {routeShopifyRequests} from '../../src/shopify/connections.ts';

export interface LoopbackShopify {
  server: Server;
  close(): Promise<void>;
}

/**
 * A Shopify stand-in on a loopback port for tests that need real sockets
 * (connection counts, the transport itself): requests for `shopOrigin`
 * ("https://<shop>") reach it through the service's own pool. `answer`
 * gets each request with its body read.
 */
export async function startLoopbackShopify(
  shopOrigin: string,
  answer: (req: IncomingMessage, body: string, res: ServerResponse) => void | Promise<void>,
): Promise<LoopbackShopify> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk));
    req.on('end', () => void answer(req, body, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as {port: number};
  const unroute = routeShopifyRequests((origin) => (origin === shopOrigin ? `http://127.0.0.1:${port}` : origin));
  return {
    server,
    async close() {
      unroute();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
