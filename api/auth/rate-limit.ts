import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { RateLimiterMemory, RateLimiterPostgres, type RateLimiterAbstract } from 'rate-limiter-flexible';

/**
 * Counts failures per key (sign-in: per client address and per e-mail) with rate-limiter-flexible
 * (docs/decisions/0008-rate-limiter-postgresql.md). With a PostgreSQL pool the counts live in the
 * `rate_limits` table (prisma/migrations/…_rate_limits), so every API process shares one budget;
 * without one (tests, tools), in this process's memory. The window is fixed: it opens at the
 * key's first failure and lasts `windowMs`; once `max` failures are in it, the key waits for its end.
 */
export interface RateLimiter {
  /** Seconds to wait if the key is over its limit, else 0. */
  blockedFor(key: string): Promise<number>;
  fail(key: string): Promise<void>;
  reset(key: string): Promise<void>;
}

/** The table created by the migration, in the columns RateLimiterPostgres expects (key, points, expire). */
export const RATE_LIMIT_TABLE = 'rate_limits';

/** The sign-in limits' store: the app's PostgreSQL; `prefix` keeps apart apps that must not share a budget (tests). */
export interface SignInLimitStore { pool: Pool; prefix?: string }

export interface RateLimiterOptions {
  /** Distinguishes the limiters sharing the table (the stored key is `name:sha256(key)`). */
  name: string;
  max: number;
  windowMs: number;
  /** The app's PostgreSQL (same DATABASE_URL as Prisma); absent: counted in memory, per process. */
  store?: Pool;
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const limits = { keyPrefix: options.name, points: options.max, duration: Math.max(1, Math.ceil(options.windowMs / 1000)) };
  const limiter: RateLimiterAbstract = options.store
    ? new RateLimiterPostgres({
      ...limits,
      storeClient: options.store,
      storeType: 'pool',
      tableName: RATE_LIMIT_TABLE,
      tableCreated: true,
      // If PostgreSQL fails a query, this process goes on counting alone rather than refusing sign-ins.
      insuranceLimiter: new RateLimiterMemory(limits),
    })
    : new RateLimiterMemory(limits);
  // Neither e-mail addresses nor client addresses are stored in clear.
  const keyOf = (key: string) => createHash('sha256').update(key).digest('hex');
  return {
    async blockedFor(key) {
      const state = await limiter.get(keyOf(key));
      if (!state || state.consumedPoints < options.max) return 0;
      return Math.max(1, Math.ceil(state.msBeforeNext / 1000));
    },
    async fail(key) {
      await limiter.penalty(keyOf(key), 1);
    },
    async reset(key) {
      await limiter.delete(keyOf(key));
    },
  };
}
