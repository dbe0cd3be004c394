/** When the soak judges how soon real answers came back after Shopify's outage (soak/judge-run.ts). */
import {describe, expect, it} from 'vitest';
import {RECOVERY_LIMIT_MS, recoveryOk} from '../../soak/judge-run.ts';

const outage = (seconds: number) => ({from: 252_000, to: 252_000 + seconds * 1000});

describe('recoveryOk', () => {
  it('an outage as long as the breaker cooldown (the 10-minute run): real answers again within the limit, or not ok', () => {
    expect(recoveryOk({outage: outage(30), recoveryMs: 1002})).toBe(true);
    expect(recoveryOk({outage: outage(30), recoveryMs: RECOVERY_LIMIT_MS + 1})).toBe(false);
    expect(recoveryOk({outage: outage(30), recoveryMs: null})).toBe(false);
  });

  it('a shorter outage ends while its circuits are still open: the wait is not judged', () => {
    expect(recoveryOk({outage: outage(4.5), recoveryMs: 15_345})).toBe(true);
    expect(recoveryOk({outage: outage(4.5), recoveryMs: null})).toBe(true);
  });

  it('no outage in the run: nothing to judge', () => {
    expect(recoveryOk({outage: undefined, recoveryMs: null})).toBe(true);
  });
});
