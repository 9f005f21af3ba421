import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { RateLimiterMemory, RateLimiterPostgres, type RateLimiterAbstract } from 'rate-limiter-flexible';

/**
 * Counts failures per key (sign-in: api/auth/sessions.ts) with rate-limiter-flexible
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

type Limits = { keyPrefix: string; points: number; duration: number };

/** RateLimiterPostgres on the shared table with a memory insurance limiter, or memory alone. */
function store(limits: Limits, pool: Pool | undefined): RateLimiterAbstract {
  return pool
    ? new RateLimiterPostgres({
      ...limits,
      storeClient: pool,
      storeType: 'pool',
      tableName: RATE_LIMIT_TABLE,
      tableCreated: true,
      // If PostgreSQL fails a query, this process goes on counting alone rather than refusing sign-ins.
      insuranceLimiter: new RateLimiterMemory(limits),
    })
    : new RateLimiterMemory(limits);
}

// Neither e-mail addresses nor client addresses are stored in clear.
const keyOf = (key: string) => createHash('sha256').update(key).digest('hex');
const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const limiter = store({ keyPrefix: options.name, points: options.max, duration: seconds(options.windowMs) }, options.store);
  return {
    async blockedFor(key) {
      const state = await limiter.get(keyOf(key));
      if (!state || state.consumedPoints < options.max) return 0;
      return seconds(state.msBeforeNext);
    },
    async fail(key) {
      await limiter.penalty(keyOf(key), 1);
    },
    async reset(key) {
      await limiter.delete(keyOf(key));
    },
  };
}

export interface ProgressiveLimiterOptions {
  /** Distinguishes the limiters sharing the table (stored keys `name-count:…` and `name-lock:…`). */
  name: string;
  /** Failures without consequence; the next one (the `freeFailures`-th) locks the key for `firstLockMs`. */
  freeFailures: number;
  firstLockMs: number;
  /** Each further failure doubles the lock, up to this. */
  maxLockMs: number;
  /** The failures are counted for this long from the key's first failure (fixed window), or until `reset`. */
  windowMs: number;
  store?: Pool;
}

export interface ProgressiveLimiter extends RateLimiter {
  /** `early`: the key is under suspicion anyway, its first failure counts as its `freeFailures`-th. */
  fail(key: string, early?: boolean): Promise<void>;
}

/**
 * Growing delays instead of a wall: a key is locked after `freeFailures` failures for `firstLockMs`,
 * and each failure after that locks it twice as long, up to `maxLockMs`. Two limiters in the table:
 * the failure count (window `windowMs`) and the lock (rate-limiter-flexible's `block`).
 */
export function createProgressiveLimiter(options: ProgressiveLimiterOptions): ProgressiveLimiter {
  const counts = store({ keyPrefix: `${options.name}-count`, points: 1, duration: seconds(options.windowMs) }, options.store);
  const locks = store({ keyPrefix: `${options.name}-lock`, points: 1, duration: seconds(options.maxLockMs) }, options.store);
  return {
    async blockedFor(key) {
      // `block` stores points + 1 consumed points until the lock's end.
      const state = await locks.get(keyOf(key));
      return state && state.consumedPoints > 1 ? seconds(state.msBeforeNext) : 0;
    },
    async fail(key, early = false) {
      const { consumedPoints } = await counts.penalty(keyOf(key), 1);
      const failures = early ? consumedPoints + options.freeFailures - 1 : consumedPoints;
      if (failures < options.freeFailures) return;
      const lockMs = Math.min(options.firstLockMs * 2 ** Math.min(failures - options.freeFailures, 30), options.maxLockMs);
      await locks.block(keyOf(key), seconds(lockMs));
    },
    async reset(key) {
      await Promise.all([counts.delete(keyOf(key)), locks.delete(keyOf(key))]);
    },
  };
}
