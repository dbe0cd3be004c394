import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {addShop, callinaEvent, postEvent, sign} from '../helpers/callina.ts';
import {startTestApp, type TestApp} from '../helpers/test-app.ts';
import {rotateSigningSecret} from '../../src/shops/shop-registry.ts';
import type {ShopRecord} from '../../src/storage/storage.ts';

let app: TestApp;
let shop: ShopRecord;

beforeAll(async () => {
  app = await startTestApp();
  shop = await addShop(app.storage, {storePhone: '+43662275124'});
});
afterAll(() => app.close());

const escalation = () => callinaEvent({event: 'escalation.requested', reason: 'caller_request', intent: undefined, params: undefined});

describe('signature', () => {
  it.each(['sha256=hex', 'hex', 'base64'] as const)('accepts the %s form', async (form) => {
    const res = await postEvent(app.url, shop, escalation(), {form});
    expect(res.status).toBe(200);
    expect(res.json.next_action).toBe('transfer');
  });

  it('accepts base64url and upper-case hex too', async () => {
    const raw = JSON.stringify(escalation());
    const b64url = sign(raw, shop.secret, 'base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=$/, '');
    expect((await postEvent(app.url, shop, raw, {signature: b64url})).status).toBe(200);
    expect((await postEvent(app.url, shop, raw, {signature: sign(raw, shop.secret).toUpperCase()})).status).toBe(200);
  });

  it('checks the raw bytes: the same JSON re-serialised differently no longer matches', async () => {
    const raw = JSON.stringify(escalation());
    const spaced = JSON.stringify(JSON.parse(raw), null, 2);
    const res = await postEvent(app.url, shop, spaced, {signature: sign(raw, shop.secret)});
    expect(res.status).toBe(401);
    expect(res.json).toEqual({error: 'invalid_signature', message: expect.stringContaining('does not match')});
  });

  it('refuses a tampered body', async () => {
    const raw = JSON.stringify(escalation());
    const tampered = raw.replace('caller_request', 'caller_requesx');
    expect((await postEvent(app.url, shop, tampered, {signature: sign(raw, shop.secret)})).status).toBe(401);
  });

  it('refuses a wrong secret, a missing header and a header that is no digest', async () => {
    const body = escalation();
    expect((await postEvent(app.url, shop, body, {secret: 'not-the-shops-secret'})).status).toBe(401);
    const missing = await postEvent(app.url, shop, body, {signature: null});
    expect(missing.status).toBe(401);
    expect(missing.json.message).toMatch(/missing/);
    expect((await postEvent(app.url, shop, body, {signature: 'sha256=xyz'})).json.message).toMatch(/not a SHA-256 digest/);
  });

  it('never echoes the secret or the expected digest', async () => {
    const res = await postEvent(app.url, shop, escalation(), {secret: 'wrong-secret-123456'});
    expect(res.text).not.toContain(shop.secret);
    expect(res.text).not.toContain(sign(JSON.stringify(escalation()), shop.secret).slice(7, 20));
  });
});

describe('secret rotation', () => {
  it('accepts the previous secret during the grace period and refuses it after', async () => {
    const other = await addShop(app.storage, {shop: 'rotating.myshopify.com'});
    const rotated = (await rotateSigningSecret(app.storage, other.shop, 60_000))!;
    expect(rotated.secret).not.toBe(other.secret);
    expect((await postEvent(app.url, rotated, escalation(), {secret: other.secret})).status).toBe(200);
    expect((await postEvent(app.url, rotated, escalation(), {secret: rotated.secret})).status).toBe(200);

    const expired = (await rotateSigningSecret(app.storage, other.shop, -1))!;
    expect((await postEvent(app.url, expired, escalation(), {secret: rotated.secret})).status).toBe(401);
    expect((await postEvent(app.url, expired, escalation(), {secret: other.secret})).status).toBe(401);
    expect((await postEvent(app.url, expired, escalation(), {secret: expired.secret})).status).toBe(200);
  });
});

describe('replay window', () => {
  it.each([
    ['6 minutes old', -6 * 60_000],
    ['6 minutes in the future', 6 * 60_000],
  ])('refuses an event %s', async (_label, offset) => {
    const res = await postEvent(app.url, shop, callinaEvent({occurred_at: new Date(Date.now() + offset).toISOString()}));
    expect(res.status).toBe(401);
    expect(res.json.error).toBe('stale_event');
  });

  it('accepts an event 4 minutes old, with an offset time zone', async () => {
    const t = new Date(Date.now() - 4 * 60_000);
    const vienna = new Date(t.getTime() + 3_600_000).toISOString().replace('Z', '+01:00');
    const res = await postEvent(app.url, shop, {...escalation(), occurred_at: vienna});
    expect(res.status).toBe(200);
  });
});

describe('error codes', () => {
  it('404 for an unknown hook id, before reading anything', async () => {
    const res = await postEvent(app.url, {...shop, hookId: 'AAAAAAAAAAAAAAAAAAAAAAAA'}, escalation());
    expect(res.status).toBe(404);
    expect(res.json).toEqual({error: 'unknown_hook', message: expect.any(String)});
    expect((await postEvent(app.url, {...shop, hookId: '..%2f..'}, escalation())).status).toBe(404);
  });

  it('413 for a body over 64 KiB, even when signed', async () => {
    const body = JSON.stringify({...escalation(), padding: 'x'.repeat(65 * 1024)});
    const res = await postEvent(app.url, shop, body);
    expect(res.status).toBe(413);
    expect(res.json.error).toBe('payload_too_large');
  });

  it('accepts a body just under 64 KiB', async () => {
    const base = JSON.stringify({...escalation(), padding: ''});
    const body = JSON.stringify({...escalation(), padding: 'x'.repeat(64 * 1024 - base.length)});
    expect(Buffer.byteLength(body)).toBe(64 * 1024);
    expect((await postEvent(app.url, shop, body)).status).toBe(200);
  });

  it('415 when the body is not declared as JSON', async () => {
    const res = await postEvent(app.url, shop, escalation(), {contentType: 'text/plain'});
    expect(res.status).toBe(415);
    expect(res.json.error).toBe('unsupported_media_type');
  });

  it('400 for signed bytes that are not JSON or not UTF-8', async () => {
    expect((await postEvent(app.url, shop, '{"event": "intent.detected",')).json.error).toBe('malformed_json');
    const latin1 = Buffer.from('{"event":"silence.detected","x":"\xe4"}', 'latin1');
    const res = await postEvent(app.url, shop, latin1);
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('malformed_json');
  });

  it.each([
    ['missing call_id', {call_id: undefined}, 'call_id'],
    ['occurred_at not a date', {occurred_at: 'yesterday'}, 'occurred_at'],
    ['event not a string', {event: 42}, 'event'],
  ])('400 for an envelope with %s, naming the field but not echoing personal data', async (_l, patch, field) => {
    const body = {...callinaEvent(), ...patch};
    const res = await postEvent(app.url, shop, body);
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('invalid_event');
    expect(res.json.message).toContain(field);
    expect(res.text).not.toContain('Steinhauser');
    expect(res.text).not.toContain('660123456789');
  });

  it('400 for a JSON array or string instead of an object', async () => {
    expect((await postEvent(app.url, shop, '[1,2]')).json.error).toBe('invalid_event');
    expect((await postEvent(app.url, shop, '"hi"')).json.error).toBe('invalid_event');
  });

  it('405 with a JSON body for GET', async () => {
    const res = await fetch(`${app.url}/callina/${shop.hookId}`);
    expect(res.status).toBe(405);
    expect(await res.json()).toMatchObject({error: 'method_not_allowed'});
  });

  it('keeps serving after each bad request', async () => {
    const res = await postEvent(app.url, shop, escalation());
    expect(res.status).toBe(200);
    expect(await app.storage.getShop(shop.shop)).toMatchObject({secret: shop.secret, storePhone: '+43662275124'});
  });
});

describe('events', () => {
  it('answers unknown events, intents and tools with a neutral continue', async () => {
    for (const body of [
      callinaEvent({event: 'call.started'}),
      callinaEvent({intent: 'book_appointment'}),
      callinaEvent({intent: 'constructor'}),
      callinaEvent({event: 'tool.invoked', tool: 'weather', intent: undefined}),
      callinaEvent({event: 'tool.invoked', tool: '__proto__', intent: undefined}),
    ]) {
      const res = await postEvent(app.url, shop, body);
      expect(res.status, JSON.stringify(body)).toBe(200);
      expect(res.json).toEqual({next_action: 'continue'});
    }
  });

  it('ignores unknown and malformed optional fields', async () => {
    const res = await postEvent(app.url, shop, {
      ...escalation(),
      reason: 42,
      confidence: 'very',
      extra: {nested: true},
      context: {caller_phone: 12345, unknown: 'x'},
    });
    expect(res.status).toBe(200);
    expect(res.json.next_action).toBe('transfer');
  });
});
