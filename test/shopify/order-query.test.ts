import {readFileSync} from 'node:fs';
import {gunzipSync} from 'node:zlib';
import {
  buildClientSchema,
  execute,
  getVariableValues,
  Kind,
  parse,
  validate,
  visit,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import {beforeAll, describe, expect, test} from 'vitest';
import {
  normalizePhone,
  ORDER_LOOKUP_QUERY,
  orderLookupDataSchema,
  orderLookupVariables,
  orderSearchQuery,
  toOrderStatus,
  toShopSettings,
  trackingLast4,
} from '../../src/shopify/order-query.ts';
import {fulfillmentNode, orderNode, orderQueryResponse, shopNode} from '../fixtures/shopify-orders.ts';

let schema: GraphQLSchema;

beforeAll(() => {
  const file = new URL('../fixtures/admin_schema_2025-01.json.gz', import.meta.url);
  schema = buildClientSchema(JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')).data);
});

const document = parse(ORDER_LOOKUP_QUERY);
const operation = document.definitions[0] as OperationDefinitionNode;

describe('ORDER_LOOKUP_QUERY against the real Admin schema (2025-01)', () => {
  test('is valid', () => {
    expect(validate(schema, document).map((e) => e.message)).toEqual([]);
  });

  test.each([true, false])('its variables coerce for withPhone=%s', (withPhone) => {
    const result = getVariableValues(schema, operation.variableDefinitions ?? [], orderLookupVariables('1001', {prefix: '#', suffix: ''}, withPhone));
    expect(result.errors?.map((e) => e.message)).toBeUndefined();
    expect(result.coerced).toEqual({query: 'name:"#1001" OR name:"1001"', withPhone});
  });

  test.each([true, false])('executes over the fixture payload with withPhone=%s; phone only when asked', async (withPhone) => {
    const root = orderQueryResponse({orders: [orderNode({phone: '+43660123456789'})]}).data;
    const result = await execute({schema, document, rootValue: root, variableValues: orderLookupVariables('1001', {prefix: '#', suffix: ''}, withPhone)});
    expect(result.errors?.map((e) => e.message)).toBeUndefined();
    const node = (result.data as any).orders.nodes[0];
    expect(node.name).toBe('#1001');
    expect('phone' in node).toBe(withPhone);
    expect(orderLookupDataSchema.safeParse(result.data).success).toBe(true);
  });

  test('selects exactly the fields the answer needs (no customer, e-mail or address)', () => {
    const selected: string[] = [];
    const path: string[] = [];
    visit(document, {
      Field: {
        enter(node) {
          path.push(node.name.value);
          selected.push(path.join('.'));
        },
        leave() {
          path.pop();
        },
      },
    });
    expect(selected.sort()).toEqual(
      [
        'shop',
        'shop.ianaTimezone',
        'shop.orderNumberFormatPrefix',
        'shop.orderNumberFormatSuffix',
        'currentAppInstallation',
        'currentAppInstallation.accessScopes',
        'currentAppInstallation.accessScopes.handle',
        'orders',
        'orders.nodes',
        'orders.nodes.id',
        'orders.nodes.name',
        'orders.nodes.createdAt',
        'orders.nodes.cancelledAt',
        'orders.nodes.displayFulfillmentStatus',
        'orders.nodes.displayFinancialStatus',
        'orders.nodes.currentSubtotalLineItemsQuantity',
        'orders.nodes.phone',
        'orders.nodes.fulfillments',
        'orders.nodes.fulfillments.status',
        'orders.nodes.fulfillments.displayStatus',
        'orders.nodes.fulfillments.createdAt',
        'orders.nodes.fulfillments.estimatedDeliveryAt',
        'orders.nodes.fulfillments.inTransitAt',
        'orders.nodes.fulfillments.deliveredAt',
        'orders.nodes.fulfillments.totalQuantity',
        'orders.nodes.fulfillments.trackingInfo',
        'orders.nodes.fulfillments.trackingInfo.company',
        'orders.nodes.fulfillments.trackingInfo.number',
      ].sort(),
    );
  });

  test('the phone, protected customer data, is selected only under @include(if: $withPhone)', () => {
    const phones: string[] = [];
    visit(document, {
      Field(node) {
        if (node.name.value !== 'phone') return;
        const include = node.directives?.find((d) => d.name.value === 'include');
        const condition = include?.arguments?.[0]?.value;
        phones.push(condition?.kind === Kind.VARIABLE ? `@include(if: $${condition.name.value})` : 'unconditional');
      },
    });
    expect(phones).toEqual(['@include(if: $withPhone)']);
  });

  test('has no values spliced in: every argument that varies is a variable', () => {
    expect(ORDER_LOOKUP_QUERY).not.toMatch(/1001|name:/);
    expect(operation.variableDefinitions?.map((v) => v.variable.name.value)).toEqual(['query', 'withPhone']);
  });
});

describe('orderSearchQuery', () => {
  test('searches the name in the shop format and the bare number', () => {
    expect(orderSearchQuery('1001', {prefix: '#', suffix: ''})).toBe('name:"#1001" OR name:"1001"');
    expect(orderSearchQuery('12345', {prefix: 'ORD-', suffix: '-A'})).toBe('name:"ORD-12345-A" OR name:"12345"');
  });

  test('searches once when the format adds nothing', () => {
    expect(orderSearchQuery('1001', {prefix: '', suffix: ''})).toBe('name:"1001"');
  });

  test('escapes quotes and backslashes of a prefix inside the quoted value', () => {
    expect(orderSearchQuery('7', {prefix: 'A"B\\', suffix: ''})).toBe('name:"A\\"B\\\\7" OR name:"7"');
  });

  test('refuses a key that is not digits', () => {
    expect(() => orderSearchQuery('1001" OR name:*', {prefix: '#', suffix: ''})).toThrow(TypeError);
  });
});

describe('response schema and toOrderStatus', () => {
  const parseData = (body: {data: unknown}) => {
    const parsed = orderLookupDataSchema.safeParse(body.data);
    if (!parsed.success) throw new Error(parsed.error.message);
    return parsed.data;
  };

  test('maps a realistic order', () => {
    const data = parseData(orderQueryResponse());
    expect(toShopSettings(data.shop, data.currentAppInstallation)).toEqual({timeZone: 'Europe/Vienna', prefix: '#', suffix: '', readsAllOrders: false});
    expect(toOrderStatus(data.orders.nodes[0]!, {withPhone: false})).toEqual({
      name: '#1001',
      createdAt: new Date('2026-05-06T14:03:21Z'),
      cancelledAt: null,
      fulfillment: 'fulfilled',
      payment: 'paid',
      totalQuantity: 2,
      shipments: [
        {
          state: 'in_transit',
          shippedAt: new Date('2026-05-07T09:12:44Z'),
          inTransitAt: new Date('2026-05-07T18:40:02Z'),
          estimatedDeliveryAt: new Date('2026-05-11T16:00:00Z'),
          deliveredAt: null,
          carrier: 'DHL Express',
          quantity: 2,
          trackingLast4: '7890',
        },
      ],
      phone: null,
    });
  });

  test('issue 10, false advice: read_all_orders among the granted scopes is known; a missing answer is "unknown", never a failure', () => {
    const granted = parseData(orderQueryResponse({scopes: ['read_orders', 'read_all_orders']}));
    expect(toShopSettings(granted.shop, granted.currentAppInstallation).readsAllOrders).toBe(true);
    const {currentAppInstallation: _, ...withoutScopes} = orderQueryResponse().data;
    const unknown = parseData({data: withoutScopes});
    expect(toShopSettings(unknown.shop, unknown.currentAppInstallation).readsAllOrders).toBeNull();
    const odd = parseData({data: {...withoutScopes, currentAppInstallation: {accessScopes: 'all'}}});
    expect(toShopSettings(odd.shop, odd.currentAppInstallation).readsAllOrders).toBeNull();
  });

  test('issue 10, dates: inTransitAt (the carrier has it) is kept apart from the label date', () => {
    const data = parseData(orderQueryResponse({orders: [orderNode({fulfillments: [fulfillmentNode({displayStatus: 'LABEL_PRINTED', inTransitAt: null})]})]}));
    const [parcel] = toOrderStatus(data.orders.nodes[0]!, {withPhone: false}).shipments;
    expect(parcel).toMatchObject({state: 'label_created', shippedAt: new Date('2026-05-07T09:12:44Z'), inTransitAt: null});
  });

  test('unknown and newer enum values parse and become unknown (or their mapping)', () => {
    const data = parseData(
      orderQueryResponse({
        orders: [
          orderNode({
            displayFulfillmentStatus: 'FULFILLMENT_NOT_REQUIRED',
            displayFinancialStatus: 'SOMETHING_NEW',
            fulfillments: [fulfillmentNode({displayStatus: 'TELEPORTED'}), fulfillmentNode({displayStatus: null, createdAt: '2026-05-08T00:00:00Z'})],
          }),
          orderNode({name: '#1002', displayFulfillmentStatus: 'QUANTUM', displayFinancialStatus: null}),
          orderNode({name: '#1003', displayFulfillmentStatus: 'constructor', displayFinancialStatus: '__proto__'}),
        ],
      }),
    );
    const [a, b, c] = data.orders.nodes.map((n) => toOrderStatus(n, {withPhone: false}));
    expect(a!.fulfillment).toBe('not_required');
    expect(a!.payment).toBe('unknown');
    expect(a!.shipments.map((s) => s.state)).toEqual(['unknown', 'unknown']);
    expect([b!.fulfillment, b!.payment]).toEqual(['unknown', 'unknown']);
    expect([c!.fulfillment, c!.payment]).toEqual(['unknown', 'unknown']);
  });

  test.each([
    ['UNFULFILLED', 'unfulfilled'],
    ['PARTIALLY_FULFILLED', 'partially_fulfilled'],
    ['PENDING_FULFILLMENT', 'pending'],
    ['IN_PROGRESS', 'in_progress'],
    ['ON_HOLD', 'on_hold'],
    ['SCHEDULED', 'scheduled'],
    ['RESTOCKED', 'restocked'],
    ['REQUEST_DECLINED', 'request_declined'],
    ['OPEN', 'open'],
  ])('displayFulfillmentStatus %s → %s', (value, expected) => {
    const data = parseData(orderQueryResponse({orders: [orderNode({displayFulfillmentStatus: value})]}));
    expect(toOrderStatus(data.orders.nodes[0]!, {withPhone: false}).fulfillment).toBe(expected);
  });

  test.each([
    ['LABEL_PRINTED', 'label_created'],
    ['LABEL_PURCHASED', 'label_created'],
    ['MARKED_AS_FULFILLED', 'fulfilled'],
    ['OUT_FOR_DELIVERY', 'out_for_delivery'],
    ['ATTEMPTED_DELIVERY', 'attempted_delivery'],
    ['DELIVERED', 'delivered'],
    ['READY_FOR_PICKUP', 'ready_for_pickup'],
    ['PICKED_UP', 'picked_up'],
    ['FAILURE', 'failure'],
  ])('fulfillment displayStatus %s → %s', (value, expected) => {
    const data = parseData(orderQueryResponse({orders: [orderNode({fulfillments: [fulfillmentNode({displayStatus: value})]})]}));
    expect(toOrderStatus(data.orders.nodes[0]!, {withPhone: false}).shipments[0]!.state).toBe(expected);
  });

  test('cancelled and failed fulfillments are no shipments; the rest come oldest first', () => {
    const data = parseData(
      orderQueryResponse({
        orders: [
          orderNode({
            displayFulfillmentStatus: 'PARTIALLY_FULFILLED',
            fulfillments: [
              fulfillmentNode({createdAt: '2026-05-09T10:00:00Z', displayStatus: 'DELIVERED', deliveredAt: '2026-05-10T11:00:00Z', trackingInfo: [{company: 'UPS', number: '1Z 999 AA1 01 2345 6784'}]}),
              fulfillmentNode({status: 'CANCELLED', displayStatus: 'CANCELED', createdAt: '2026-05-06T10:00:00Z'}),
              fulfillmentNode({status: 'SUCCESS', displayStatus: 'CANCELED', createdAt: '2026-05-06T11:00:00Z'}),
              fulfillmentNode({status: 'ERROR', displayStatus: null, createdAt: '2026-05-06T12:00:00Z'}),
              fulfillmentNode({createdAt: '2026-05-07T10:00:00Z', trackingInfo: []}),
            ],
          }),
        ],
      }),
    );
    const status = toOrderStatus(data.orders.nodes[0]!, {withPhone: false});
    expect(status.shipments.map((s) => [s.state, s.shippedAt.toISOString(), s.carrier, s.trackingLast4])).toEqual([
      ['in_transit', '2026-05-07T10:00:00.000Z', null, null],
      ['delivered', '2026-05-09T10:00:00.000Z', 'UPS', '6784'],
    ]);
    expect(status.shipments[1]!.deliveredAt).toEqual(new Date('2026-05-10T11:00:00Z'));
  });

  test('a cancelled order keeps its cancellation time', () => {
    const data = parseData(orderQueryResponse({orders: [orderNode({cancelledAt: '2026-05-06T15:00:00Z', displayFinancialStatus: 'REFUNDED', fulfillments: []})]}));
    const status = toOrderStatus(data.orders.nodes[0]!, {withPhone: false});
    expect(status.cancelledAt).toEqual(new Date('2026-05-06T15:00:00Z'));
    expect(status.payment).toBe('refunded');
    expect(status.shipments).toEqual([]);
  });

  test('phone is normalised, and only used when it was asked for', () => {
    const data = parseData(orderQueryResponse({orders: [orderNode({phone: '+43 660 123 456 789'})]}));
    expect(toOrderStatus(data.orders.nodes[0]!, {withPhone: true}).phone).toBe('+43660123456789');
    expect(toOrderStatus(data.orders.nodes[0]!, {withPhone: false}).phone).toBeNull();
  });

  test('an unreadable optional date counts as absent; a missing name or createdAt fails the parse', () => {
    const ok = orderLookupDataSchema.safeParse(orderQueryResponse({orders: [orderNode({fulfillments: [fulfillmentNode({estimatedDeliveryAt: 'soon'})]})]}).data);
    expect(ok.success && toOrderStatus(ok.data.orders.nodes[0]!, {withPhone: false}).shipments[0]!.estimatedDeliveryAt).toBeNull();
    const {name: _name, ...nameless} = orderNode();
    expect(orderLookupDataSchema.safeParse({shop: shopNode(), orders: {nodes: [nameless]}}).success).toBe(false);
    expect(orderLookupDataSchema.safeParse({shop: shopNode(), orders: {nodes: [orderNode({createdAt: 'yesterday'})]}}).success).toBe(false);
    expect(orderLookupDataSchema.safeParse({shop: shopNode()}).success).toBe(false);
  });

  test('an unknown time zone falls back to UTC instead of breaking speech later', () => {
    expect(toShopSettings(shopNode({ianaTimezone: 'Mars/Olympus_Mons'})).timeZone).toBe('UTC');
    expect(toShopSettings(shopNode({ianaTimezone: 'America/New_York'})).timeZone).toBe('America/New_York');
  });
});

describe('normalizePhone', () => {
  test.each([
    ['+43660123456789', '+43660123456789'],
    ['+43 660 123 456 789', '+43660123456789'],
    ['+1 (555) 010-2030', '+15550102030'],
    ['0043 660 123456789', '+43660123456789'],
    ['0043-660-123456789', '+43660123456789'],
    ['+49 30 1234567 ext. 12', '+49301234567'],
    ['+49 30 1234567 x12', '+49301234567'],
    ['0660 123456789', null], // national: no country code to be sure of
    ['555-0102', null],
    ['+0 123 456 789', null],
    ['+1234567', null], // too short
    ['+1234567890123456', null], // too long for E.164
    ['', null],
    [null, null],
    [undefined, null],
  ])('%j → %j', (raw, expected) => {
    expect(normalizePhone(raw)).toBe(expected);
  });
});

describe('trackingLast4', () => {
  test.each([
    ['1234567890', '7890'],
    ['1Z 999 AA1 01 2345 678x', '678X'],
    ['AB1', 'AB1'],
    ['   ', null],
    ['', null],
    [null, null],
  ])('%j → %j', (number, expected) => {
    expect(trackingLast4(number)).toBe(expected);
  });
});
