import autocannon, {type Request} from 'autocannon';
import {summarize, type LatencySummary} from './stats.ts';

export interface LoadResult {
  connections: number;
  requests: number;
  /** Responses per second over the run. */
  rps: number;
  /** Exact per-request latencies in ms, as autocannon's response events report them. */
  latency: LatencySummary;
  non2xx: number;
  errors: number;
}

export interface LoadOptions {
  url: string;
  connections: number;
  /** Seconds; or `amount` requests in total. */
  duration?: number;
  amount?: number;
  requests: Request[];
  /** Also receives every latency, for a measurement taken in several runs. */
  collect?: number[];
}

/**
 * One autocannon run from this process against a server in another, with
 * latencies kept exactly (autocannon's histogram has 1 ms resolution,
 * too coarse for a sub-millisecond path).
 */
export function load(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        ...(options.amount ? {amount: options.amount} : {duration: options.duration ?? 5}),
        timeout: 10,
        requests: options.requests,
      },
      (error, result) => {
        if (error) return reject(error);
        const seconds = (performance.now() - started) / 1000;
        resolve({
          connections: options.connections,
          requests: latencies.length,
          rps: options.amount ? latencies.length / seconds : result.requests.total / result.duration,
          latency: summarize(latencies),
          non2xx: result.non2xx,
          errors: result.errors + result.timeouts,
        });
      },
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => {
      latencies.push(ms);
      options.collect?.push(ms);
    });
  });
}
