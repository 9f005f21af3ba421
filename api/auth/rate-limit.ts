/**
 * Counts failures per key in a sliding window (sign-in: per client address and per e-mail). In
 * memory: one API process per deployment here; behind several, the limit is per process, which still
 * bounds guessing to a few attempts per minute.
 */
export interface RateLimiter {
  /** Seconds to wait if the key is over its limit, else 0. */
  blockedFor(key: string): number;
  fail(key: string): void;
  reset(key: string): void;
}

export function createRateLimiter(options: { max: number; windowMs: number; clock?: () => number }): RateLimiter {
  const now = options.clock ?? Date.now;
  const failures = new Map<string, number[]>();
  const recent = (key: string) => {
    const since = now() - options.windowMs;
    const kept = (failures.get(key) ?? []).filter((at) => at > since);
    if (kept.length) failures.set(key, kept);
    else failures.delete(key);
    return kept;
  };
  return {
    blockedFor(key) {
      const kept = recent(key);
      if (kept.length < options.max) return 0;
      return Math.max(1, Math.ceil(((kept[0] ?? now()) + options.windowMs - now()) / 1000));
    },
    fail(key) {
      failures.set(key, [...recent(key), now()]);
      // Bound memory under a spray of distinct keys: forget the oldest.
      if (failures.size > 50_000) failures.delete(failures.keys().next().value as string);
    },
    reset(key) {
      failures.delete(key);
    },
  };
}
