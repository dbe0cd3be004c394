import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {runSoak, type SoakReport} from '../../soak/soak.ts';
import {TEST_DATABASE_URL} from '../helpers/postgres.ts';

/**
 * A few seconds of the soak (npm run soak) at a small rate: two instances
 * on PostgreSQL and one on SQLite with the CLI writing, Shopify failing in
 * bursts, the secret rotated and the store phone changed mid-run. Checks
 * correctness only (the machine may be busy): no 5xx, no lost or doubled
 * silence or escalation, every bad input its precise 4xx.
 */
const logDir = mkdtempSync(join(tmpdir(), 'callina-soak-test-'));
afterAll(() => rmSync(logDir, {recursive: true, force: true}));

describe('a short soak', () => {
  let report: SoakReport;

  it('answers every signed event with 200 and every bad input with its precise 4xx', async () => {
    report = await runSoak({
      seconds: 10,
      rate: 24,
      modes: ['postgres', 'sqlite'],
      faults: ['shopify_errors', 'shopify_throttled', 'rotate_secret', 'change_setting', 'cli_writes'],
      postgresServerUrl: TEST_DATABASE_URL,
      logDir,
    });
    for (const mode of report.modes) {
      // Late answers are the full soak's to judge ("… took 2127 ms", perhaps "(67 ms of it a forced GC)"): this machine may be busy.
      expect(mode.failures.filter((f) => !f.startsWith('call report') && !/ took \d+ ms( \(\d+ ms of it a forced GC\))?$/.test(f)), mode.mode).toEqual([]);
      expect(mode.requests).toBeGreaterThan(50);
      expect(mode.signed_5xx).toBe(0);
      expect(mode.signed_other_non_200 + mode.signed_bad_body + mode.connection_errors).toBe(0);
      expect(mode.bad_input).toBeGreaterThan(0);
      expect(mode.bad_input_wrong).toBe(0);
      expect(mode.old_secret_accepted).toBeGreaterThan(0);
      expect(mode.stale_setting_answers).toBe(0);
      expect(mode.crashes + mode.unhandled_rejections).toBe(0);
    }
  }, 90_000);

  it('stores every acknowledged silence and escalation exactly once, with where the caller went', () => {
    for (const mode of report.modes) {
      expect(mode.events_sent, mode.mode).toBeGreaterThan(10);
      expect(mode.events_stored).toBe(mode.events_sent);
      expect(mode.events_missing + mode.events_duplicated + mode.events_unexpected + mode.escalation_result_wrong).toBe(0);
    }
  });

  it('finds the answers again in the call report', () => {
    for (const mode of report.modes) {
      for (const [counter, c] of Object.entries(mode.report)) expect(c.ok, `${mode.mode} ${counter}: stored ${c.stored}, sent ${c.expected}`).toBe(true);
      expect(mode.report.silences!.stored).toBeGreaterThan(0);
      expect(mode.report.ordersFound!.stored).toBeGreaterThan(0);
      expect(mode.report.transfers!.stored).toBeGreaterThan(0);
    }
  });
});
