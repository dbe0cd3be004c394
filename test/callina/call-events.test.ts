import {DatabaseSync} from 'node:sqlite';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {addShop, callinaEvent, postEvent} from '../helpers/callina.ts';
import {startTestApp, type TestApp} from '../helpers/test-app.ts';
import {phrase} from '../../src/speech/phrases.ts';
import {ANSWER_SLACK_MS} from '../helpers/answer-slack.ts';

let app: TestApp;
beforeEach(async () => {
  app = await startTestApp();
});
afterEach(() => app.close());

const escalation = (extra: Record<string, unknown> = {}) =>
  callinaEvent({event: 'escalation.requested', intent: undefined, params: undefined, reason: 'caller_request', ...extra});
const silence = (extra: Record<string, unknown> = {}) =>
  callinaEvent({event: 'silence.detected', intent: undefined, params: undefined, silence_ms: 9200, ...extra});

describe('escalation.requested', () => {
  it('transfers to the store phone in the caller\'s language and records the escalation', async () => {
    const shop = await addShop(app.storage, {storePhone: '+43662275124'});
    const res = await postEvent(app.url, shop, escalation());
    expect(res.status).toBe(200);
    expect(res.json).toEqual({say: 'Einen Moment bitte, ich verbinde Sie mit unserem Team.', next_action: 'transfer', transfer_to: '+43662275124'});

    const [event] = await app.storage.listCallEvents(shop.shop, {kinds: ['escalation']});
    expect(event).toMatchObject({callId: 'call_x1y2z3', kind: 'escalation', reason: 'caller_request', callerPhoneMasked: '+43**********89', result: 'transferred'});
  });

  it('without a store phone says so politely and continues: never a transfer to nowhere', async () => {
    const shop = await addShop(app.storage);
    const res = await postEvent(app.url, shop, escalation({context: {caller_phone: '+15551234567'}}));
    expect(res.json).toEqual({say: expect.stringContaining("can't put you through"), next_action: 'continue'});
    expect(res.json).not.toHaveProperty('transfer_to');
    expect(await app.storage.listCallEvents(shop.shop)).toHaveLength(1);
  });
});

describe('silence.detected', () => {
  it('records call id, time and silence length, and lets Anna continue', async () => {
    const shop = await addShop(app.storage);
    const occurredAt = new Date(Date.now() - 1000);
    const res = await postEvent(app.url, shop, silence({occurred_at: occurredAt.toISOString(), call_id: 'call_quiet'}));
    expect(res.json).toEqual({next_action: 'continue'});
    expect(await app.storage.listCallEvents(shop.shop, {kinds: ['silence']})).toEqual([
      {shop: shop.shop, callId: 'call_quiet', kind: 'silence', occurredAt, silenceMs: 9200, reason: null, callerPhoneMasked: '+43**********89', result: null},
    ]);
  });

  it('stores a retried event once', async () => {
    const shop = await addShop(app.storage);
    const body = silence();
    await postEvent(app.url, shop, body);
    await postEvent(app.url, shop, body);
    expect(await app.storage.listCallEvents(shop.shop)).toHaveLength(1);
  });

  it('keeps the silence even without silence_ms or a caller phone', async () => {
    const shop = await addShop(app.storage);
    await postEvent(app.url, shop, silence({silence_ms: undefined, context: undefined}));
    expect(await app.storage.listCallEvents(shop.shop)).toMatchObject([{silenceMs: null, callerPhoneMasked: null}]);
  });
});

describe('language', () => {
  it.each([
    ['an explicit language hint', {language: 'en', caller_phone: '+43660123456789'}, null, 'en'],
    ['a locale hint de_AT', {locale: 'de_AT', caller_phone: '+15551234567'}, 'en', 'de'],
    ['an Austrian number', {caller_phone: '+43660123456789'}, 'en', 'de'],
    ['a German number', {caller_phone: '+4915112345678'}, 'en', 'de'],
    ['a Swiss number', {caller_phone: '+41791234567'}, 'en', 'de'],
    ['a Liechtenstein number', {caller_phone: '+4237812345'}, 'en', 'de'],
    ['a US number in a German shop', {caller_phone: '+15551234567'}, 'de', 'en'],
    ['a withheld number in a German shop', {}, 'de', 'de'],
    ['an unspoken hint in a German shop', {language: 'fr'}, 'de', 'de'],
    ['nothing at all', {}, null, 'en'],
  ] as const)('%s', async (_label, context, shopDefault, expected) => {
    const shop = await addShop(app.storage, {storePhone: '+43662275124', defaultLanguage: shopDefault});
    const res = await postEvent(app.url, shop, escalation({context}));
    expect(res.json.say).toBe(expected === 'de' ? 'Einen Moment bitte, ich verbinde Sie mit unserem Team.' : 'Let me transfer you to our team.');
  });
});

describe('storage failing under silences and escalations', () => {
  it('keeps Anna\'s own answers, in time, logs the failure, and records again once storage is back', async () => {
    const withPhone = await addShop(app.storage, {storePhone: '+43662275124'});
    const noPhone = await addShop(app.storage, {shop: 'no-phone.myshopify.com'});
    // Break the real database underneath the running service.
    const db = new DatabaseSync(join(app.dataDir, 'test.sqlite'));
    db.exec('ALTER TABLE call_events RENAME TO call_events_gone');
    const inTime = (res: {status: number; ms: number}) => {
      expect(res.status).toBe(200);
      expect(res.ms).toBeLessThan(app.config.lookupBudgetMs + ANSWER_SLACK_MS);
    };

    // A silent caller: Anna just goes on, no apology, no transfer.
    const quiet = await postEvent(app.url, withPhone, silence());
    inTime(quiet);
    expect(quiet.json).toEqual({next_action: 'continue'});
    // A caller who asked for a person hears the escalation's own sentences, with or without a store phone.
    const transfer = await postEvent(app.url, withPhone, escalation());
    inTime(transfer);
    expect(transfer.json).toEqual({say: phrase('de-AT', 'transfer'), next_action: 'transfer', transfer_to: '+43662275124'});
    const noTransfer = await postEvent(app.url, noPhone, escalation({context: {language: 'en'}}));
    inTime(noTransfer);
    expect(noTransfer.json).toEqual({say: phrase('en', 'noTransfer'), next_action: 'continue'});
    expect(noTransfer.json.say).not.toBe(phrase('en', 'apology'));

    const requests = app.logs.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');
    expect(requests.map((l) => l.outcome)).toEqual(['not_recorded', 'transfer', 'no_store_phone']);
    const failures = app.logs.filter((l) => l.includes('could not record the call event'));
    expect(failures).toHaveLength(3);
    expect(failures.join('\n')).toContain('no such table');
    // A handler's lines carry the call and the shop they belong to.
    expect(failures.map((l) => JSON.parse(l))).toEqual(
      [withPhone, withPhone, noPhone].map((s) => expect.objectContaining({call_id: 'call_x1y2z3', shop: s.shop})),
    );
    expect(app.logs.join('\n')).not.toContain('660123456789');

    db.exec('ALTER TABLE call_events_gone RENAME TO call_events');
    db.close();
    expect((await postEvent(app.url, withPhone, silence({call_id: 'call_after'}))).json).toEqual({next_action: 'continue'});
    expect(await app.storage.listCallEvents(withPhone.shop)).toMatchObject([{callId: 'call_after', kind: 'silence'}]);
  });
});

describe('logs', () => {
  it('one line per request with call id, event, outcome, status and duration; caller masked, no name', async () => {
    const shop = await addShop(app.storage, {storePhone: '+43662275124'});
    await postEvent(app.url, shop, escalation({call_id: 'call_logged'}));
    const lines = app.logs.filter((l) => l.includes('call_logged')).map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({call_id: 'call_logged', event: 'escalation.requested', outcome: 'transfer', status: 200, caller: '+43**********89', path: '/callina/:hookId'});
    expect(typeof lines[0].ms).toBe('number');
    const all = app.logs.join('\n');
    expect(all).not.toContain('660123456789');
    expect(all).not.toContain('Steinhauser');
    expect(all).not.toContain(shop.hookId);
    expect(all).not.toContain(shop.secret);
  });
});

describe('health', () => {
  it('healthz says alive; readyz checks storage', async () => {
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${app.url}/readyz`);
    expect(await ready.json()).toEqual({status: 'ready'});
    await app.storage.close();
    const down = await fetch(`${app.url}/readyz`);
    expect(down.status).toBe(503);
  });
});
