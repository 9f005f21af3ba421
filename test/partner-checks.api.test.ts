import { randomUUID } from 'node:crypto';
import { LANDLORDS, PARTNER_ORGANISATIONS } from '../lib/reference-data';
import type { AccountName } from './support/accounts';
import { eventually, openHarness, type Harness } from './support/harness';
import { request } from './support/http';
import { inboxUrl, receivedMail } from './support/mailbox';
import { patientPartnersPolicy } from './support/policy';
import { processDriver } from './support/process';

/**
 * Partner checks through HTTP (issue 5, item 5): "a partner answers a check and the referent
 * receives the alert mail". The partners' deadline is long here, so the checks stay open while the
 * tests answer them (the fast policy would hand the household to the committee after 4 s).
 */
let h: Harness;
let driver: ReturnType<typeof processDriver>;
const suffix = randomUUID().slice(0, 8);
const ccas = PARTNER_ORGANISATIONS[0];
const departement = PARTNER_ORGANISATIONS[1];
const caf = PARTNER_ORGANISATIONS[2];
const household = { headName: `Mme Nora Vérif ${suffix}`, address: `7 rue des Partenaires ${suffix}, 51100 Reims` };
let householdId: string;
const taskOf = (orgId: string, id = householdId) =>
  h.db.task.findFirstOrThrow({ where: { householdId: id, type: 'partner_check', partnerOrganisationId: orgId } });

beforeAll(async () => {
  h = await openHarness({ policy: patientPartnersPolicy });
  driver = processDriver(h);
  householdId = await driver.refer({ ...household, landlordId: LANDLORDS[2].id });
  // The workflow's state says partner_check a moment before its activity has written the tasks.
  await eventually(async () => (await h.db.task.count({ where: { householdId, type: 'partner_check' } })) === PARTNER_ORGANISATIONS.length || undefined, 20_000, 'partner check tasks');
});
afterAll(async () => {
  await h?.close();
});

const call = (account: AccountName, method: string, path: string, body?: unknown) => request(h.baseUrl, method, path, body, h.as[account].headers);
const fieldsOf = (body: any) => (body.details as { field: string }[]).map((d) => d.field);

describe('who may see and answer partner checks', () => {
  test('educators, committee members, landlord agents and admin get 403', async () => {
    const task = await taskOf(ccas.id);
    for (const account of ['educator', 'committee_member', 'landlord_agent', 'admin'] as const) {
      for (const [method, path, body] of [
        ['GET', '/api/partner-checks', undefined],
        ['GET', `/api/partner-checks/${task.id}`, undefined],
        ['POST', `/api/partner-checks/${task.id}/answer`, { answer: 'not_known' }],
      ] as const) {
        const res = await call(account, method, path, body);
        expect([account, method, path, res.status]).toEqual([account, method, path, 403]);
      }
    }
    expect((await request(h.baseUrl, 'GET', '/api/partner-checks')).status).toBe(401);
    expect((await taskOf(ccas.id)).status).toBe('open');
  });
});

describe('GET /api/partner-checks', () => {
  test('a partner lists its own organisation\'s pending checks, with the minimum personal data, and the read is audited', async () => {
    const res = await call('partner_worker', 'GET', '/api/partner-checks');
    expect(res.status).toBe(200);
    const task = await taskOf(ccas.id);
    const mine = (res.body.checks as any[]).find((c) => c.taskId === task.id);
    expect(mine).toEqual({
      taskId: task.id,
      householdId,
      headName: household.headName,
      address: household.address,
      landlord: LANDLORDS[2].name,
      question: 'Votre organisation suit-elle déjà ce ménage ?',
      askedOn: task.createdAt.toISOString(),
      dueAt: task.dueAt!.toISOString(),
      status: 'open',
    });
    // Only checks addressed to the CCAS: no other organisation's, no debt, no notes.
    const rows = await h.db.task.findMany({ where: { id: { in: res.body.checks.map((c: any) => c.taskId) } } });
    expect(rows.length).toBe(res.body.checks.length);
    expect(rows.every((t) => t.partnerOrganisationId === ccas.id && t.type === 'partner_check')).toBe(true);
    const allowed = ['taskId', 'householdId', 'headName', 'address', 'landlord', 'question', 'askedOn', 'dueAt', 'status', 'ownAnswer', 'correctableUntil'];
    for (const check of res.body.checks) expect(Object.keys(check).filter((k) => !allowed.includes(k))).toEqual([]);

    const audit = await h.db.auditEvent.findMany({ where: { requestId: res.headers.get('x-request-id')!, householdId } });
    expect(audit).toEqual([expect.objectContaining({ actor: h.as.partner_worker.id, action: 'household.read', details: { via: 'partner_checks' } })]);

    // Another partner sees its own check of the same household, not the CCAS's.
    const other = await call('other_partner_worker', 'GET', '/api/partner-checks');
    const otherIds = other.body.checks.map((c: any) => c.taskId);
    expect(otherIds).toContain((await taskOf(departement.id)).id);
    expect(otherIds).not.toContain(task.id);

    // The coordination sees every organisation's checks, and whose they are.
    const all = await call('coordinator', 'GET', '/api/partner-checks');
    const ours = (all.body.checks as any[]).filter((c) => c.householdId === householdId);
    expect(ours).toHaveLength(PARTNER_ORGANISATIONS.length);
    expect(ours.find((c) => c.taskId === task.id)).toMatchObject({ organisation: { id: ccas.id, name: ccas.name } });
  });

  test('one check, for the page the request mail links to; another organisation\'s check is 404', async () => {
    const task = await taskOf(ccas.id);
    const res = await call('partner_worker', 'GET', `/api/partner-checks/${task.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ taskId: task.id, householdId, headName: household.headName, status: 'open' });
    expect(res.body.organisation).toBeUndefined();
    for (const path of [`/api/partner-checks/${task.id}`, `/api/partner-checks/${randomUUID()}`, '/api/partner-checks/pas-un-id']) {
      const other = await call('other_partner_worker', 'GET', path);
      expect([path, other.status, other.body.error]).toEqual([path, 404, 'not_found']);
    }
  });
});

describe('POST /api/partner-checks/:taskId/answer', () => {
  const countRows = async () => ({
    referents: await h.db.referentWorker.count({ where: { householdId } }),
    answered: await h.db.task.count({ where: { householdId, type: 'partner_check', status: 'completed' } }),
  });

  test('another organisation\'s check is 404 and changes nothing', async () => {
    const before = await countRows();
    const task = await taskOf(ccas.id);
    for (const body of [{ answer: 'not_known' }, { answer: 'followed', referent: { name: 'Intrus' } }]) {
      const res = await call('other_partner_worker', 'POST', `/api/partner-checks/${task.id}/answer`, body);
      expect(res.status).toBe(404);
    }
    expect((await call('partner_worker', 'POST', `/api/partner-checks/${randomUUID()}/answer`, { answer: 'not_known' })).status).toBe(404);
    expect(await countRows()).toEqual(before);
    expect((await taskOf(ccas.id)).status).toBe('open');
  });

  test('invalid bodies get 400 naming the fields, and nothing changes', async () => {
    const before = await countRows();
    const task = await taskOf(ccas.id);
    const cases: [unknown, string[]][] = [
      [{}, ['answer']],
      [{ answer: 'maybe' }, ['answer']],
      [{ answer: 'followed' }, ['referent']],
      [{ answer: 'followed', referent: { name: '', email: 'pas-une-adresse' } }, ['referent.name', 'referent.email']],
      [{ answer: 'followed', referent: { name: 'Mme X', phone: 'abc' } }, ['referent.phone']],
      [{ answer: 'not_known', referent: { name: 'Mme X' } }, ['referent']],
      // The organisation comes from the check, never from the body.
      [{ answer: 'not_known', partnerOrgId: departement.id }, ['(corps)']],
      [['not_known'], ['(corps)']],
    ];
    for (const [body, fields] of cases) {
      const res = await call('partner_worker', 'POST', `/api/partner-checks/${task.id}/answer`, body);
      expect([JSON.stringify(body), res.status, res.body.error]).toEqual([JSON.stringify(body), 400, 'validation_error']);
      for (const field of fields) expect(fieldsOf(res.body)).toContain(field);
    }
    const notJson = await request(h.baseUrl, 'POST', `/api/partner-checks/${task.id}/answer`, 'answer=not_known', { ...h.as.partner_worker.headers, 'content-type': 'text/plain' });
    expect(notJson.status).toBe(400);
    expect(await countRows()).toEqual(before);
    expect((await taskOf(ccas.id)).status).toBe('open');
  });

  test('a partner answers "followed by" and the referent receives the alert mail', async () => {
    const task = await taskOf(ccas.id);
    const referent = { name: 'M. Paul Référent', email: `referent-${suffix}@ccas.test`, phone: '03 26 00 00 00' };
    const res = await call('partner_worker', 'POST', `/api/partner-checks/${task.id}/answer`, { answer: 'followed', referent });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ taskId: task.id, householdId, answer: 'followed', referentId: expect.any(String), phase: 'partner_check' });

    // The referent is on file for the CCAS, the check is answered, the workflow knows who follows.
    const saved = await h.db.referentWorker.findUniqueOrThrow({ where: { id: res.body.referentId } });
    expect(saved).toMatchObject({ householdId, partnerOrganisationId: ccas.id, ...referent });
    expect((await taskOf(ccas.id)).status).toBe('completed');
    const state = (await driver.view(householdId)).workflow.state;
    expect(state.partnerCheck.answers[ccas.id]).toMatchObject({ status: 'followed', referentWorkerRef: saved.id });

    const mail = await eventually(async () => (await receivedMail(inboxUrl())).find((m) => m.to.some((t) => t.address === referent.email)), 20_000, 'referent alert mail');
    expect(mail.subject).toMatch(/Un ménage que vous suivez est signalé/);
    expect(mail.text).toContain(`Bonjour ${referent.name}`);
    expect(mail.text).toContain(ccas.name);
    expect(await h.db.mailMessage.count({ where: { recipient: referent.email, template: 'referent_alert' } })).toBe(1);

    // The answered check leaves the checks to do; it stays among the answers the partner may still correct.
    const list = await call('partner_worker', 'GET', '/api/partner-checks');
    expect(list.body.checks.find((c: any) => c.taskId === task.id)).toMatchObject({
      status: 'completed', ownAnswer: { answer: 'followed', referentName: referent.name }, correctableUntil: expect.any(String),
    });
  });

  test('the same answer sent again changes nothing and alerts nobody twice', async () => {
    const task = await taskOf(ccas.id);
    const before = await countRows();
    const referent = { name: 'M. Paul Référent', email: `referent-${suffix}@ccas.test`, phone: '03 26 00 00 00' };
    const res = await call('partner_worker', 'POST', `/api/partner-checks/${task.id}/answer`, { answer: 'followed', referent });
    expect(res.status).toBe(200);
    expect(await countRows()).toEqual(before);
    expect(await h.db.mailMessage.count({ where: { recipient: referent.email, template: 'referent_alert' } })).toBe(1);
    expect((await driver.view(householdId)).workflow.state.partnerCheck.answers[ccas.id].status).toBe('followed');
  });

  test('"not known" saves no referent; the coordination may answer on a partner\'s behalf', async () => {
    const before = await countRows();
    const mine = await taskOf(departement.id);
    const res = await call('other_partner_worker', 'POST', `/api/partner-checks/${mine.id}/answer`, { answer: 'not_known' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ answer: 'not_known', referentId: null });
    const byPhone = await call('coordinator', 'POST', `/api/partner-checks/${(await taskOf(caf.id)).id}/answer`, { answer: 'not_known' });
    expect(byPhone.status).toBe(200);
    expect(await countRows()).toEqual({ referents: before.referents, answered: before.answered + 2 });
    const answers = (await driver.view(householdId)).workflow.state.partnerCheck.answers;
    expect(answers[departement.id].status).toBe('not_known');
    expect(answers[caf.id].status).toBe('not_known');
  });

  test('a refusal by the rules removes the referent saved for it', async () => {
    // A household already admitted; a stale check left open for the CCAS (as a lost write would leave it).
    const admitted = await driver.refer({ landlordId: LANDLORDS[2].id, headName: `M. Tom Admis ${suffix}` });
    await driver.admit(admitted);
    const stale = await h.db.task.create({
      data: { id: randomUUID(), idempotencyKey: `stale-${randomUUID()}`, householdId: admitted, type: 'partner_check', candidateRole: 'partner_worker', partnerOrganisationId: ccas.id },
    });
    const referents = await h.db.referentWorker.count({ where: { householdId: admitted } });
    const res = await call('partner_worker', 'POST', `/api/partner-checks/${stale.id}/answer`, { answer: 'followed', referent: { name: 'Mme Trop Tard', email: `tard-${suffix}@ccas.test` } });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: 'wrong_phase', message: expect.stringContaining('prise de contact') });
    expect(await h.db.referentWorker.count({ where: { householdId: admitted } })).toBe(referents);

    // A task that is not a partner check is no check, even for the coordination.
    const decisionTask = await h.db.task.findFirstOrThrow({ where: { householdId: admitted, type: 'committee_decision' } });
    expect((await call('coordinator', 'POST', `/api/partner-checks/${decisionTask.id}/answer`, { answer: 'not_known' })).status).toBe(404);
    expect((await call('coordinator', 'GET', `/api/partner-checks/${decisionTask.id}`)).status).toBe(404);
  });
});
