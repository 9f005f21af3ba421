// Administration through the API: who may administer, accounts and organisations. The audit log,
// the mail log and the policy: admin-logs.api.test.ts.
import { randomUUID } from 'node:crypto';
import { hashPassword } from '../lib/passwords';
import { LANDLORDS, PARTNER_ORGANISATIONS } from '../lib/reference-data';
import { TEST_PASSWORD } from './support/accounts';
import { useHarness } from './support/harness';
import { request, signIn } from './support/http';

const h = useHarness();
const asAdmin = (method: string, path: string, body?: unknown) => request(h.baseUrl, method, path, body, h.as.admin.headers);
const unique = () => randomUUID().slice(0, 8);
const newEmail = () => `admin-test-${unique()}@test.april.localhost`;
const fieldsOf = (body: any) => (body.details as { field: string }[]).map((d) => d.field);

describe('who may administer', () => {
  test.each([
    ['GET', '/api/admin/users'], ['POST', '/api/admin/users'], ['PATCH', `/api/admin/users/${randomUUID()}`],
    ['GET', '/api/admin/landlords'], ['POST', '/api/admin/partner-organisations'], ['GET', '/api/admin/audit'],
  ])('%s %s: 401 without sign-in, 403 for the coordination', async (method, path) => {
    const body = method === 'GET' ? undefined : {};
    expect((await request(h.baseUrl, method, path, body)).status).toBe(401);
    const forbidden = await request(h.baseUrl, method, path, body, h.as.coordinator.headers);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toEqual(expect.objectContaining({ error: 'forbidden', message: expect.any(String), requestId: expect.any(String) }));
  });

  test('the coordination reads the mail log and the policy, an educator neither', async () => {
    expect((await request(h.baseUrl, 'GET', '/api/admin/mails', undefined, h.as.coordinator.headers)).status).toBe(200);
    expect((await request(h.baseUrl, 'GET', '/api/admin/policy', undefined, h.as.coordinator.headers)).status).toBe(200);
    expect((await request(h.baseUrl, 'GET', '/api/admin/mails', undefined, h.as.educator.headers)).status).toBe(403);
    expect((await request(h.baseUrl, 'GET', '/api/admin/policy', undefined, h.as.educator.headers)).status).toBe(403);
  });
});

describe('accounts', () => {
  test('a landlord agent is created without a password (it is invited by mail), and no hash is ever returned', async () => {
    const email = newEmail();
    const created = await asAdmin('POST', '/api/admin/users', {
      email, displayName: 'Agent Créé', role: 'landlord_agent', landlordId: LANDLORDS[2].id,
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/api/admin/users/${created.body.id}`);
    expect(created.body).toEqual(expect.objectContaining({
      email, role: 'landlord_agent', landlordId: LANDLORDS[2].id, partnerOrganisationId: null, active: true, canSignIn: false,
      invitation: { expiresAt: expect.any(String), mail: 'sent' },
    }));
    expect(JSON.stringify(created.body)).not.toMatch(/passwordHash|scrypt/);
    const row = await h.db.user.findUniqueOrThrow({ where: { id: created.body.id } });
    expect(row.passwordHash).toBeNull();
    // How the invitation is used: accounts.api.test.ts.
    expect(await h.db.passwordLink.count({ where: { userId: created.body.id, purpose: 'invitation' } })).toBe(1);

    const list = await asAdmin('GET', '/api/admin/users?role=landlord_agent&limit=500');
    expect(list.status).toBe(200);
    expect(list.body.users.map((u: any) => u.id)).toContain(created.body.id);
    expect(JSON.stringify(list.body)).not.toMatch(/passwordHash|scrypt/);
    expect(list.body.users.every((u: any) => u.role === 'landlord_agent')).toBe(true);
  });

  test('an account without a password cannot sign in', async () => {
    const email = newEmail();
    const created = await asAdmin('POST', '/api/admin/users', { email, displayName: 'Sans Mot De Passe', role: 'educator' });
    expect(created.status).toBe(201);
    expect(created.body.canSignIn).toBe(false);
    await expect(signIn(h.baseUrl, email, 'n\'importe quoi de long')).rejects.toThrow(/401/);
  });

  test.each([
    ['a landlord agent without a landlord', { role: 'landlord_agent' }, 'landlordId'],
    ['an educator with a landlord', { role: 'educator', landlordId: LANDLORDS[0].id }, 'landlordId'],
    ['a partner worker without an organisation', { role: 'partner_worker' }, 'partnerOrganisationId'],
    ['a coordinator with an organisation', { role: 'coordinator', partnerOrganisationId: PARTNER_ORGANISATIONS[0].id }, 'partnerOrganisationId'],
    ['an unknown landlord', { role: 'landlord_agent', landlordId: randomUUID() }, 'landlordId'],
    ['an unknown organisation', { role: 'partner_worker', partnerOrganisationId: randomUUID() }, 'partnerOrganisationId'],
    ['a password (the admin never chooses one)', { role: 'educator', password: 'un mot de passe assez long' }, '(corps)'],
    ['an unknown role', { role: 'superuser' }, 'role'],
    ['an extra property', { role: 'educator', isAdmin: true }, '(corps)'],
  ])('refuses %s (400 naming the field), and creates nothing', async (_what, fields, field) => {
    const email = newEmail();
    const res = await asAdmin('POST', '/api/admin/users', { email, displayName: 'Refusé', ...fields });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('validation_error');
    expect(fieldsOf(res.body)).toContain(field);
    expect(await h.db.user.count({ where: { email } })).toBe(0);
  });

  test('a second account with the same address (in any case) is a conflict', async () => {
    const email = newEmail();
    expect((await asAdmin('POST', '/api/admin/users', { email, displayName: 'Premier', role: 'educator' })).status).toBe(201);
    const again = await asAdmin('POST', '/api/admin/users', { email: email.toUpperCase(), displayName: 'Second', role: 'committee_member' });
    expect(again.status).toBe(409);
    expect(again.body).toEqual(expect.objectContaining({ error: 'conflict', message: expect.stringContaining('existe déjà') }));
    expect(await h.db.user.count({ where: { email: { equals: email, mode: 'insensitive' } } })).toBe(1);
  });

  test('changing a role carries its scope, with the same rules', async () => {
    const created = await asAdmin('POST', '/api/admin/users', { email: newEmail(), displayName: 'Changeant', role: 'landlord_agent', landlordId: LANDLORDS[0].id });
    const id = created.body.id as string;
    const noScope = await asAdmin('PATCH', `/api/admin/users/${id}`, { role: 'partner_worker' });
    expect(noScope.status).toBe(400);
    expect(fieldsOf(noScope.body)).toContain('partnerOrganisationId');
    const scopeWithoutRole = await asAdmin('PATCH', `/api/admin/users/${id}`, { landlordId: LANDLORDS[1].id });
    expect(scopeWithoutRole.status).toBe(400);
    expect(fieldsOf(scopeWithoutRole.body)).toContain('role');
    expect((await asAdmin('PATCH', `/api/admin/users/${id}`, {})).status).toBe(400);
    expect((await h.db.user.findUniqueOrThrow({ where: { id } })).landlordId).toBe(LANDLORDS[0].id);

    const moved = await asAdmin('PATCH', `/api/admin/users/${id}`, { role: 'partner_worker', partnerOrganisationId: PARTNER_ORGANISATIONS[2].id, displayName: 'Désormais partenaire' });
    expect(moved.status).toBe(200);
    expect(moved.body).toEqual(expect.objectContaining({ role: 'partner_worker', landlordId: null, partnerOrganisationId: PARTNER_ORGANISATIONS[2].id, displayName: 'Désormais partenaire' }));
  });

  test('deactivating an account ends its sessions and revokes its tokens at once', async () => {
    const email = newEmail();
    const created = await asAdmin('POST', '/api/admin/users', { email, displayName: 'À Désactiver', role: 'educator' });
    const id = created.body.id as string;
    // The password the person would have chosen from the invitation (accounts.api.test.ts).
    await h.db.user.update({ where: { id }, data: { passwordHash: await hashPassword(TEST_PASSWORD) } });
    const session = await signIn(h.baseUrl, email, TEST_PASSWORD);
    const token = await request(h.baseUrl, 'POST', '/api/me/tokens', { name: 'intégration' }, session);
    expect(token.status).toBe(201);
    const bearer = { authorization: `Bearer ${token.body.token}` };
    expect((await request(h.baseUrl, 'GET', '/api/me', undefined, bearer)).status).toBe(200);

    const off = await asAdmin('PATCH', `/api/admin/users/${id}`, { active: false });
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    expect(await h.db.session.count({ where: { userId: id } })).toBe(0);
    expect(await h.db.apiToken.count({ where: { userId: id, revokedAt: null } })).toBe(0);
    expect((await request(h.baseUrl, 'GET', '/api/me', undefined, session)).status).toBe(401);
    expect((await request(h.baseUrl, 'GET', '/api/me', undefined, bearer)).status).toBe(401);
    await expect(signIn(h.baseUrl, email, TEST_PASSWORD)).rejects.toThrow(/401/);

    // Reactivated, the person signs in again; the revoked token stays revoked.
    expect((await asAdmin('PATCH', `/api/admin/users/${id}`, { active: true })).status).toBe(200);
    await signIn(h.baseUrl, email, TEST_PASSWORD);
    expect((await request(h.baseUrl, 'GET', '/api/me', undefined, bearer)).status).toBe(401);
  });

  test('an administrator cannot lock themselves out; unknown accounts are 404', async () => {
    const self = await asAdmin('PATCH', `/api/admin/users/${h.as.admin.id}`, { active: false });
    expect(self.status).toBe(409);
    expect((await asAdmin('PATCH', `/api/admin/users/${h.as.admin.id}`, { role: 'coordinator' })).status).toBe(409);
    expect((await h.db.user.findUniqueOrThrow({ where: { id: h.as.admin.id } })).active).toBe(true);
    expect((await asAdmin('PATCH', `/api/admin/users/${randomUUID()}`, { active: false })).status).toBe(404);
    expect((await asAdmin('PATCH', '/api/admin/users/pas-un-uuid', { active: false })).status).toBe(404);
  });
});

describe('organisations', () => {
  test('landlords: created, listed, codes unique', async () => {
    const code = `bailleur-${unique()}`;
    const created = await asAdmin('POST', '/api/admin/landlords', { code, name: 'Bailleur de Test' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual(expect.objectContaining({ code, name: 'Bailleur de Test', id: expect.any(String) }));
    const list = await asAdmin('GET', '/api/admin/landlords');
    expect(list.body.landlords.map((l: any) => l.code)).toEqual(expect.arrayContaining([code, LANDLORDS[0].code]));
    const again = await asAdmin('POST', '/api/admin/landlords', { code, name: 'Autre nom' });
    expect(again.status).toBe(409);
    const bad = await asAdmin('POST', '/api/admin/landlords', { code: 'Pas Un Code', name: 'X' });
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad.body)).toEqual(['code']);
    expect(await h.db.landlord.count({ where: { code } })).toBe(1);
  });

  test('partner organisations: e-mail required, codes unique', async () => {
    const missing = await asAdmin('POST', '/api/admin/partner-organisations', { code: `p-${unique()}`, name: 'Sans adresse' });
    expect(missing.status).toBe(400);
    expect(fieldsOf(missing.body)).toEqual(['email']);
    const taken = await asAdmin('POST', '/api/admin/partner-organisations', { code: PARTNER_ORGANISATIONS[0].code, name: 'Doublon', email: 'doublon@april.localhost' });
    expect(taken.status).toBe(409);

    // Every partner organisation is asked about every new household: the one created here is
    // removed at once, so that other test files' households do not wait for its answer.
    const code = `partenaire-${unique()}`;
    const created = await asAdmin('POST', '/api/admin/partner-organisations', { code, name: 'Partenaire de Test', email: 'Partenaire@April.localhost' });
    try {
      expect(created.status).toBe(201);
      expect(created.body).toEqual(expect.objectContaining({ code, email: 'partenaire@april.localhost' }));
      const list = await asAdmin('GET', '/api/admin/partner-organisations');
      expect(list.body.partnerOrganisations.map((p: any) => p.code)).toContain(code);
    } finally {
      await h.db.partnerOrganisation.deleteMany({ where: { code } });
    }
  });
});
