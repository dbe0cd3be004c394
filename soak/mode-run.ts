/**
 * What the soak shares between its parts: the options, what each request
 * became (Sent) and the running counts (Tally), the report's shape, the
 * fault schedule, and ModeRun, the state of one mode while it runs.
 */
import {fileURLToPath} from 'node:url';
import type {Instance, Memory} from './instances.ts';
import {random, type Kind, type Spoken} from './traffic.ts';

export type ModeName = 'postgres' | 'sqlite';
export type FaultName = 'shopify_errors' | 'shopify_throttled' | 'shopify_outage' | 'pg_terminate' | 'kill' | 'rotate_secret' | 'change_setting' | 'cli_writes';
export const ALL_FAULTS: FaultName[] = ['shopify_errors', 'shopify_throttled', 'shopify_outage', 'pg_terminate', 'kill', 'rotate_secret', 'change_setting', 'cli_writes'];

export interface SoakOptions {
  seconds: number;
  /** Requests per second over all modes. */
  rate: number;
  modes: ModeName[];
  faults: FaultName[];
  /** A PostgreSQL server to create the soak's database on (the caller starts an embedded one if need be). */
  postgresServerUrl?: string;
  /** Where instance logs go. */
  logDir: string;
  budgetMs?: number;
  progress?: (line: string) => void;
  seed?: number;
}

export const KEY = 'c'.repeat(64);
export const STORE_PHONE = '+43662275124';
export const NEW_STORE_PHONE = '+43662999000';
export const AFTER_HOURS_PHONE = '+436641234567';
export const POOL_SIZE = 5;
/** Small on purpose: the cache is full after warm-up, so memory growth after it is a leak, not a filling cache. */
export const ORDER_CACHE_MAX = 300;
export const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** When each fault happens, as a share of the run (scaled to any duration). */
export const SCHEDULE = {
  warmUpEnd: 0.2,
  shopifyErrors: [0.22, 0.26],
  shopifyThrottled: [0.29, 0.32],
  pgTerminate: [0.5, 0.8],
  shopifyOutage: [0.42, 0.47],
  rotateSecret: 0.52,
  changeSetting: 0.57,
  kill: {postgres: 0.64, sqlite: 0.7},
} as const;

export interface ShopTarget {
  label: 'open' | 'closed';
  shop: string;
  hookId: string;
  secret: string;
  oldSecret?: string;
  storePhone: string;
  /** When the store phone changed (ms into the run): transfers after this + 2 s must use the new one. */
  phoneChangedAt?: number;
}

/** One request and what became of it. */
export interface Sent {
  kind: Kind;
  shop: 'open' | 'closed';
  instance: Instance;
  generation: number;
  callId: string;
  key?: string;
  at: number;
  ms?: number;
  status?: number;
  error?: string;
  inFlightAtKill?: boolean;
  spoken?: Spoken;
  transferTo?: string;
  outageJudged?: 'cached' | 'cold';
}

export interface Tally {
  requests: number;
  signed: number;
  signed5xx: number;
  signedOther: number;
  signedBadBody: number;
  connectionErrors: number;
  withinBudget: number;
  judgedForBudget: number;
  badInput: number;
  badInputWrong: number;
  inFlightAtKill: number;
  /** Answers past budget + 50 ms, but within it once the soak's own forced GC pause is taken off. */
  excusedByForcedGc: number;
  notSentInstanceDown: number;
  staleSettingAnswers: number;
  oldSecretAccepted: number;
  outageCachedWrong: number;
  outageColdWrong: number;
  outageJudged: number;
  unclassified: number;
  latencies: number[];
  failures: string[];
}

const newTally = (): Tally => ({
  requests: 0, signed: 0, signed5xx: 0, signedOther: 0, signedBadBody: 0, connectionErrors: 0, withinBudget: 0, judgedForBudget: 0,
  badInput: 0, badInputWrong: 0, inFlightAtKill: 0, excusedByForcedGc: 0, notSentInstanceDown: 0, staleSettingAnswers: 0, oldSecretAccepted: 0,
  outageCachedWrong: 0, outageColdWrong: 0, outageJudged: 0, unclassified: 0, latencies: [], failures: [],
});

export interface ModeReport {
  mode: ModeName;
  instances: number;
  requests: number;
  requests_per_s: number;
  signed_5xx: number;
  signed_other_non_200: number;
  signed_bad_body: number;
  connection_errors: number;
  within_budget_pct: number;
  answers_timed: number;
  answers_within_budget: number;
  latency_ms: {p50: number; p90: number; p99: number; max: number};
  bad_input: number;
  bad_input_wrong: number;
  in_flight_to_killed: number;
  /** The memory samples' forced full GCs stop an instance; an answer they delayed is judged with that pause taken off. */
  forced_gc: {samples: number; pause_ms_p50: number; pause_ms_max: number; answers_excused: number};
  not_sent_instance_down: number;
  events_sent: number;
  events_stored: number;
  events_missing: number;
  events_duplicated: number;
  events_unexpected: number;
  escalation_result_wrong: number;
  report: Record<string, {expected: number; uncertain: number; stored: number; ok: boolean}>;
  report_ok: boolean;
  heap_growth_pct: number;
  rss_growth_pct: number;
  /** Floors of the first and last quarter of the samples after warm-up (see floorGrowth), and every sample. */
  memory: Record<string, {warm_heap_mb: number; end_heap_mb: number; warm_rss_mb: number; end_rss_mb: number; heap_mb: number[]; rss_mb: number[]}>;
  pg_connections?: Record<string, {min: number; max: number}>;
  pg_connections_ok: boolean;
  unhandled_rejections: number;
  error_log_lines: number;
  error_log_messages: Record<string, number>;
  crashes: number;
  /** recovery_judged: the outage lasted the circuit breaker's cooldown at least (see recoveryOk). */
  outage: {judged: number; cached_wrong: number; cold_wrong: number; recovery_ms: number | null; recovery_judged: boolean};
  stale_setting_answers: number;
  setting_applied_ms: number | null;
  old_secret_accepted: number;
  cli_writes: number;
  cli_failures: number;
  faults: string[];
  failures: string[];
  ok: boolean;
}

export interface SoakReport {
  started_at: string;
  seconds: number;
  rate: number;
  budget_ms: number;
  modes: ModeReport[];
  shopify: Record<string, number>;
  signed_5xx: number;
  within_budget_pct: number;
  events_sent: number;
  events_stored: number;
  heap_growth_pct: number;
  ok: boolean;
}

export interface ForcedGc {
  instance: Instance;
  generation: number;
  from: number;
  to: number;
  pauseMs: number;
}

/** What a mode needs while it runs. */
export class ModeRun {
  readonly tally = newTally();
  readonly sent: Sent[] = [];
  readonly faults: string[] = [];
  /** Per instance, its first process's samples from warm-up on (a restarted process starts cold again). */
  readonly memory = new Map<string, Memory[]>();
  readonly pgConnections = new Map<string, number[]>();
  /** Per instance generation, keys in the order the cache last touched them (newest last). */
  readonly touched = new Map<string, Map<string, boolean>>();
  /** When each memory sample stopped which instance (soak clock), and for how long; to = Infinity while under way. */
  readonly forcedGc: ForcedGc[] = [];
  readonly rnd: () => number;
  /** Instance generations SIGKILLed, and when (ms into the run). */
  readonly kills = new Map<string, number>();
  cliWrites = 0;
  cliFailures = 0;
  next = 0;
  outage?: {from: number; to: number};
  recoveryMs: number | null = null;
  settingAppliedMs: number | null = null;
  readonly mode: ModeName;
  readonly databaseUrl: string;
  readonly instances: Instance[];
  readonly shops: ShopTarget[];
  constructor(mode: ModeName, databaseUrl: string, instances: Instance[], shops: ShopTarget[], seed: number) {
    this.mode = mode;
    this.databaseUrl = databaseUrl;
    this.instances = instances;
    this.shops = shops;
    this.rnd = random(seed);
  }
}
