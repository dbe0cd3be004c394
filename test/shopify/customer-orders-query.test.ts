import {readFileSync} from 'node:fs';
import {gunzipSync} from 'node:zlib';
import {buildClientSchema, execute, getVariableValues, parse, validate, visit, type GraphQLSchema, type OperationDefinitionNode} from 'graphql';
import {beforeAll, describe, expect, test} from 'vitest';
import {
  CUSTOMER_ORDERS_BY_PHONE_QUERY,
  emailSearchQuery,
  ORDERS_BY_EMAIL_QUERY,
  phoneSearchQuery,
} from '../../src/shopify/customer-orders-query.ts';
import {callerOrder, customerNode, customersByPhoneResponse, ordersByEmailResponse} from '../fixtures/shopify-customers.ts';

let schema: GraphQLSchema;

beforeAll(() => {
  const file = new URL('../fixtures/admin_schema_2025-01.json.gz', import.meta.url);
  schema = buildClientSchema(JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')).data);
});

/** Every selected field as a dotted path. */
function selectedPaths(source: string): string[] {
  const paths: string[] = [];
  const stack: string[] = [];
  visit(parse(source), {
    Field: {
      enter(node) {
        stack.push(node.name.value);
        paths.push(stack.join('.'));
      },
      leave() {
        stack.pop();
      },
    },
  });
  return paths;
}

describe.each([
  ['CUSTOMER_ORDERS_BY_PHONE_QUERY', CUSTOMER_ORDERS_BY_PHONE_QUERY, phoneSearchQuery('+43660123456789'), customersByPhoneResponse([customerNode(1, '+43660123456789', [callerOrder()])])],
  ['ORDERS_BY_EMAIL_QUERY', ORDERS_BY_EMAIL_QUERY, emailSearchQuery('maria.steinhauser@example.at'), ordersByEmailResponse([callerOrder({email: 'maria.steinhauser@example.at'})])],
])('%s against the real Admin schema (2025-01)', (_name, source, query, response) => {
  const document = parse(source);
  const operation = document.definitions[0] as OperationDefinitionNode;

  test('is valid', () => {
    expect(validate(schema, document).map((e) => e.message)).toEqual([]);
  });

  test('takes the search as its only variable, which coerces', () => {
    expect(operation.variableDefinitions?.map((v) => v.variable.name.value)).toEqual(['query']);
    const result = getVariableValues(schema, operation.variableDefinitions ?? [], {query});
    expect(result.errors?.map((e) => e.message)).toBeUndefined();
    expect(source).not.toMatch(/@|\+43/);
  });

  test('executes over the fixture payload', async () => {
    const result = await execute({schema, document, rootValue: response.data, variableValues: {query}});
    expect(result.errors?.map((e) => e.message)).toBeUndefined();
    expect(result.data).toEqual(response.data);
  });

  test('selects no name, address, item, amount or payment detail of the customer', () => {
    const leaves = selectedPaths(source).map((p) => p.split('.').at(-1)!);
    for (const forbidden of ['firstName', 'lastName', 'displayName', 'defaultAddress', 'addresses', 'shippingAddress', 'billingAddress', 'lineItems', 'totalPriceSet', 'amountSpent', 'note']) {
      expect(leaves).not.toContain(forbidden);
    }
    // The only protected data read: the customer's phone (by phone) or the order's e-mail (by e-mail), each checked in code.
    const protectedLeaves = leaves.filter((l) => l === 'phone' || l === 'email');
    expect(protectedLeaves).toEqual(source === CUSTOMER_ORDERS_BY_PHONE_QUERY ? ['phone'] : ['email']);
  });
});

test('the newest orders come first and phone is searched on customers, never on orders', () => {
  expect(CUSTOMER_ORDERS_BY_PHONE_QUERY).toMatch(/customers\(first: \d+, query: \$query\)/);
  expect(CUSTOMER_ORDERS_BY_PHONE_QUERY).toMatch(/orders\(first: \d+, sortKey: CREATED_AT, reverse: true\)/);
  expect(ORDERS_BY_EMAIL_QUERY).toMatch(/orders\(first: \d+, query: \$query, sortKey: CREATED_AT, reverse: true\)/);
});

describe('search values', () => {
  test('quote the phone and the e-mail (the e-mail field is tokenized)', () => {
    expect(phoneSearchQuery('+43660123456789')).toBe('phone:"+43660123456789"');
    expect(emailSearchQuery('maria.steinhauser@example.at')).toBe('email:"maria.steinhauser@example.at"');
    expect(emailSearchQuery('a"b\\c@example.at')).toBe('email:"a\\"b\\\\c@example.at"');
  });

  test('refuse a phone that is not E.164', () => {
    expect(() => phoneSearchQuery('0660 123456')).toThrow(TypeError);
    expect(() => phoneSearchQuery('+43" OR phone:*')).toThrow(TypeError);
  });
});
