import {describe, expect, it} from 'vitest';
import {floorGrowth, HEAP_GROWTH_LIMIT_PCT} from '../../soak/judge-run.ts';

/**
 * The soak's memory verdict. Heap figures (MB, after full GCs) of the
 * PostgreSQL instance pg-a every 10 s after warm-up in a 300-s soak at
 * 100 requests/s: heap snapshots at 60 s and 210 s differ by 0.4 MB, all
 * V8's own (code, hidden, arrays), yet single samples swing by 8 MB.
 */
const flat = [35.6, 35.6, 35.9, 36.4, 30.7, 29.8, 29.7, 30.1, 29.9, 29.1, 28.2, 28.8, 29, 29.4, 29.6, 29.8, 29.9, 30.1, 30.2, 29.4, 29.6, 30.2];

describe('memory growth after warm-up', () => {
  it('does not call swings of a steady heap growth, whichever single samples start and end the run', () => {
    // Warm-up at a low sample, end at a high one: two samples alone would say 10 %.
    const series = [28.2, ...flat, 31];
    expect(((series.at(-1)! - series[0]!) / series[0]!) * 100).toBeGreaterThan(HEAP_GROWTH_LIMIT_PCT);
    expect(floorGrowth(series)!.pct).toBeLessThanOrEqual(HEAP_GROWTH_LIMIT_PCT);
  });

  it('finds a leak that raises every sample, swings and all', () => {
    // The same swings on top of 0.2 MB retained per sample: 4.2 MB over the run, read as 5.4 %
    // (the floor also discounts this series' high start, so it errs towards no alarm).
    const leaking = flat.map((mb, i) => mb + i * 0.2);
    const growth = floorGrowth(leaking)!;
    expect(growth.pct).toBeGreaterThan(HEAP_GROWTH_LIMIT_PCT);
    expect(growth.last).toBeGreaterThan(growth.first);
  });

  it('gives no figure for too few samples to have a floor (a short run, an instance restarted early)', () => {
    expect(floorGrowth([30, 31, 32, 33, 34, 35, 36])).toBeUndefined();
    expect(floorGrowth([30, 31, 32, 33, 34, 35, 36, 37])).toEqual({first: 30, last: 36, pct: 20});
  });
});
