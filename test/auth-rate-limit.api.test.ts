import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { createProgressiveLimiter, createRateLimiter, RATE_LIMIT_TABLE } from '../api/auth/rate-limit';
import { createPgPool } from '../lib/db';
import { TEST_PASSWORD } from './support/accounts';
import { openHarness, testServices, type Harness } from './support/harness';

/**
 * The sign-in limits in PostgreSQL (rate-limiter-flexible's RateLimiterPostgres on the table of the
 * migration): two API processes, each with its own pool, draw on one budget.
 */
const pools: Pool[] = [];
const harnesses: Harness[] = [];
const pool = () => {
  const created = createPgPool(testServices().databaseUrl, 2);
  pools.push(created);
  return created;
};
afterAll(async () => {
  await Promise.all(harnesses.map((h) => h.close()));
  await Promise.all(pools.map((p) => p.end()));
});

test('two limiters on two pools (two processes) share one budget, and a reset by one frees the other', async () => {
  const name = `test-${randomUUID()}`;
  const first = createRateLimiter({ name, max: 3, windowMs: 60_000, store: pool() });
  const second = createRateLimiter({ name, max: 3, windowMs: 60_000, store: pool() });
  await first.fail('someone@example.org');
  await first.fail('someone@example.org');
  expect(await second.blockedFor('someone@example.org')).toBe(0);
  await second.fail('someone@example.org');
  const wait = await first.blockedFor('someone@example.org');
  expect(wait).toBeGreaterThan(0);
  expect(wait).toBeLessThanOrEqual(60);
  expect(await second.blockedFor('someone@example.org')).toBe(wait);
  expect(await first.blockedFor('someone-else@example.org')).toBe(0);
  await second.reset('someone@example.org');
  expect(await first.blockedFor('someone@example.org')).toBe(0);
});

test('the growing lock of a pair is shared too: set on one pool, seen and lifted on the other', async () => {
  const options = { name: `test-${randomUUID()}`, freeFailures: 2, firstLockMs: 60_000, maxLockMs: 900_000, windowMs: 3_600_000 };
  const [first, second] = [createProgressiveLimiter({ ...options, store: pool() }), createProgressiveLimiter({ ...options, store: pool() })];
  await first.fail('pair');
  expect(await second.blockedFor('pair')).toBe(0);
  await second.fail('pair');
  expect(await first.blockedFor('pair')).toBeGreaterThan(55);
  await first.fail('pair');
  expect(await second.blockedFor('pair')).toBeGreaterThan(115);
  await second.reset('pair');
  expect(await first.blockedFor('pair')).toBe(0);
});

test('the table holds a prefix and a hash per key, never the e-mail address', async () => {
  const name = `test-${randomUUID()}`;
  const store = pool();
  await createRateLimiter({ name, max: 3, windowMs: 60_000, store }).fail('personne@example.org');
  const { rows } = await store.query<{ key: string; points: number; expire: string }>(`SELECT key, points, expire FROM ${RATE_LIMIT_TABLE} WHERE key LIKE $1`, [`${name}:%`]);
  expect(rows).toHaveLength(1);
  expect(rows[0]!.key).toMatch(new RegExp(`^${name}:[0-9a-f]{64}$`));
  expect(rows[0]!.points).toBe(1);
  expect(Number(rows[0]!.expire)).toBeGreaterThan(Date.now());
});

test('two API servers on one database: failures from one address on the first make the second answer 429 with Retry-After', async () => {
  const rateLimits = { pool: pool(), prefix: `test-${randomUUID()}:` };
  const options = { startWorker: false, app: { signInAttempts: 3, rateLimits } };
  const [first, second] = [await openHarness(options), await openHarness(options)];
  harnesses.push(first!, second!);
  const signIn = (h: Harness, password: string) => fetch(`${h.baseUrl}/api/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: first!.as.educator2.email, password }),
  });
  for (let attempt = 0; attempt < 3; attempt++) expect((await signIn(first!, `mauvais-${attempt}`)).status).toBe(401);
  const blocked = await signIn(second!, TEST_PASSWORD);
  expect(blocked.status).toBe(429);
  expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(await blocked.json()).toMatchObject({ error: 'too_many_requests', message: expect.stringMatching(/^Trop de tentatives de connexion\. Réessayez dans \d+ min\.$/) });
});

describe('the client address the limits key on: X-Forwarded-For only from configured proxies (TRUST_PROXY)', () => {
  const signInFrom = (h: Harness, forwardedFor: string, password: string) => fetch(`${h.baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
    body: JSON.stringify({ email: h.as.educator2.email, password }),
  });

  test('with no proxy configured, a forged X-Forwarded-For does not change the key', async () => {
    const h = await openHarness({ startWorker: false, app: { signInAttempts: 2 } });
    harnesses.push(h);
    expect((await signInFrom(h, '203.0.113.1', 'mauvais')).status).toBe(401);
    expect((await signInFrom(h, '203.0.113.2', 'mauvais')).status).toBe(401);
    expect((await signInFrom(h, '203.0.113.3', TEST_PASSWORD)).status).toBe(429);
  });

  test('behind a trusted proxy, abuse from one client address leaves the real user at another one free', async () => {
    const h = await openHarness({ startWorker: false, app: { signInAttempts: 2, trustProxy: ['loopback'] } });
    harnesses.push(h);
    for (let attempt = 0; attempt < 4; attempt++) await signInFrom(h, '203.0.113.9', `mauvais-${attempt}`);
    expect((await signInFrom(h, '203.0.113.9', TEST_PASSWORD)).status).toBe(429);
    expect((await signInFrom(h, '198.51.100.7', TEST_PASSWORD)).status).toBe(200);
  });
});
