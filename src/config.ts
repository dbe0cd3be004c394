import {z} from 'zod';
import {parseKey} from './storage/encryption-key.ts';

/**
 * The environment, validated once at boot. A bad value stops the process
 * with every problem listed together, so an operator fixes them in one go.
 */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const envSchema = z
  .object({
    PORT: int(0, 65535).default(3000),
    // `shopify app dev` sets HOST to the tunnel URL (its deprecated name for the app URL): that is no bind address.
    HOST: z
      .string()
      .min(1)
      .default('0.0.0.0')
      .transform((h) => (h.includes('://') ? '0.0.0.0' : h)),
    APP_URL: z.url({protocol: /^https?$/}).optional(),
    /** Set by `shopify app dev` (the tunnel); APP_URL wins when both are set. */
    SHOPIFY_APP_URL: z.url({protocol: /^https?$/}).optional(),
    DATABASE_URL: z
      .string()
      .regex(/^(sqlite:|file:|postgres(ql)?:\/\/)/, 'must start with sqlite:, file: or postgres://')
      .default('sqlite:./data/callina.sqlite'),
    /** PostgreSQL connections per instance (the change feed holds one more). */
    DATABASE_POOL_SIZE: int(2, 200).default(10),
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
    /** How long a caller may wait for an order lookup, from the request's arrival. Callina cuts off at 2500 ms. */
    LOOKUP_BUDGET_MS: int(100, 2400).default(2000),
    /** Own timeout of one Shopify request; deliberately longer than the budget so a retry finds the answer cached. */
    SHOPIFY_TIMEOUT_MS: int(500, 30_000).default(8000),
    /** Own timeout of one access-token refresh at Shopify; refreshes run in the background of calls, never inside their budget. */
    TOKEN_REFRESH_TIMEOUT_MS: int(1000, 60_000).default(10_000),
    /**
     * When a slow Shopify request gets one identical twin (the first answer wins): "auto" after
     * each shop's recent p95 latency (150–1500 ms), a number of milliseconds, or "off".
     */
    SHOPIFY_HEDGE_DELAY_MS: z
      .union([z.enum(['auto', 'off']), int(50, 2400)], {error: 'must be auto, off, or milliseconds from 50 to 2400'})
      .default('auto'),
    /** Orders kept in the lookup cache (each well under 1 KiB). */
    ORDER_CACHE_MAX: int(100, 10_000_000).default(100_000),
    /** Freshness of cached answers; webhooks evict changed orders sooner. */
    ORDER_TTL_ACTIVE_SECONDS: int(1, 86_400).default(120),
    ORDER_TTL_SETTLED_SECONDS: int(1, 86_400).default(1800),
    ORDER_TTL_NOT_FOUND_SECONDS: int(1, 3600).default(30),
    /** Bearer token for GET /metrics; the endpoint does not exist without it. */
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    /** Accepted distance between an event's occurred_at and our clock. */
    REPLAY_WINDOW_SECONDS: int(10, 3600).default(300),
    /** Call events (silences, escalations) are deleted after this many days. */
    CALL_EVENT_RETENTION_DAYS: int(1, 3650).default(30),
    /** How long a rotated-out Callina secret keeps working. */
    SECRET_GRACE_HOURS: int(0, 24 * 30).default(24),
    /** 32 bytes (64 hex digits or base64) for secrets at rest; generated into the data folder on SQLite when unset. */
    ENCRYPTION_KEY: z
      .string()
      .refine((k) => parseKey(k) !== undefined, 'must be 32 bytes as 64 hex digits or base64 (openssl rand -hex 32)')
      .optional(),
    /** The Shopify app's client id and secret (Partner/Dev Dashboard). Without them only CLI-registered shops work. */
    SHOPIFY_API_KEY: z.string().trim().min(1).optional(),
    SHOPIFY_API_SECRET: z.string().trim().min(1).optional(),
    /** Access scopes requested by the authorization-code flow; keep equal to shopify.app.toml. */
    SCOPES: z
      .string()
      .default('read_orders,read_locales')
      .transform((s) => s.split(',').map((scope) => scope.trim()).filter(Boolean))
      .pipe(
        z
          .array(z.string().regex(/^(unauthenticated_)?(read|write)_[a-z_]+$/, 'must be comma-separated scopes like read_orders,read_locales'))
          .refine((scopes) => scopes.includes('read_orders') || scopes.includes('write_orders'), 'must include read_orders: the lookup reads orders'),
      ),
  })
  .superRefine(
    (env, ctx) => {
      // One without the other is a typo, not a choice: say which is missing.
      if (Boolean(env.SHOPIFY_API_KEY) !== Boolean(env.SHOPIFY_API_SECRET)) {
        const missing = env.SHOPIFY_API_KEY ? 'SHOPIFY_API_SECRET' : 'SHOPIFY_API_KEY';
        ctx.addIssue({code: 'custom', path: [missing], message: 'must be set together with SHOPIFY_API_KEY and SHOPIFY_API_SECRET'});
      }
    },
    {when: () => true},
  )
  .transform((env) => ({
    port: env.PORT,
    host: env.HOST,
    appUrl: (env.APP_URL ?? env.SHOPIFY_APP_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
    databaseUrl: env.DATABASE_URL,
    databasePoolSize: env.DATABASE_POOL_SIZE,
    logLevel: env.LOG_LEVEL,
    lookupBudgetMs: env.LOOKUP_BUDGET_MS,
    shopifyTimeoutMs: env.SHOPIFY_TIMEOUT_MS,
    tokenRefreshTimeoutMs: env.TOKEN_REFRESH_TIMEOUT_MS,
    hedgeDelay: env.SHOPIFY_HEDGE_DELAY_MS,
    orderCacheMax: env.ORDER_CACHE_MAX,
    metricsToken: env.METRICS_TOKEN,
    orderTtl: {
      activeMs: env.ORDER_TTL_ACTIVE_SECONDS * 1000,
      settledMs: env.ORDER_TTL_SETTLED_SECONDS * 1000,
      notFoundMs: env.ORDER_TTL_NOT_FOUND_SECONDS * 1000,
    },
    replayWindowMs: env.REPLAY_WINDOW_SECONDS * 1000,
    callEventRetentionDays: env.CALL_EVENT_RETENTION_DAYS,
    secretGraceMs: env.SECRET_GRACE_HOURS * 3_600_000,
    encryptionKey: env.ENCRYPTION_KEY,
    /** The Shopify app (install flows, webhooks, settings page); undefined without credentials. */
    shopifyApp:
      env.SHOPIFY_API_KEY && env.SHOPIFY_API_SECRET
        ? {apiKey: env.SHOPIFY_API_KEY, apiSecret: env.SHOPIFY_API_SECRET, scopes: env.SCOPES}
        : undefined,
    /** What the Shopify app lacks, for the boot log. */
    shopifyAppMissing: [env.SHOPIFY_API_KEY ? [] : ['SHOPIFY_API_KEY'], env.SHOPIFY_API_SECRET ? [] : ['SHOPIFY_API_SECRET']].flat(),
  }));

export type Config = Readonly<z.output<typeof envSchema>>;

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Empty strings count as unset, as in most .env files. */
function withoutEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(withoutEmpty(env));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`));
  }
  return Object.freeze(parsed.data);
}
