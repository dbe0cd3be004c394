import {describe, expect, it} from 'vitest';
import {relevantOrders} from '../../src/orders/caller-lookup.ts';
import type {OrderStatus, Shipment} from '../../src/orders/order-status.ts';
import type {CallerOrder} from '../../src/shopify/customer-orders-query.ts';

const NOW = new Date('2026-05-08T14:32:55Z');
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000);

function parcel(overrides: Partial<Shipment> = {}): Shipment {
  return {state: 'in_transit', shippedAt: daysAgo(2), inTransitAt: daysAgo(2), estimatedDeliveryAt: null, deliveredAt: null, carrier: 'DHL', quantity: 1, trackingLast4: '7890', ...overrides};
}

function found(name: string, createdDaysAgo: number, overrides: Partial<OrderStatus> = {}, updatedAt: Date | null = null): CallerOrder {
  const order: OrderStatus = {
    name, createdAt: daysAgo(createdDaysAgo), cancelledAt: null, fulfillment: 'fulfilled', payment: 'paid',
    totalQuantity: 1, shipments: [parcel()], phone: null, ...overrides,
  };
  return {order, updatedAt, customerId: '1'};
}

const names = (orders: OrderStatus[]) => orders.map((o) => o.name);

describe('relevantOrders: what a caller without a number most likely means', () => {
  it('keeps orders not yet delivered, however old, newest first', () => {
    const result = relevantOrders([found('#1', 40), found('#3', 1, {fulfillment: 'unfulfilled', shipments: []}), found('#2', 10)], NOW);
    expect(names(result)).toEqual(['#3', '#2', '#1']);
  });

  it('keeps what was delivered, picked up or cancelled within 14 days, drops what settled before', () => {
    const result = relevantOrders(
      [
        found('#delivered-3d', 9, {shipments: [parcel({state: 'delivered', deliveredAt: daysAgo(3)})]}),
        found('#delivered-20d', 25, {shipments: [parcel({state: 'delivered', deliveredAt: daysAgo(20)})]}),
        found('#picked-up-13d', 15, {shipments: [parcel({state: 'picked_up', deliveredAt: daysAgo(13)})]}),
        found('#cancelled-2d', 4, {cancelledAt: daysAgo(2), fulfillment: 'unfulfilled', shipments: []}),
        found('#cancelled-30d', 31, {cancelledAt: daysAgo(30), fulfillment: 'unfulfilled', shipments: []}),
        found('#refunded-long-ago', 50, {payment: 'refunded'}, daysAgo(40)),
      ],
      NOW,
    );
    expect(names(result)).toEqual(['#cancelled-2d', '#delivered-3d', '#picked-up-13d']);
  });

  it('counts a shipment without carrier tracking as settled once it left 14 days ago', () => {
    const untracked = (name: string, shipped: number) => found(name, shipped + 1, {shipments: [parcel({state: 'fulfilled', shippedAt: daysAgo(shipped)})]});
    expect(names(relevantOrders([untracked('#old', 20), untracked('#new', 5)], NOW))).toEqual(['#new']);
  });

  it('drops payment notes and tracking digits: caller ID proves too little for them', () => {
    const [order] = relevantOrders([found('#1', 2, {payment: 'authorized', phone: '+15551234567'})], NOW);
    expect(order).toMatchObject({payment: 'paid', phone: null});
    expect(order!.shipments.every((s) => s.trackingLast4 === null)).toBe(true);
  });
});
