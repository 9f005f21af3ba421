import { createProgressiveLimiter, createRateLimiter } from '../api/auth/rate-limit';
import { readCookie } from '../api/auth/middleware';
import { hashSecret, newSecret, sameSecret } from '../api/auth/secrets';
import { hashPassword, verifyPassword } from '../lib/passwords';

describe('passwords', () => {
  test('a hash verifies its password and nothing else, and never contains it', async () => {
    const hash = await hashPassword('une phrase de passe assez longue');
    expect(hash).toMatch(/^scrypt\$32768\$8\$3\$[\w-]+\$[\w-]+$/);
    expect(hash).not.toContain('phrase');
    expect(await verifyPassword('une phrase de passe assez longue', hash)).toBe(true);
    expect(await verifyPassword('une phrase de passe assez longuE', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  test('two hashes of one password differ (salt)', async () => {
    expect(await hashPassword('même mot de passe')).not.toBe(await hashPassword('même mot de passe'));
  });

  test('an account without a password, or a damaged hash, never verifies', async () => {
    expect(await verifyPassword('x', null)).toBe(false);
    expect(await verifyPassword('x', 'bcrypt$whatever')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$1$1$1$$')).toBe(false);
  });

  test('Unicode forms of one password are the same password', async () => {
    const composed = 'café-crème-2026';
    const decomposed = composed.normalize('NFD');
    expect(decomposed).not.toBe(composed);
    expect(await verifyPassword(decomposed, await hashPassword(composed))).toBe(true);
  });
});

describe('sign-in rate limiter (rate-limiter-flexible, in memory without a PostgreSQL pool)', () => {
  afterEach(() => jest.useRealTimers());

  test('blocks a key after max failures within the window, and tells how long to wait', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const limiter = createRateLimiter({ name: 'test', max: 3, windowMs: 60_000 });
    for (let i = 0; i < 3; i++) {
      expect(await limiter.blockedFor('k')).toBe(0);
      await limiter.fail('k');
      jest.advanceTimersByTime(1_000);
    }
    expect(await limiter.blockedFor('k')).toBe(57);
    expect(await limiter.blockedFor('other')).toBe(0);
    jest.advanceTimersByTime(57_000);
    expect(await limiter.blockedFor('k')).toBe(0);
  });

  test('a success resets the key', async () => {
    const limiter = createRateLimiter({ name: 'test', max: 1, windowMs: 60_000 });
    await limiter.fail('k');
    expect(await limiter.blockedFor('k')).toBeGreaterThan(0);
    await limiter.reset('k');
    expect(await limiter.blockedFor('k')).toBe(0);
  });
});

describe('progressive limiter (the sign-in pair e-mail × address)', () => {
  afterEach(() => jest.useRealTimers());
  const options = { name: 'test', freeFailures: 3, firstLockMs: 60_000, maxLockMs: 15 * 60_000, windowMs: 24 * 60 * 60_000 };

  test('free failures, then a lock that doubles at each failure up to the maximum', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const limiter = createProgressiveLimiter(options);
    for (let i = 0; i < 2; i++) await limiter.fail('k');
    expect(await limiter.blockedFor('k')).toBe(0);
    const locks: number[] = [];
    for (let i = 0; i < 6; i++) {
      await limiter.fail('k');
      const wait = await limiter.blockedFor('k');
      locks.push(wait);
      jest.advanceTimersByTime(wait * 1000);
      expect(await limiter.blockedFor('k')).toBe(0);
    }
    expect(locks).toEqual([60, 120, 240, 480, 900, 900]);
    expect(await limiter.blockedFor('other')).toBe(0);
  });

  test('a key under suspicion is locked at its first failure; a reset forgets count and lock', async () => {
    const limiter = createProgressiveLimiter(options);
    await limiter.fail('k', true);
    expect(await limiter.blockedFor('k')).toBe(60);
    await limiter.reset('k');
    expect(await limiter.blockedFor('k')).toBe(0);
    await limiter.fail('k');
    expect(await limiter.blockedFor('k')).toBe(0);
  });
});

describe('secrets and cookies', () => {
  test('secrets are random, prefixed, and stored as their SHA-256 only', () => {
    const a = newSecret('april');
    expect(a).toMatch(/^april_[\w-]{43}$/);
    expect(newSecret('april')).not.toBe(a);
    expect(hashSecret(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(sameSecret(a, a)).toBe(true);
    expect(sameSecret(a, `${a}x`)).toBe(false);
  });

  test('the session cookie is read among others', () => {
    expect(readCookie('a=1; april_session=s_abc%3D; b=2', 'april_session')).toBe('s_abc=');
    expect(readCookie(undefined, 'april_session')).toBeUndefined();
    expect(readCookie('april_sessionx=1', 'april_session')).toBeUndefined();
  });
});
