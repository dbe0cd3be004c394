/**
 * One real service process (src/server.ts) whose Shopify is answered by
 * nock inside the same process, for tests that run several instances.
 * The parent steers the simulated orders over IPC and is told about every
 * request Shopify received.
 */
import nock from 'nock';
import {fulfillmentNode, orderNode, orderQueryResponse} from '../fixtures/shopify-orders.ts';

type OrderState = 'in_transit' | 'delivered';
let state: OrderState = 'in_transit';
let tokens = 0;
const send = (message: object) => process.send?.(message);

process.on('message', (message: {type: string; state?: OrderState}) => {
  if (message.type === 'set-order' && message.state) state = message.state;
  send({type: 'ack'});
});

nock.disableNetConnect();
nock.enableNetConnect(/127\.0\.0\.1|localhost/);
const shopify = nock(/\.myshopify\.com/).persist();

shopify.post(/\/admin\/api\/[^/]+\/graphql\.json$/).reply(async (request: Request) => {
  const {variables} = (await request.json()) as {variables: {query: string}};
  const key = /(\d+)"?$/.exec(variables.query)?.[1] ?? '0';
  send({type: 'graphql', key, token: request.headers.get('x-shopify-access-token')});
  const fulfillment =
    state === 'delivered'
      ? fulfillmentNode({displayStatus: 'DELIVERED', deliveredAt: new Date(Date.now() - 3_600_000).toISOString()})
      : fulfillmentNode({displayStatus: 'IN_TRANSIT', createdAt: new Date(Date.now() - 86_400_000).toISOString(), estimatedDeliveryAt: null});
  const body = orderQueryResponse({orders: [orderNode({id: `gid://shopify/Order/9${key}`, name: `#${key}`, fulfillments: [fulfillment]})]});
  return [200, JSON.stringify(body), {'Content-Type': 'application/json'}];
});

shopify.post('/admin/oauth/access_token').reply(async () => {
  const n = ++tokens;
  send({type: 'token'});
  // Slow enough that a second instance arrives while the first refresh is under way.
  await new Promise((resolve) => setTimeout(resolve, 150));
  const body = {
    access_token: `shpat_refreshed_${process.pid}_${n}`,
    scope: 'read_orders,read_locales',
    expires_in: 3599,
    refresh_token: `shprt_refreshed_${process.pid}_${n}`,
    refresh_token_expires_in: 7_775_999,
  };
  return [200, JSON.stringify(body), {'Content-Type': 'application/json'}];
});

await import('../../src/server.ts');
