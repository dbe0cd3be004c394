import {describe, expect, it} from 'vitest';
import type {OrderStatus} from '../../src/orders/order-status.ts';
import {renderOrderStatusOnce} from '../../src/speech/render-memo.ts';
import {renderOrderStatus, type RenderOptions} from '../../src/speech/render-order.ts';
import {DAY, daysFromNow, NOW, order, parcel} from './speech-fixtures.ts';

/** Orders whose words turn on the calendar: estimates ahead and passed, deliveries, lateness, cancellation. */
const ORDERS: [string, OrderStatus][] = [
  ['in transit, due tomorrow', order({shipments: [parcel()]})],
  ['due in four days', order({shipments: [{...parcel(), estimatedDeliveryAt: daysFromNow(4)}]})],
  ['estimate passed', order({shipments: [{...parcel({shippedAt: daysFromNow(-5)}), estimatedDeliveryAt: daysFromNow(-1)}]})],
  ['delivered today', order({shipments: [{...parcel(), state: 'delivered', deliveredAt: NOW}]})],
  ['not shipped, placed two days ago', order({fulfillment: 'unfulfilled', createdAt: daysFromNow(-2)})],
  ['cancelled yesterday', order({cancelledAt: daysFromNow(-1), fulfillment: 'unfulfilled', payment: 'refunded'})],
  ['shipped a moment "after now" (clock skew)', order({shipments: [parcel({shippedAt: new Date(NOW.getTime() + 3 * 3_600_000)})]})],
];
/** Whole-hour, half-hour and quarter-hour offsets, and a zone where the date line is near. */
const ZONES = ['Europe/Vienna', 'America/New_York', 'Asia/Kathmandu', 'Pacific/Chatham'];

describe('rendering each cached order once per day and options', () => {
  it('says exactly what a fresh rendering says, asked every 37 minutes for five days with the same order objects', () => {
    let compared = 0;
    for (let t = NOW.getTime() - 2 * DAY; t < NOW.getTime() + 3 * DAY; t += 37 * 60_000) {
      for (const [, status] of ORDERS) {
        for (const timeZone of ZONES) {
          for (const variant of [{locale: 'en', verified: false}, {locale: 'de-AT', verified: true, stale: true, canTransfer: true}] as const) {
            const opts: RenderOptions = {timeZone, now: new Date(t), spokenName: status.name, ...variant};
            expect(renderOrderStatusOnce(status, opts)).toBe(renderOrderStatus(status, opts));
            compared++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(10_000);
  });

  it('renders anew when an option changes, and again when it changes back', () => {
    // Late, with a tracking number and unpaid: contact, verification and staleness all show in the words.
    const status = order({payment: 'pending', shipments: [{...parcel({shippedAt: daysFromNow(-5)}), estimatedDeliveryAt: daysFromNow(-1), trackingLast4: '4711'}]});
    const base: RenderOptions = {locale: 'en', timeZone: 'Europe/Vienna', now: NOW, spokenName: status.name, verified: false};
    const variants: Partial<RenderOptions>[] = [
      {}, {locale: 'de-DE'}, {spokenName: '#999'}, {canTransfer: true}, {contactHint: 'hello@shop.at'}, {stale: true},
      {placed: 'on 3 May'}, {verified: true}, {now: new Date(NOW.getTime() + DAY)}, {},
    ];
    const said = variants.map((v) => renderOrderStatusOnce(status, {...base, ...v}));
    expect(said).toEqual(variants.map((v) => renderOrderStatus(status, {...base, ...v})));
    expect(new Set(said).size).toBe(variants.length - 1); // the variants do change the words
  });
});
