import {pino} from 'pino';
import {describe, expect, it} from 'vitest';
import {LiveCall} from '../../src/callina/call-context.ts';
import type {ShopRecord} from '../../src/storage/storage.ts';

const shop = {shop: 'anna-demo.myshopify.com'} as ShopRecord;
const event = {event: 'silence.detected', call_id: 'call_live_1', occurred_at: '2026-12-03T08:00:00Z', context: {}} as const;

describe('a live call', () => {
  it('makes its logger on first use only, bound to the call id and shop, and keeps it', () => {
    const lines: string[] = [];
    let children = 0;
    const log = pino({base: undefined, onChild: () => children++}, {write: (line: string) => void lines.push(line)});
    const call = new LiveCall({event, shop, locale: 'en', deadline: 0}, log);
    expect(children).toBe(0); // most calls never log
    call.log.error('first');
    call.log.warn('second');
    expect(children).toBe(1);
    expect(lines.map((l) => JSON.parse(l) as unknown)).toMatchObject([
      {call_id: 'call_live_1', shop: 'anna-demo.myshopify.com', msg: 'first'},
      {call_id: 'call_live_1', shop: 'anna-demo.myshopify.com', msg: 'second'},
    ]);
  });

  it('carries what handlers read', () => {
    const call = new LiveCall({event, shop, locale: 'de-AT', deadline: 1234.5}, pino({level: 'silent'}));
    expect(call).toMatchObject({event, shop, locale: 'de-AT', deadline: 1234.5});
  });
});
