import {interceptShopifyGraphql, orderNode, orderQueryResponse} from '../fixtures/shopify-orders.ts';
import type {Storage} from '../../src/storage/storage.ts';
import {addShop, callinaEvent, postEvent} from './callina.ts';

/**
 * One ordinary lookup on a shop of its own, then the log emptied: a test of
 * the budget is about a running service, not about loading its modules
 * (fetch loads undici, the first answer loads Intl data). Its own file, as
 * it loads nock (test/faults/slow-clients.test.ts must not).
 */
export async function warmUpCallPath(app: {url: string; storage: Storage; logs: string[]}): Promise<void> {
  const shop = await addShop(app.storage, {shop: 'warm-up.myshopify.com', accessToken: 'shpat_warm_up_0000000000000000000000'});
  interceptShopifyGraphql([[200, orderQueryResponse({orders: [orderNode({name: '#1000'})]})]], shop.shop);
  const res = await postEvent(app.url, shop, callinaEvent({params: {order_number: '1000'}}));
  if (res.status !== 200) throw new Error(`warm-up call failed with ${res.status}`);
  app.logs.length = 0;
}
