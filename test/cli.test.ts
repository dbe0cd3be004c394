import {execFile} from 'node:child_process';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {openStorage} from '../src/storage/open-storage.ts';
import {captureLogger, tempDir, TEST_KEY} from './helpers/test-app.ts';

const exec = promisify(execFile);
let tmp: ReturnType<typeof tempDir>;
let env: Record<string, string>;

beforeEach(() => {
  tmp = tempDir();
  env = {
    PATH: process.env.PATH ?? '',
    DATABASE_URL: `sqlite:${join(tmp.dir, 'cli.sqlite')}`,
    ENCRYPTION_KEY: TEST_KEY,
    APP_URL: 'https://calls.example.com',
  };
});
afterEach(() => tmp.remove());

/** Runs the real CLI in a child process, as an operator would. */
async function cli(...args: string[]): Promise<{code: number; stdout: string; stderr: string; json: any}> {
  try {
    const {stdout, stderr} = await exec(process.execPath, ['src/cli.ts', ...args], {env});
    return {code: 0, stdout, stderr, json: JSON.parse(stdout)};
  } catch (error) {
    const e = error as {code: number; stdout: string; stderr: string};
    return {code: e.code, stdout: e.stdout, stderr: e.stderr, json: undefined};
  }
}

describe('operator CLI', () => {
  it('adds a shop with a generated secret and prints its webhook URL', async () => {
    const res = await cli('shops', 'add', '--shop', 'Anna-Demo.myshopify.com', '--phone', '+43 662 275124', '--language', 'de', '--access-token', 'shpat_0123456789abcdef');
    expect(res.code).toBe(0);
    expect(res.json).toMatchObject({
      shop: 'anna-demo.myshopify.com',
      webhook_url: expect.stringMatching(/^https:\/\/calls\.example\.com\/callina\/[A-Za-z0-9_-]{24}$/),
      signing_secret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      store_phone: '+43662275124',
      default_language: 'de',
      access_token: 'set',
    });
    expect(res.stdout).not.toContain('shpat_0123456789abcdef');

    const {log} = captureLogger();
    const storage = await openStorage({databaseUrl: env.DATABASE_URL!, encryptionKey: TEST_KEY, log});
    const stored = await storage.getShop('anna-demo.myshopify.com');
    await storage.close();
    expect(stored).toMatchObject({secret: res.json.signing_secret, accessToken: 'shpat_0123456789abcdef'});
    expect(res.json.webhook_url.endsWith(stored!.hookId)).toBe(true);
  });

  it('keeps a given secret, lists and shows without printing it', async () => {
    await cli('shops', 'add', '--shop', 'a.myshopify.com', '--secret', 'my-own-callina-secret-1');
    await cli('shops', 'add', '--shop', 'b.myshopify.com');
    const list = await cli('shops', 'list');
    expect(list.json.map((s: {shop: string}) => s.shop)).toEqual(['a.myshopify.com', 'b.myshopify.com']);
    expect(list.stdout).not.toContain('my-own-callina-secret-1');
    const show = await cli('shops', 'show', '--shop', 'a.myshopify.com');
    expect(show.json).toMatchObject({shop: 'a.myshopify.com', signing_secret: 'my-o…', recent_call_events: []});
  });

  it('rotates the secret, keeping the old one valid for the grace period', async () => {
    const added = await cli('shops', 'add', '--shop', 'a.myshopify.com');
    const rotated = await cli('shops', 'rotate-secret', '--shop', 'a.myshopify.com');
    expect(rotated.code).toBe(0);
    expect(rotated.json.signing_secret).not.toBe(added.json.signing_secret);
    expect(rotated.json.webhook_url).toBe(added.json.webhook_url);
    expect(Date.parse(rotated.json.previous_secret_valid_until)).toBeGreaterThan(Date.now() + 23 * 3_600_000);
  });

  it('updates settings with set, and removes a shop', async () => {
    await cli('shops', 'add', '--shop', 'a.myshopify.com', '--phone', '+43662275124');
    const set = await cli('shops', 'set', '--shop', 'a.myshopify.com', '--phone', 'none', '--verification', 'caller_phone', '--timezone', 'Europe/Vienna');
    expect(set.json).toMatchObject({store_phone: null, verification: 'caller_phone', time_zone: 'Europe/Vienna'});
    expect((await cli('shops', 'remove', '--shop', 'a.myshopify.com')).json).toEqual({removed: 'a.myshopify.com'});
    expect((await cli('shops', 'list')).json).toEqual([]);
  });

  it('switches caller lookup and shows whether Shopify grants the customer data it needs', async () => {
    const added = await cli('shops', 'add', '--shop', 'a.myshopify.com');
    expect(added.json.caller_lookup).toMatchObject({setting: 'on', access: 'unknown'});
    // What the service stores when Shopify refused customer data during a call.
    const {log} = captureLogger();
    const storage = await openStorage({databaseUrl: env.DATABASE_URL!, encryptionKey: TEST_KEY, log});
    await storage.updateShop('a.myshopify.com', {customerAccess: 'denied'});
    await storage.close();
    const shown = await cli('shops', 'show', '--shop', 'a.myshopify.com');
    expect(shown.json.caller_lookup).toEqual({setting: 'on', access: 'denied', note: expect.stringMatching(/read_customers.*protected customer data/)});
    expect((await cli('shops', 'set', '--shop', 'a.myshopify.com', '--caller-lookup', 'off')).json.caller_lookup).toMatchObject({setting: 'off', note: expect.stringMatching(/asked for it/)});
    // On again: the next caller checks the access afresh.
    expect((await cli('shops', 'set', '--shop', 'a.myshopify.com', '--caller-lookup', 'on')).json.caller_lookup).toMatchObject({setting: 'on', access: 'unknown'});
    expect((await cli('shops', 'add', '--shop', 'b.myshopify.com', '--caller-lookup', 'off')).json.caller_lookup.setting).toBe('off');
  });

  it.each([
    [['shops', 'add'], /--shop is required/],
    [['shops', 'add', '--shop', 'a.myshopify.com', '--caller-lookup', 'maybe'], /--caller-lookup must be on or off/],
    [['shops', 'add', '--shop', 'not a shop'], /--shop must be a shop domain/],
    [['shops', 'add', '--shop', 'admin.shopify.com'], /--shop must be a shop domain/],
    [['shops', 'add', '--shop', 'evil.myshopify.io'], /--shop must be a shop domain/],
    [['shops', 'add', '--shop', 'a.myshopify.com', '--phone', '0662 275124'], /--phone must be an international number/],
    [['shops', 'add', '--shop', 'a.myshopify.com', '--language', 'fr'], /--language must be de or en/],
    [['shops', 'add', '--shop', 'a.myshopify.com', '--secret', 'short'], /--secret must be at least 16/],
    [['shops', 'add', '--shop', 'a.myshopify.com', '--timezone', 'Mars/Olympus'], /--timezone must be an IANA time zone/],
    [['shops', 'add', '--shop', 'a.myshopify.com', '--frobnicate'], /Unknown option '--frobnicate'/],
    [['shops', 'explode'], /unknown command: shops explode/],
    [['users', 'list'], /unknown command/],
    [['shops', 'remove', '--shop', 'nobody.myshopify.com'], /no shop nobody\.myshopify\.com/],
  ])('refuses %j with a clear message and a non-zero exit', async (args, message) => {
    const res = await cli(...args);
    expect(res.code).toBe(64);
    expect(res.stderr).toMatch(message);
    expect(res.stderr).toContain('Usage: npm run cli');
    expect((await cli('shops', 'list')).json).toEqual([]);
  });

  describe('issue 10, contact hint: shops set --contact-hint "…"|none', () => {
    it('stores the hint as given, shows it, and none removes it', async () => {
      await cli('shops', 'add', '--shop', 'a.myshopify.com', '--contact-hint', 'hello@shop.at');
      const hint = 'Montag bis Freitag 9 bis 17 Uhr unter 0662 275124';
      const set = await cli('shops', 'set', '--shop', 'a.myshopify.com', '--contact-hint', `  ${hint} `);
      expect(set.json.contact_hint).toBe(hint);
      expect((await cli('shops', 'show', '--shop', 'a.myshopify.com')).json.contact_hint).toBe(hint);
      expect((await cli('shops', 'set', '--shop', 'a.myshopify.com', '--contact-hint', 'none')).json.contact_hint).toBeNull();
    });

    it.each([
      ['x'.repeat(121), /--contact-hint must be at most 120 characters/],
      ['hello@shop.at\nrm -rf', /--contact-hint must be one line without control characters/],
      ['Mo. bis Fr. erreichbar', /--contact-hint must be one phrase/],
      ['unter +43662275124', /--contact-hint must write long numbers in groups/],
      ['   ', /--contact-hint must not be empty/],
    ])('refuses %j with a precise message and keeps the stored hint', async (value, message) => {
      await cli('shops', 'add', '--shop', 'a.myshopify.com', '--contact-hint', 'hello@shop.at');
      const res = await cli('shops', 'set', '--shop', 'a.myshopify.com', '--contact-hint', value);
      expect(res.code).toBe(64);
      expect(res.stderr).toMatch(message);
      expect((await cli('shops', 'show', '--shop', 'a.myshopify.com')).json.contact_hint).toBe('hello@shop.at');
    });
  });

  it('sets business hours, closed dates and the after-hours phone; show prints them with the last 7 days of the report', async () => {
    await cli('shops', 'add', '--shop', 'a.myshopify.com', '--phone', '+43662275124', '--timezone', 'Pacific/Auckland');
    const set = await cli('shops', 'set', '--shop', 'a.myshopify.com', '--hours', 'mon-fri 9:00-17:00; Sat 10-13, Fri 22:00-02:00', '--closed', '2026-12-25,2026-12-24', '--after-hours-phone', '+43 664 1234567');
    expect(set.code).toBe(0);
    expect(set.json).toMatchObject({
      business_hours: 'Mon-Thu 09:00-17:00, Fri 09:00-17:00 22:00-02:00, Sat 10:00-13:00',
      closed_dates: ['2026-12-24', '2026-12-25'],
      after_hours_phone: '+436641234567',
    });

    // Today in the shop's zone (far from the server's) gets counts; the week is printed oldest first.
    const today = new Intl.DateTimeFormat('en-CA', {timeZone: 'Pacific/Auckland'}).format(new Date());
    const {log} = captureLogger();
    const storage = await openStorage({databaseUrl: env.DATABASE_URL!, encryptionKey: TEST_KEY, log});
    await storage.addToReport([{shop: 'a.myshopify.com', day: today, counts: {ordersFound: 4, foundByCaller: 2, afterHours: 1}}]);
    await storage.close();
    const show = await cli('shops', 'show', '--shop', 'a.myshopify.com');
    expect(show.json).toMatchObject({business_hours: set.json.business_hours, closed_dates: ['2026-12-24', '2026-12-25'], after_hours_phone: '+436641234567', open_now: expect.any(Boolean)});
    const week = show.json.report_last_7_days;
    expect(week).toHaveLength(7);
    expect(week[6]).toEqual({day: today, orders_found: 4, found_by_caller: 2, orders_not_found: 0, no_number: 0, fallbacks: 0, transfers: 0, after_hours: 1, silences: 0});
    expect(week[0].orders_found).toBe(0);
    expect(show.json.next_opening === null).toBe(show.json.open_now);

    const cleared = await cli('shops', 'set', '--shop', 'a.myshopify.com', '--hours', 'always', '--closed', 'none', '--after-hours-phone', 'none');
    expect(cleared.json).toMatchObject({business_hours: 'always', closed_dates: [], after_hours_phone: null});
    expect((await cli('shops', 'set', '--shop', 'a.myshopify.com', '--hours', 'never')).json.business_hours).toBe('never');
  });

  it.each([
    [['--hours', 'Mon-Fri 09:00-25:00'], /--hours "Mon-Fri 09:00-25:00": "25:00" is not a time between 00:00 and 24:00/],
    [['--hours', 'Mo-Fr 09:00-17:00'], /--hours "Mo-Fr 09:00-17:00": "Mo" is not a day: use Mon, Tue, Wed, Thu, Fri, Sat, Sun/],
    [['--hours', 'Mon-Fri 09:00-17:00, Sat'], /"Sat" needs opening times/],
    [['--hours', 'Mon 10:00-10:00'], /"10:00-10:00" opens and closes at the same time/],
    [['--closed', '2026-12-24,2026-02-30'], /--closed "2026-12-24,2026-02-30": "2026-02-30" is not a date like 2026-12-24/],
    [['--after-hours-phone', '0664 1234567'], /--after-hours-phone must be an international number/],
  ])('refuses set %j with exit 64, pointing at the wrong part, and changes nothing', async (args, message) => {
    await cli('shops', 'add', '--shop', 'a.myshopify.com', '--timezone', 'Europe/Vienna');
    const before = (await cli('shops', 'show', '--shop', 'a.myshopify.com')).json;
    const res = await cli('shops', 'set', '--shop', 'a.myshopify.com', '--phone', '+43662275124', ...args);
    expect(res.code).toBe(64);
    expect(res.stderr).toMatch(message);
    expect((await cli('shops', 'show', '--shop', 'a.myshopify.com')).json).toEqual(before);
  });

  it('asks for a time zone before reading hours in it', async () => {
    await cli('shops', 'add', '--shop', 'a.myshopify.com');
    const res = await cli('shops', 'set', '--shop', 'a.myshopify.com', '--hours', 'Mon-Fri 09:00-17:00');
    expect(res.code).toBe(64);
    expect(res.stderr).toMatch(/time zone.*--timezone/);
    const withZone = await cli('shops', 'set', '--shop', 'a.myshopify.com', '--hours', 'Mon-Fri 09:00-17:00', '--timezone', 'America/New_York');
    expect(withZone.json).toMatchObject({business_hours: 'Mon-Fri 09:00-17:00', time_zone: 'America/New_York'});
  });

  it('refuses a duplicate shop and leaves the first as it was', async () => {
    const first = await cli('shops', 'add', '--shop', 'a.myshopify.com');
    const again = await cli('shops', 'add', '--shop', 'a.myshopify.com');
    expect(again.code).toBe(65);
    expect(again.stderr).toMatch(/already registered/);
    expect((await cli('shops', 'show', '--shop', 'a.myshopify.com')).json.webhook_url).toBe(first.json.webhook_url);
  });

  it('stops on a bad environment, naming every problem', async () => {
    env.PORT = 'x';
    env.LOOKUP_BUDGET_MS = '1';
    const res = await cli('shops', 'list');
    expect(res.code).toBe(78);
    expect(res.stderr).toMatch(/PORT/);
    expect(res.stderr).toMatch(/LOOKUP_BUDGET_MS/);
  });
});
