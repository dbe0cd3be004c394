/** The heavy-tailed latency of the tail scenario's Shopify (bench/tail-shopify.ts). */

/**
 * Latency in ms: with probability `stallShare` a stall of `stallMs`;
 * otherwise drawn from the inverse CDF interpolated log-linearly through
 * `quantiles` ([probability, ms]). Seeded, so runs draw the same sequence.
 */
export const HEAVY_TAIL = {
  quantiles: [[0, 40], [0.5, 180], [0.95, 700], [0.99, 2200], [1, 4000]] as [number, number][],
  stallShare: 0.01,
  stallMs: [5000, 8000] as [number, number],
  seed: 13,
};

/** mulberry32: a small seeded PRNG, so hedging off and on face the same draws. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function latencySampler(seed: number): () => number {
  const next = random(seed);
  const {quantiles: q, stallShare, stallMs} = HEAVY_TAIL;
  return () => {
    if (next() < stallShare) return stallMs[0] + next() * (stallMs[1] - stallMs[0]);
    const u = next();
    const i = q.findIndex(([p]) => p >= u);
    const [p0, ms0] = q[Math.max(0, i - 1)]!;
    const [p1, ms1] = q[i]!;
    const f = p1 === p0 ? 0 : (u - p0) / (p1 - p0);
    return Math.exp(Math.log(ms0) + f * (Math.log(ms1) - Math.log(ms0)));
  };
}
