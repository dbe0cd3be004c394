import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {newHookId, registerShop, rotateSigningSecret} from '../../src/shops/shop-registry.ts';
import {ShopExistsError, type Storage} from '../../src/storage/storage.ts';

/**
 * What every Storage implementation must do. Run by each implementation's
 * test file with a factory that opens a fresh, empty store.
 */
export function storageContract(name: string, open: () => Promise<Storage>, cleanup: () => Promise<void> = async () => {}) {
  describe(`Storage contract: ${name}`, () => {
    let storage: Storage;
    beforeEach(async () => {
      storage = await open();
    });
    afterEach(async () => {
      await storage.close();
      await cleanup();
    });

    it('creates a shop with defaults and finds it by domain and by hook id', async () => {
      const created = await registerShop(storage, {shop: 'a.myshopify.com', storePhone: '+43662275124', defaultLanguage: 'de'});
      expect(created).toMatchObject({
        shop: 'a.myshopify.com', storePhone: '+43662275124', defaultLanguage: 'de', verification: 'none',
        previousSecret: null, previousSecretExpiresAt: null, timeZone: null, accessToken: null, connection: 'ok',
        orderNamePrefix: null, orderNameSuffix: null, contactHint: null,
      });
      expect(created.hookId).toMatch(/^[A-Za-z0-9_-]{24}$/);
      expect(await storage.getShop('a.myshopify.com')).toEqual(created);
      expect(await storage.getShopByHookId(created.hookId)).toEqual(created);
      expect(await storage.getShopByHookId(newHookId())).toBeUndefined();
      expect(await storage.getShop('b.myshopify.com')).toBeUndefined();
    });

    it('refuses a second shop with the same domain and leaves the first intact', async () => {
      const first = await registerShop(storage, {shop: 'a.myshopify.com', secret: 'first-secret-0123456789'});
      await expect(registerShop(storage, {shop: 'a.myshopify.com', secret: 'second-secret-0123456789'})).rejects.toBeInstanceOf(ShopExistsError);
      expect(await storage.getShop('a.myshopify.com')).toEqual(first);
    });

    it('updates only the fields given, and null clears', async () => {
      await registerShop(storage, {shop: 'a.myshopify.com', storePhone: '+43662275124', accessToken: 'shpat_token_1'});
      const updated = await storage.updateShop('a.myshopify.com', {verification: 'caller_phone', timeZone: 'Europe/Vienna', orderNamePrefix: 'A1-', orderNameSuffix: ''});
      expect(updated).toMatchObject({
        verification: 'caller_phone', timeZone: 'Europe/Vienna', orderNamePrefix: 'A1-', orderNameSuffix: '', storePhone: '+43662275124', accessToken: 'shpat_token_1',
      });
      const cleared = await storage.updateShop('a.myshopify.com', {storePhone: null, connection: 'needs_reconnect'});
      expect(cleared).toMatchObject({storePhone: null, connection: 'needs_reconnect', accessToken: 'shpat_token_1'});
      expect(await storage.updateShop('missing.myshopify.com', {storePhone: null})).toBeUndefined();
    });

    it('keeps the caller lookup switch (default on) and the customer data access (default unknown), refusing other values', async () => {
      const created = await registerShop(storage, {shop: 'a.myshopify.com'});
      expect(created).toMatchObject({callerLookup: 'on', customerAccess: 'unknown'});
      expect(await storage.updateShop('a.myshopify.com', {callerLookup: 'off', customerAccess: 'denied'})).toMatchObject({callerLookup: 'off', customerAccess: 'denied'});
      await expect(storage.updateShop('a.myshopify.com', {callerLookup: 'maybe' as never})).rejects.toThrow();
      await expect(storage.updateShop('a.myshopify.com', {customerAccess: 'sometimes' as never})).rejects.toThrow();
      expect(await storage.getShop('a.myshopify.com')).toMatchObject({callerLookup: 'off', customerAccess: 'denied'});
    });

    it('issue 10, contact hint: stored as given (umlauts too), created and cleared', async () => {
      const hint = 'Montag bis Freitag 9 bis 17 Uhr unter 0662 275124, grüß Gott';
      const created = await registerShop(storage, {shop: 'a.myshopify.com', contactHint: 'hello@shop.at'});
      expect(created.contactHint).toBe('hello@shop.at');
      expect((await storage.updateShop('a.myshopify.com', {contactHint: hint}))?.contactHint).toBe(hint);
      expect((await storage.getShopByHookId(created.hookId))?.contactHint).toBe(hint);
      expect((await storage.updateShop('a.myshopify.com', {verification: 'caller_phone'}))?.contactHint).toBe(hint);
      expect((await storage.updateShop('a.myshopify.com', {contactHint: null}))?.contactHint).toBeNull();
      expect((await registerShop(storage, {shop: 'b.myshopify.com'})).contactHint).toBeNull();
    });

    it('rotates a secret atomically: current becomes previous with its expiry', async () => {
      const before = await registerShop(storage, {shop: 'a.myshopify.com'});
      const after = (await rotateSigningSecret(storage, 'a.myshopify.com', 3_600_000, 'brand-new-secret-0123456789'))!;
      expect(after.secret).toBe('brand-new-secret-0123456789');
      expect(after.previousSecret).toBe(before.secret);
      expect(after.previousSecretExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 3_500_000);
      expect(after.hookId).toBe(before.hookId);
      expect(await rotateSigningSecret(storage, 'missing.myshopify.com', 1)).toBeUndefined();
    });

    it('moves shopsVersion with its own shop writes once each has run, so its shop cache never serves what it just changed', async () => {
      const seen = [storage.shopsVersion!()];
      const moved = () => {
        const now = storage.shopsVersion!();
        expect(seen).not.toContain(now);
        seen.push(now);
      };
      await registerShop(storage, {shop: 'a.myshopify.com'});
      moved();
      await storage.updateShop('a.myshopify.com', {storePhone: '+43662275124'});
      moved();
      await rotateSigningSecret(storage, 'a.myshopify.com', 1000);
      moved();
      await storage.deleteShop('a.myshopify.com');
      moved();
      // Other writes leave the shops' version alone.
      await storage.addToReport([{shop: 'b.myshopify.com', day: '2026-11-27', counts: {silences: 1}}]);
      expect(storage.shopsVersion!()).toBe(seen.at(-1));
    });

    it('lists shops in domain order', async () => {
      await registerShop(storage, {shop: 'b.myshopify.com'});
      await registerShop(storage, {shop: 'a.myshopify.com'});
      expect((await storage.listShops()).map((s) => s.shop)).toEqual(['a.myshopify.com', 'b.myshopify.com']);
    });

    it('records call events once, lists newest first, filters by kind and caller', async () => {
      await registerShop(storage, {shop: 'a.myshopify.com'});
      const base = {shop: 'a.myshopify.com', silenceMs: null, reason: null};
      await storage.recordCallEvent({...base, callId: 'c1', kind: 'silence', occurredAt: new Date(1000), silenceMs: 9000, callerPhone: '+43 660 1234567'});
      await storage.recordCallEvent({...base, callId: 'c1', kind: 'silence', occurredAt: new Date(1000), silenceMs: 9000, callerPhone: '+43 660 1234567'});
      await storage.recordCallEvent({...base, callId: 'c2', kind: 'escalation', occurredAt: new Date(2000), reason: 'low_confidence', callerPhone: '+4915112345678'});
      await storage.recordCallEvent({...base, callId: 'c3', kind: 'silence', occurredAt: new Date(3000), callerPhone: null});

      expect((await storage.listCallEvents('a.myshopify.com')).map((e) => e.callId)).toEqual(['c3', 'c2', 'c1']);
      expect((await storage.listCallEvents('a.myshopify.com', {kinds: ['escalation']})).map((e) => e.callId)).toEqual(['c2']);
      expect((await storage.listCallEvents('a.myshopify.com', {limit: 1})).map((e) => e.callId)).toEqual(['c3']);
      const byCaller = await storage.listCallEvents('a.myshopify.com', {callerPhone: '+436601234567'});
      expect(byCaller).toEqual([
        {shop: 'a.myshopify.com', callId: 'c1', kind: 'silence', occurredAt: new Date(1000), silenceMs: 9000, reason: null, callerPhoneMasked: '+43********67', result: null},
      ]);
    });

    it('records where an escalation went', async () => {
      await registerShop(storage, {shop: 'a.myshopify.com'});
      const escalation = (callId: string, at: number, result: 'transferred' | 'after_hours' | 'nowhere') =>
        storage.recordCallEvent({shop: 'a.myshopify.com', callId, kind: 'escalation', occurredAt: new Date(at), silenceMs: null, reason: 'caller_request', callerPhone: null, result});
      await escalation('c1', 1000, 'transferred');
      await escalation('c2', 2000, 'after_hours');
      await escalation('c3', 3000, 'nowhere');
      expect((await storage.listCallEvents('a.myshopify.com')).map((e) => [e.callId, e.result])).toEqual([['c3', 'nowhere'], ['c2', 'after_hours'], ['c1', 'transferred']]);
    });

    it('keeps business hours, closed dates and the after-hours phone; null and [] clear them', async () => {
      const created = await registerShop(storage, {shop: 'a.myshopify.com', storePhone: '+43662275124'});
      expect(created).toMatchObject({businessHours: null, closedDates: [], afterHoursPhone: null});
      const weekly = [[{start: 540, end: 1020}], [{start: 540, end: 1020}], [], [], [{start: 1320, end: 120}], [{start: 600, end: 780}], []];
      const updated = await storage.updateShop('a.myshopify.com', {businessHours: weekly, closedDates: ['2026-12-24', '2026-12-25'], afterHoursPhone: '+436641234567'});
      expect(updated).toMatchObject({businessHours: weekly, closedDates: ['2026-12-24', '2026-12-25'], afterHoursPhone: '+436641234567', storePhone: '+43662275124'});
      expect(await storage.getShop('a.myshopify.com')).toEqual(updated);
      const never = await storage.updateShop('a.myshopify.com', {businessHours: [[], [], [], [], [], [], []]});
      expect(never!.businessHours).toEqual([[], [], [], [], [], [], []]);
      const cleared = await storage.updateShop('a.myshopify.com', {businessHours: null, closedDates: [], afterHoursPhone: null});
      expect(cleared).toMatchObject({businessHours: null, closedDates: [], afterHoursPhone: null});
    });

    it('adds report counts per shop and day, reads a range, purges old days and a deleted shop\'s', async () => {
      await registerShop(storage, {shop: 'a.myshopify.com'});
      await registerShop(storage, {shop: 'b.myshopify.com'});
      await storage.addToReport([
        {shop: 'a.myshopify.com', day: '2026-11-26', counts: {ordersFound: 2, silences: 1}},
        {shop: 'a.myshopify.com', day: '2026-11-27', counts: {ordersFound: 1}},
        {shop: 'a.myshopify.com', day: '2026-11-27', counts: {ordersFound: 1, fallbacks: 1}},
        {shop: 'b.myshopify.com', day: '2026-11-27', counts: {transfers: 3}},
        {shop: 'gone.myshopify.com', day: '2026-11-27', counts: {transfers: 3}},
      ]);
      await storage.addToReport([{shop: 'a.myshopify.com', day: '2026-11-27', counts: {afterHours: 1, noNumber: 2, ordersNotFound: 4, foundByCaller: 3}}]);
      await storage.addToReport([]);
      const zero = {ordersFound: 0, foundByCaller: 0, ordersNotFound: 0, noNumber: 0, fallbacks: 0, transfers: 0, afterHours: 0, silences: 0};
      expect(await storage.getReport('a.myshopify.com', '2026-11-01', '2026-11-30')).toEqual([
        {...zero, day: '2026-11-26', ordersFound: 2, silences: 1},
        {...zero, day: '2026-11-27', ordersFound: 2, fallbacks: 1, afterHours: 1, noNumber: 2, ordersNotFound: 4, foundByCaller: 3},
      ]);
      expect(await storage.getReport('a.myshopify.com', '2026-11-27', '2026-11-27')).toHaveLength(1);
      expect(await storage.getReport('gone.myshopify.com', '2026-11-01', '2026-11-30')).toEqual([]);

      expect(await storage.deleteReportBefore('2026-11-27')).toBe(1);
      expect((await storage.getReport('a.myshopify.com', '2026-11-01', '2026-11-30')).map((d) => d.day)).toEqual(['2026-11-27']);
      await storage.deleteShop('b.myshopify.com');
      expect(await storage.getReport('b.myshopify.com', '2026-11-01', '2026-11-30')).toEqual([]);
      // A re-installed shop starts from nothing.
      await registerShop(storage, {shop: 'b.myshopify.com'});
      expect(await storage.getReport('b.myshopify.com', '2026-11-01', '2026-11-30')).toEqual([]);
    });

    it('deletes one caller\'s events, old events, and everything of a deleted shop', async () => {
      await registerShop(storage, {shop: 'a.myshopify.com'});
      await registerShop(storage, {shop: 'b.myshopify.com'});
      const ev = (shop: string, callId: string, at: number, callerPhone: string | null) =>
        storage.recordCallEvent({shop, callId, kind: 'silence', occurredAt: new Date(at), silenceMs: null, reason: null, callerPhone});
      await ev('a.myshopify.com', 'c1', Date.now(), '+436601234567');
      await ev('a.myshopify.com', 'c2', Date.now(), '+4915112345678');
      await ev('b.myshopify.com', 'c3', Date.now(), '+436601234567');
      await ev('b.myshopify.com', 'old', Date.now() - 40 * 86_400_000, null);

      expect(await storage.deleteCallEventsByPhone('a.myshopify.com', '+43 660 1234567')).toBe(1);
      expect((await storage.listCallEvents('a.myshopify.com')).map((e) => e.callId)).toEqual(['c2']);
      expect((await storage.listCallEvents('b.myshopify.com')).map((e) => e.callId).sort()).toEqual(['c3', 'old']);

      expect(await storage.deleteCallEventsBefore(new Date(Date.now() - 30 * 86_400_000))).toBe(1);
      expect(await storage.deleteShop('b.myshopify.com')).toBe(true);
      expect(await storage.deleteShop('b.myshopify.com')).toBe(false);
      expect(await storage.getShop('b.myshopify.com')).toBeUndefined();
      expect(await storage.listCallEvents('b.myshopify.com')).toEqual([]);
      expect(await storage.getShop('a.myshopify.com')).toBeDefined();
    });

    it('answers ping while open', async () => {
      await expect(storage.ping()).resolves.toBeUndefined();
    });
  });
}
