// Accounts by invitation, password change and reset, through HTTP on the real stack (issue 13,
// « Trust »): the admin never sets nor sees a password; the invitation and reset links come from
// the mails the SMTP catcher received.
import { randomUUID } from 'node:crypto';
import { hashSecret } from '../api/auth/secrets';
import { RESET_ANSWER } from '../api/accounts/service';
import { LANDLORDS } from '../lib/reference-data';
import { eventually, useHarness } from './support/harness';
import { request, signIn } from './support/http';
import { inboxUrl, receivedMail, type ReceivedMail } from './support/mailbox';

const h = useHarness();
const asAdmin = (method: string, path: string, body?: unknown) => request(h.baseUrl, method, path, body, h.as.admin.headers);
const newEmail = (what: string) => `${what}-${randomUUID().slice(0, 8)}@test.april.localhost`;
const PASSWORD = 'une phrase de passe assez longue';

/** The mails received by one address whose subject contains `subject`, oldest first. */
async function mailsTo(address: string, subject: string): Promise<ReceivedMail[]> {
  return (await receivedMail(inboxUrl())).filter((m) => m.to.some((t) => t.address === address) && m.subject.includes(subject));
}

/** Waits for the `count`-th mail to an address and returns the one-time link's token it carries. */
async function linkToken(address: string, subject: string, count = 1): Promise<string> {
  const mails = await eventually(async () => {
    const found = await mailsTo(address, subject);
    return found.length >= count ? found : undefined;
  }, 20_000, `mail « ${subject} » n°${count}`);
  // The link points at the product's own address (PUBLIC_URL: here the test's server).
  const match = /(\S+)\/mot-de-passe\/(l_[\w-]{43})\s/.exec(`${mails[count - 1]!.text}\n`);
  if (!match) throw new Error(`no link in the mail: ${mails[count - 1]!.text}`);
  expect(match[1]).toBe(h.baseUrl);
  return match[2]!;
}

const usePassword = (token: string, password: string) => request(h.baseUrl, 'POST', '/api/password-link', { token, password });

describe('accounts by invitation', () => {
  test('the admin creates a coordinator: no password anywhere, the invitee sets it from the mailed link, then signs in; the link serves once', async () => {
    const email = newEmail('coordination');
    const created = await asAdmin('POST', '/api/admin/users', { email, displayName: 'Coordinatrice Invitée', role: 'coordinator' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual(expect.objectContaining({ email, role: 'coordinator', canSignIn: false, invitation: expect.objectContaining({ mail: 'sent' }) }));
    // The answer carries no password, no hash, no link.
    expect(JSON.stringify(created.body)).not.toMatch(/password|scrypt|mot-de-passe\/|l_[\w-]{43}/i);
    const id = created.body.id as string;
    expect((await h.db.user.findUniqueOrThrow({ where: { id } })).passwordHash).toBeNull();
    // Nobody can sign in yet, whatever they try.
    await expect(signIn(h.baseUrl, email, PASSWORD)).rejects.toThrow(/401/);

    const token = await linkToken(email, 'votre compte est créé');
    // Only the token's SHA-256 is stored, expiring 72 h after creation.
    const link = await h.db.passwordLink.findUniqueOrThrow({ where: { tokenHash: hashSecret(token) } });
    expect(link).toMatchObject({ userId: id, purpose: 'invitation' });
    expect(link.expiresAt.getTime() - link.createdAt.getTime()).toBe(72 * 3600_000);
    expect(await h.db.passwordLink.count({ where: { tokenHash: token } })).toBe(0);
    // The mail log keeps no text of the mail (the link lives only in the mail).
    const row = await h.db.mailMessage.findFirstOrThrow({ where: { template: 'account_invitation', userId: id } });
    expect(row).toMatchObject({ status: 'sent', text: null });

    expect((await usePassword(token, 'court')).status).toBe(400);
    expect((await usePassword(token, PASSWORD)).status).toBe(204);
    const session = await signIn(h.baseUrl, email, PASSWORD);
    expect((await request(h.baseUrl, 'GET', '/api/me', undefined, session)).body).toEqual(expect.objectContaining({ id, role: 'coordinator' }));

    // Single use: the second time is refused and changes nothing.
    const again = await usePassword(token, 'un autre mot de passe très long');
    expect(again.status).toBe(404);
    await signIn(h.baseUrl, email, PASSWORD);
    expect(await h.db.passwordLink.count({ where: { userId: id } })).toBe(0);
    // A person with a password gets no new invitation (« Mot de passe oublié » instead).
    expect((await asAdmin('POST', `/api/admin/users/${id}/invitation`)).status).toBe(409);

    const audit = await h.db.auditEvent.findMany({ where: { OR: [{ actor: id }, { details: { path: ['userId'], equals: id } }] }, orderBy: { at: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['user.create', 'user.invite', 'user.role_granted', 'account.invitation_accepted', 'session.sign_in']));
    // Other files count the mails to every active coordinator (a referral's): this one leaves.
    expect((await asAdmin('PATCH', `/api/admin/users/${id}`, { active: false })).status).toBe(200);
  });

  test('an invitation no longer works after 72 h, nor after it is sent again; the new one does', async () => {
    const email = newEmail('educateur');
    const created = await asAdmin('POST', '/api/admin/users', { email, displayName: 'Éducateur Invité', role: 'educator' });
    const id = created.body.id as string;
    const first = await linkToken(email, 'votre compte est créé', 1);

    // Expired: moved 72 h and a minute back in the database.
    await h.db.passwordLink.update({ where: { tokenHash: hashSecret(first) }, data: { expiresAt: new Date(Date.now() - 60_000) } });
    expect((await usePassword(first, PASSWORD)).status).toBe(404);
    const page = await fetch(`${h.baseUrl}/mot-de-passe/${first}`);
    expect(page.status).toBe(404);
    expect(await page.text()).toContain('Ce lien n’est pas valable');

    // Sent again: a second link; the first (even if it had not expired) no longer works.
    await h.db.passwordLink.update({ where: { tokenHash: hashSecret(first) }, data: { expiresAt: new Date(Date.now() + 3600_000) } });
    const resent = await asAdmin('POST', `/api/admin/users/${id}/invitation`);
    expect(resent.status).toBe(200);
    expect(resent.body).toEqual({ expiresAt: expect.any(String), mail: 'sent' });
    const second = await linkToken(email, 'votre compte est créé', 2);
    expect(second).not.toBe(first);
    expect((await usePassword(first, PASSWORD)).status).toBe(404);
    expect(await h.db.passwordLink.count({ where: { userId: id } })).toBe(1);
    expect((await usePassword(second, PASSWORD)).status).toBe(204);
    await signIn(h.baseUrl, email, PASSWORD);
  });

  test('a landlord agent is invited too; the admin cannot set a password, and re-activating an account without one invites again', async () => {
    const email = newEmail('bailleur');
    // A password in the body is refused: the admin never chooses one.
    const refused = await asAdmin('POST', '/api/admin/users', { email, displayName: 'Agent', role: 'landlord_agent', landlordId: LANDLORDS[2].id, password: PASSWORD });
    expect(refused.status).toBe(400);
    expect(await h.db.user.count({ where: { email } })).toBe(0);

    const created = await asAdmin('POST', '/api/admin/users', { email, displayName: 'Agent Invité', role: 'landlord_agent', landlordId: LANDLORDS[2].id });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const first = await linkToken(email, 'votre compte est créé', 1);
    expect((await asAdmin('PATCH', `/api/admin/users/${id}`, { active: false })).status).toBe(200);
    // A deactivated account's link does not work.
    expect((await usePassword(first, PASSWORD)).status).toBe(404);
    const on = await asAdmin('PATCH', `/api/admin/users/${id}`, { active: true });
    expect(on.status).toBe(200);
    expect(on.body.invitation).toEqual(expect.objectContaining({ mail: 'sent' }));
    const second = await linkToken(email, 'votre compte est créé', 2);
    expect((await usePassword(first, PASSWORD)).status).toBe(404);
    expect((await usePassword(second, PASSWORD)).status).toBe(204);
    await signIn(h.baseUrl, email, PASSWORD);
  });

  test('creating or re-activating a team account is audited and mailed to the coordination; a landlord agent is not', async () => {
    const coordination = h.as.coordinator.email;
    const name = `Membre du comité ${randomUUID().slice(0, 8)}`;
    const created = await asAdmin('POST', '/api/admin/users', { email: newEmail('comite'), displayName: name, role: 'committee_member' });
    const id = created.body.id as string;
    const notice = await eventually(async () => (await mailsTo(coordination, 'compte créé')).find((m) => m.text.includes(name)), 20_000, 'notice to the coordination');
    expect(notice.subject).toBe('APRIL : compte créé (membre du comité)');
    const admin = await h.db.user.findUniqueOrThrow({ where: { id: h.as.admin.id } });
    expect(notice.text).toContain(`Le compte de ${name} (membre du comité) a été créé par ${admin.displayName}, le `);
    const granted = await h.db.auditEvent.findFirstOrThrow({ where: { action: 'user.role_granted', details: { path: ['userId'], equals: id } } });
    expect(granted).toMatchObject({ actor: h.as.admin.id, details: expect.objectContaining({ role: 'committee_member', grant: 'created', mailsFailed: 0 }) });
    expect(granted.at).toBeInstanceOf(Date);

    await asAdmin('PATCH', `/api/admin/users/${id}`, { active: false });
    await asAdmin('PATCH', `/api/admin/users/${id}`, { active: true });
    await eventually(async () => (await mailsTo(coordination, 'compte réactivé')).find((m) => m.text.includes(name)), 20_000, 'reactivation notice');
    expect(await h.db.auditEvent.count({ where: { action: 'user.role_granted', details: { path: ['grant'], equals: 'reactivated' }, AND: { details: { path: ['userId'], equals: id } } } })).toBe(1);

    const agentName = `Agent non signalé ${randomUUID().slice(0, 8)}`;
    const agent = await asAdmin('POST', '/api/admin/users', { email: newEmail('agent'), displayName: agentName, role: 'landlord_agent', landlordId: LANDLORDS[0].id });
    expect(await h.db.auditEvent.count({ where: { action: 'user.role_granted', details: { path: ['userId'], equals: agent.body.id } } })).toBe(0);
    // Given a team role later, it is signalled.
    await asAdmin('PATCH', `/api/admin/users/${agent.body.id}`, { role: 'educator', landlordId: null });
    await eventually(async () => (await mailsTo(coordination, 'rôle attribué')).find((m) => m.text.includes(agentName)), 20_000, 'role notice');
    expect((await mailsTo(coordination, 'compte créé')).some((m) => m.text.includes(agentName))).toBe(false);
  });
});

describe('my password', () => {
  /** An active account with a password, set through its invitation. */
  async function invitedPerson(role = 'educator') {
    const email = newEmail('personne');
    const created = await asAdmin('POST', '/api/admin/users', { email, displayName: 'Personne', role });
    expect((await usePassword(await linkToken(email, 'votre compte est créé'), PASSWORD)).status).toBe(204);
    return { id: created.body.id as string, email };
  }

  test('changing it needs the current one and ends the other sessions, not this one', async () => {
    const { id, email } = await invitedPerson();
    const here = await signIn(h.baseUrl, email, PASSWORD);
    const elsewhere = await signIn(h.baseUrl, email, PASSWORD);

    const wrong = await request(h.baseUrl, 'POST', '/api/me/password', { currentPassword: 'pas le bon mot de passe', newPassword: 'un nouveau mot de passe' }, here);
    expect(wrong.status).toBe(400);
    expect(wrong.body.details).toEqual([expect.objectContaining({ field: 'currentPassword' })]);
    expect((await request(h.baseUrl, 'GET', '/api/me', undefined, elsewhere)).status).toBe(200);

    const changed = await request(h.baseUrl, 'POST', '/api/me/password', { currentPassword: PASSWORD, newPassword: 'un nouveau mot de passe' }, here);
    expect(changed.status).toBe(204);
    expect((await request(h.baseUrl, 'GET', '/api/me', undefined, here)).status).toBe(200);
    expect((await request(h.baseUrl, 'GET', '/api/me', undefined, elsewhere)).status).toBe(401);
    expect(await h.db.session.count({ where: { userId: id } })).toBe(1);
    await expect(signIn(h.baseUrl, email, PASSWORD)).rejects.toThrow(/401/);
    await signIn(h.baseUrl, email, 'un nouveau mot de passe');
    expect(await h.db.auditEvent.count({ where: { actor: id, action: 'account.password_change' } })).toBe(1);
  });

  test('« Mot de passe oublié » answers the same for an unknown address, mails a 1-hour link to a known one, which ends every session', async () => {
    const { id, email } = await invitedPerson();
    const session = await signIn(h.baseUrl, email, PASSWORD);
    const unknown = newEmail('inconnu');

    const known = await request(h.baseUrl, 'POST', '/api/password-reset', { email: email.toUpperCase() });
    const stranger = await request(h.baseUrl, 'POST', '/api/password-reset', { email: unknown });
    expect(known.status).toBe(202);
    expect(stranger.status).toBe(202);
    expect(stranger.body).toEqual(known.body);
    expect(known.body).toEqual({ message: RESET_ANSWER });

    const token = await linkToken(email, 'choisir un nouveau mot de passe');
    const link = await h.db.passwordLink.findUniqueOrThrow({ where: { tokenHash: hashSecret(token) } });
    expect(link).toMatchObject({ userId: id, purpose: 'reset' });
    expect(link.expiresAt.getTime() - link.createdAt.getTime()).toBe(3600_000);
    // The unknown address got nothing, and nothing was written for it.
    expect(await mailsTo(unknown, '')).toEqual([]);
    expect(await h.db.mailMessage.count({ where: { recipient: unknown } })).toBe(0);

    const page = await fetch(`${h.baseUrl}/mot-de-passe/${token}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(await page.text()).toContain('Choisir un nouveau mot de passe');

    expect((await usePassword(token, 'le mot de passe retrouvé')).status).toBe(204);
    expect((await request(h.baseUrl, 'GET', '/api/me', undefined, session)).status).toBe(401);
    expect(await h.db.session.count({ where: { userId: id } })).toBe(0);
    await signIn(h.baseUrl, email, 'le mot de passe retrouvé');
    expect((await usePassword(token, 'encore un autre mot de passe')).status).toBe(404);
    expect(await h.db.auditEvent.count({ where: { actor: id, action: 'account.password_reset' } })).toBe(1);
  });

  test('« Mot de passe oublié » is rate-limited per client address (429 whatever the address asked)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await request(h.baseUrl, 'POST', '/api/password-reset', { email: newEmail('inconnu') })).status);
    expect(statuses).toContain(429);
    expect(statuses.slice(0, statuses.indexOf(429)).every((s) => s === 202)).toBe(true);
  });
});
