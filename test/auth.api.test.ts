import type { Request, Response } from 'express';
import { createSessions } from '../api/auth/sessions';
import { TEST_PASSWORD } from './support/accounts';
import { openHarness, type Harness } from './support/harness';
import { request, signIn } from './support/http';

/** Sign-in, sessions, CSRF, personal API tokens and the headers every answer carries. */
let h: Harness;
const SIGN_IN_ATTEMPTS = 5;
beforeAll(async () => {
  h = await openHarness({ startWorker: false, app: { signInAttempts: SIGN_IN_ATTEMPTS } });
});
afterAll(async () => {
  await h?.close();
});

const rawSignIn = (email: string, password: string) =>
  fetch(`${h.baseUrl}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });

test('without credentials the API answers 401 with the error shape and says how to authenticate', async () => {
  const res = await request(h.baseUrl, 'GET', '/api/households');
  expect(res.status).toBe(401);
  expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
  expect(res.body).toMatchObject({ error: 'unauthenticated', message: expect.stringContaining('Connexion'), requestId: expect.any(String) });
  expect((await request(h.baseUrl, 'GET', '/api/me', undefined, { authorization: 'Bearer april_nope' })).status).toBe(401);
  expect((await request(h.baseUrl, 'GET', '/api/me', undefined, { authorization: 'Basic abc' })).status).toBe(401);
});

test('sign-in sets an HttpOnly, SameSite session cookie; the session reads /api/me', async () => {
  const res = await rawSignIn(h.as.committee_member.email, TEST_PASSWORD);
  expect(res.status).toBe(200);
  const cookie = res.headers.getSetCookie()[0] ?? '';
  expect(cookie).toMatch(/^april_session=s_[\w-]+;/);
  expect(cookie).toMatch(/HttpOnly/);
  expect(cookie).toMatch(/SameSite=Lax/);
  const body = (await res.json()) as { csrfToken: string; user: Record<string, unknown> };
  expect(body.user).toEqual({ id: h.as.committee_member.id, email: h.as.committee_member.email, displayName: expect.any(String), role: 'committee_member' });
  expect(JSON.stringify(body)).not.toMatch(/scrypt|passwordHash/);

  const me = await request(h.baseUrl, 'GET', '/api/me', undefined, { cookie: cookie.split(';')[0]! });
  expect(me.body).toMatchObject({ id: h.as.committee_member.id, role: 'committee_member', roleLabel: 'membre du comité', csrfToken: body.csrfToken });
  // Only the hash of the cookie is stored.
  const stored = await h.db.session.findMany({ where: { userId: h.as.committee_member.id } });
  expect(stored.some((s) => cookie.includes(s.id))).toBe(false);
  expect(await h.db.auditEvent.count({ where: { actor: h.as.committee_member.id, action: 'session.sign_in' } })).toBeGreaterThan(0);
});

test('a wrong password and an unknown e-mail get the same answer, and are recorded', async () => {
  const wrong = await rawSignIn(h.as.educator2.email, 'pas le bon mot de passe');
  const unknown = await rawSignIn('personne@test.april.localhost', 'pas le bon mot de passe');
  expect(wrong.status).toBe(401);
  expect(unknown.status).toBe(401);
  const [a, b] = [(await wrong.json()) as Record<string, string>, (await unknown.json()) as Record<string, string>];
  expect({ ...a, requestId: '' }).toEqual({ ...b, requestId: '' });
  expect(await h.db.auditEvent.count({ where: { actor: h.as.educator2.id, action: 'session.sign_in_failed' } })).toBe(1);
  expect((await rawSignIn('pas-une-adresse', 'x')).status).toBe(400);
});

test('with a session, an unsafe request must carry the CSRF token; with a token it need not', async () => {
  const session = await signIn(h.baseUrl, h.as.educator2.email, TEST_PASSWORD);
  const withoutCsrf = await request(h.baseUrl, 'POST', '/api/me/tokens', { name: 'forgé' }, { cookie: session.cookie! });
  expect(withoutCsrf.status).toBe(403);
  expect(withoutCsrf.body).toMatchObject({ error: 'forbidden', message: expect.stringContaining('CSRF') });
  const wrongCsrf = await request(h.baseUrl, 'POST', '/api/me/tokens', { name: 'forgé' }, { cookie: session.cookie!, 'x-csrf-token': 'c_wrong' });
  expect(wrongCsrf.status).toBe(403);
  expect(await h.db.apiToken.count({ where: { userId: h.as.educator2.id, name: 'forgé' } })).toBe(0);

  const created = await request(h.baseUrl, 'POST', '/api/me/tokens', { name: 'Intégration' }, session);
  expect(created.status).toBe(201);
  expect(created.body).toEqual({ id: expect.any(String), name: 'Intégration', prefix: created.body.token.slice(0, 12), token: expect.stringMatching(/^april_/) });
});

test('a sign-in from another site is refused (login CSRF) and sets no cookie; from the app itself it passes', async () => {
  const { email } = h.as.committee_member;
  const post = (path: string, headers: Record<string, string>, form = false) => fetch(`${h.baseUrl}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json', ...headers },
    body: form ? new URLSearchParams({ email, password: TEST_PASSWORD }).toString() : JSON.stringify({ email, password: TEST_PASSWORD }),
  });
  const crossSite: Record<string, string>[] = [{ origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site', origin: h.baseUrl }, { origin: 'null' }];
  for (const headers of crossSite) {
    const api = await post('/api/session', headers);
    expect(api.status).toBe(403);
    expect(api.headers.getSetCookie()).toEqual([]);
    expect(await api.json()).toMatchObject({ error: 'forbidden', message: expect.stringContaining('autre site') });
    const page = await post('/connexion', headers, true);
    expect(page.status).toBe(403);
    expect(page.headers.getSetCookie()).toEqual([]);
    expect(await page.text()).toContain('autre site');
  }
  const sameOrigin: Record<string, string>[] = [{ origin: h.baseUrl }, { 'sec-fetch-site': 'same-origin', origin: h.baseUrl }, { 'sec-fetch-site': 'none' }];
  for (const headers of sameOrigin) {
    expect((await post('/api/session', headers)).status).toBe(200);
    const page = await post('/connexion', headers, true);
    expect(page.status).toBe(303);
    expect(page.headers.getSetCookie()[0]).toMatch(/^april_session=/);
  }
});

test('a bearer-token call is not concerned by the origin check', async () => {
  const created = await request(h.baseUrl, 'POST', '/api/me/tokens', { name: 'Depuis ailleurs' }, { ...h.as.landlord_agent.headers, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
  expect(created.status).toBe(201);
});

test('personal API tokens: shown once, listed without the secret, usable, revocable', async () => {
  const session = await signIn(h.baseUrl, h.as.landlord_agent.email, TEST_PASSWORD);
  const created = await request(h.baseUrl, 'POST', '/api/me/tokens', { name: 'Logiciel du bailleur' }, session);
  const bearer = { authorization: `Bearer ${created.body.token}` };
  const listed = await request(h.baseUrl, 'GET', '/api/me/tokens', undefined, session);
  expect(listed.body.tokens).toEqual(expect.arrayContaining([expect.objectContaining({ id: created.body.id, name: 'Logiciel du bailleur', prefix: created.body.prefix })]));
  expect(JSON.stringify(listed.body)).not.toContain(created.body.token);

  expect((await request(h.baseUrl, 'GET', '/api/me', undefined, bearer)).body).toMatchObject({ id: h.as.landlord_agent.id, landlordId: expect.any(String) });
  // Someone else cannot revoke it.
  expect((await request(h.baseUrl, 'DELETE', `/api/me/tokens/${created.body.id}`, undefined, h.as.coordinator.headers)).status).toBe(404);
  expect((await request(h.baseUrl, 'DELETE', `/api/me/tokens/${created.body.id}`, undefined, session)).status).toBe(204);
  expect((await request(h.baseUrl, 'GET', '/api/me', undefined, bearer)).status).toBe(401);
  expect((await request(h.baseUrl, 'POST', '/api/me/tokens', { name: '' }, session)).status).toBe(400);
});

test('a deactivated account loses its sessions and tokens at once', async () => {
  const session = await signIn(h.baseUrl, h.as.other_partner_worker.email, TEST_PASSWORD);
  await h.db.user.update({ where: { id: h.as.other_partner_worker.id }, data: { active: false } });
  try {
    expect((await request(h.baseUrl, 'GET', '/api/me', undefined, h.as.other_partner_worker.headers)).status).toBe(401);
    expect((await request(h.baseUrl, 'GET', '/api/me', undefined, session)).status).toBe(401);
    expect((await rawSignIn(h.as.other_partner_worker.email, TEST_PASSWORD)).status).toBe(401);
  } finally {
    await h.db.user.update({ where: { id: h.as.other_partner_worker.id }, data: { active: true } });
  }
});

test('sign-out ends the session', async () => {
  const session = await signIn(h.baseUrl, h.as.educator2.email, TEST_PASSWORD);
  expect((await request(h.baseUrl, 'DELETE', '/api/session', undefined, { cookie: session.cookie! })).status).toBe(403);
  expect((await request(h.baseUrl, 'DELETE', '/api/session', undefined, session)).status).toBe(204);
  expect((await request(h.baseUrl, 'GET', '/api/me', undefined, session)).status).toBe(401);
});

test('every answer carries the security headers and a request id', async () => {
  for (const path of ['/health', '/api/me', '/api/nothing']) {
    const res = await fetch(`${h.baseUrl}${path}`, { headers: { 'x-request-id': 'demande-123' } });
    expect(res.headers.get('x-request-id')).toBe('demande-123');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
    expect(res.headers.get('x-powered-by')).toBeNull();
  }
});

test('abuse from one address, or from many, never locks out the real user signing in from another address', async () => {
  // The sessions service itself, on this database: each call says which client address it comes from.
  const sessions = createSessions({ db: h.db, clock: () => new Date(), secureCookies: false, signInAttempts: 2 });
  const from = (ip: string) => ({ ip, id: `test-${ip}` }) as unknown as Request;
  const res = { cookie: () => undefined } as unknown as Response;
  const { email, id } = h.as.coordinator;
  const attacker = '203.0.113.9';
  for (let attempt = 0; attempt < 6; attempt++) {
    await expect(sessions.signIn(from(attacker), res, email, `mauvais-${attempt}`)).rejects.toMatchObject({ status: attempt < 2 ? 401 : 429 });
  }
  // The attacker's pair is locked, even with the right password; the real user elsewhere is not.
  await expect(sessions.signIn(from(attacker), res, email, TEST_PASSWORD)).rejects.toMatchObject({ status: 429, retryAfterSeconds: expect.any(Number) });
  await expect(sessions.signIn(from('198.51.100.7'), res, email, TEST_PASSWORD)).resolves.toMatchObject({ user: { id } });

  // A distributed attack (one failure from each of 40 addresses: the e-mail's hourly limit) only
  // makes a new address's first failure lock that address; the right password still signs in.
  for (let n = 1; n <= 40; n++) {
    await expect(sessions.signIn(from(`192.0.2.${n}`), res, email, 'mauvais')).rejects.toMatchObject({ status: 401 });
  }
  await expect(sessions.signIn(from('192.0.2.100'), res, email, 'mauvais')).rejects.toMatchObject({ status: 401 });
  await expect(sessions.signIn(from('192.0.2.100'), res, email, TEST_PASSWORD)).rejects.toMatchObject({ status: 429 });
  await expect(sessions.signIn(from('198.51.100.8'), res, email, TEST_PASSWORD)).resolves.toMatchObject({ user: { id } });
}, 60_000);

// Last: it exhausts this account's sign-in budget, from this address, for the file.
test('repeated failed sign-ins from one address are slowed down: 429 with Retry-After, even for the right password', async () => {
  const email = h.as.educator2.email;
  let status = 0;
  let attempts = 0;
  while (status !== 429 && attempts < SIGN_IN_ATTEMPTS + 1) {
    status = (await rawSignIn(email, `mauvais-${attempts}`)).status;
    attempts++;
  }
  expect(status).toBe(429);
  const blocked = await rawSignIn(email, TEST_PASSWORD);
  expect(blocked.status).toBe(429);
  expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(await blocked.json()).toMatchObject({ error: 'too_many_requests', message: expect.stringContaining('Réessayez') });
});
