import {readFileSync} from 'node:fs';
import {gunzipSync} from 'node:zlib';
import {buildClientSchema, execute, parse, validate, type GraphQLSchema} from 'graphql';
import {beforeAll, describe, expect, it} from 'vitest';
import {SHOP_INFO_QUERY} from '../../src/shopify-app/shop-info.ts';

let schema: GraphQLSchema;

beforeAll(() => {
  const file = new URL('../fixtures/admin_schema_2025-01.json.gz', import.meta.url);
  schema = buildClientSchema(JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')).data);
});

describe('SHOP_INFO_QUERY against the real Admin schema (2025-01)', () => {
  it('is valid', () => {
    expect(validate(schema, parse(SHOP_INFO_QUERY)).map((e) => e.message)).toEqual([]);
  });

  it('skips shopLocales when the token lacks read_locales', async () => {
    const rootValue = {
      shop: {ianaTimezone: 'Europe/Vienna', billingAddress: {phone: '+43662275124'}},
      shopLocales: [{locale: 'de-AT', primary: true}],
    };
    const without = await execute({schema, document: parse(SHOP_INFO_QUERY), rootValue, variableValues: {withLocales: false}});
    expect(without.errors).toBeUndefined();
    expect(without.data).toEqual({shop: rootValue.shop});
    const withLocales = await execute({schema, document: parse(SHOP_INFO_QUERY), rootValue, variableValues: {withLocales: true}});
    expect(withLocales.data).toEqual(rootValue);
  });
});
