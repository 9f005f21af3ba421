/**
 * The task inbox through HTTP (continued from tasks.api.test.ts): the committee's deferral and a
 * refusal by the rules, who may use the inbox (and a partner's checks), and after support the
 * handoff acknowledged by the partner and a relapse reported at a watch check-in.
 */
import type { Task } from '../generated/prisma/client';
import { PARTNER_ORGANISATIONS } from '../lib/reference-data';
import { useHarness } from './support/harness';
import { request } from './support/http';
import { processDriver } from './support/process';
import { taskApi, taskPolicy } from './support/tasks';

const h = useHarness({ policy: taskPolicy });
const d = processDriver(h);
const { api, openTaskOf, listIds } = taskApi(h);

describe('the committee: deferral, and a refusal by the rules', () => {
  test('a deferral keeps the decision in the inbox; a second one is refused (409), the task stays open', async () => {
    const id = await d.refer();
    await d.answerPartners(id);
    const task = await openTaskOf(id, 'committee_decision');
    expect(await listIds('committee_member', `view=team&householdId=${id}`)).toContain(task.id);
    // Educators do not see the committee's work.
    expect((await api('educator', 'GET', `/api/tasks/${task.id}`)).status).toBe(404);

    const deferred = await api('committee_member', 'POST', `/api/tasks/${task.id}/complete`, { sessionId: 'comite-1', decision: { kind: 'defer' } });
    expect(deferred.status).toBe(200);
    expect(deferred.body.task).toMatchObject({ status: 'open', assignee: null, result: null });
    expect(deferred.body.workflow.state.phase).toBe('committee');

    const before = await h.db.task.findUniqueOrThrow({ where: { id: task.id } });
    const refused = await api('committee_member', 'POST', `/api/tasks/${task.id}/complete`, { sessionId: 'comite-2', decision: { kind: 'defer' } });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe('defer_limit_reached');
    expect(refused.body.message).toMatch(/reporté/);
    // Nothing changed on the task (the automatic claim was undone); the refusal is in its history.
    expect(await h.db.task.findUniqueOrThrow({ where: { id: task.id } })).toEqual(before);
    const history = await api('coordinator', 'GET', `/api/tasks/${task.id}`);
    expect(history.body.history.map((e: { action: string; actor: { id: string } | null }) => [e.action, e.actor?.id ?? null])).toEqual([
      ['created', null], ['claimed', h.as.committee_member.id], ['deferred', h.as.committee_member.id], ['refused', h.as.committee_member.id],
    ]);
    expect(history.body.history[3].details).toMatchObject({ code: 'defer_limit_reached' });

    // An unknown educator is a form error (400), checked before anything is sent.
    const unknownEducator = await api('committee_member', 'POST', `/api/tasks/${task.id}/complete`, {
      sessionId: 'comite-2', decision: { kind: 'admit', track: 'pre_litigation', educatorId: '00000000-0000-4000-8000-000000000099' },
    });
    expect(unknownEducator.status).toBe(400);
    expect(unknownEducator.body.details[0].field).toBe('decision.educatorId');

    // The committee admits: the decision task is done and the educator is asked to make contact.
    const admitted = await api('committee_member', 'POST', `/api/tasks/${task.id}/complete`, {
      sessionId: 'comite-2', decision: { kind: 'admit', track: 'pre_litigation', educatorId: h.as.educator.id },
    });
    expect(admitted.status).toBe(200);
    expect(admitted.body.task).toMatchObject({ status: 'completed', result: { decision: { kind: 'admit' } } });
    await d.waitForPhase(id, 'contact');
    await openTaskOf(id, 'contact_attempt', { assigneeId: h.as.educator.id });
  });
});

describe('who may use the inbox', () => {
  test('a landlord agent and the admin get 403, a partner cannot claim, nobody signed out gets in', async () => {
    const id = await d.refer();
    const task = await openTaskOf(id, 'partner_check', { partnerOrganisationId: PARTNER_ORGANISATIONS[0].id });
    for (const who of ['landlord_agent', 'other_landlord_agent', 'admin'] as const) {
      expect((await api(who, 'GET', '/api/tasks')).status).toBe(403);
      expect((await api(who, 'GET', `/api/tasks/${task.id}`)).status).toBe(403);
      expect((await api(who, 'POST', `/api/tasks/${task.id}/claim`)).status).toBe(403);
      expect((await api(who, 'POST', `/api/tasks/${task.id}/complete`, { answer: 'not_known' })).status).toBe(403);
    }
    expect((await api('partner_worker', 'POST', `/api/tasks/${task.id}/claim`)).status).toBe(403);
    expect((await request(h.baseUrl, 'GET', '/api/tasks')).status).toBe(401);
    // The coordination sees every task, partners' included; none of the refused requests touched it.
    expect(await listIds('coordinator', `householdId=${id}&type=partner_check`)).toContain(task.id);
    expect(await h.db.task.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({ status: 'open', assigneeId: null });
  });

  test('a partner worker sees only its organisation\'s checks, with the minimum, and answers one', async () => {
    const id = await d.refer({ headName: 'M. Paul Partenaire' });
    const own = await openTaskOf(id, 'partner_check', { partnerOrganisationId: PARTNER_ORGANISATIONS[0].id });
    const other = await openTaskOf(id, 'partner_check', { partnerOrganisationId: PARTNER_ORGANISATIONS[1].id });

    const listed = await api('partner_worker', 'GET', `/api/tasks?householdId=${id}`);
    expect(listed.status).toBe(200);
    expect(listed.body.tasks.map((t: { id: string }) => t.id)).toEqual([own.id]);
    expect(listed.body.tasks[0].household).toEqual({ id, headName: 'M. Paul Partenaire' });
    expect(await listIds('other_partner_worker', `householdId=${id}`)).toEqual([other.id]);

    // Another organisation's check does not exist for this partner.
    expect((await api('partner_worker', 'GET', `/api/tasks/${other.id}`)).status).toBe(404);
    const otherBefore = await h.db.task.findUniqueOrThrow({ where: { id: other.id } });
    expect((await api('partner_worker', 'POST', `/api/tasks/${other.id}/complete`, { answer: 'not_known' })).status).toBe(404);
    expect(await h.db.task.findUniqueOrThrow({ where: { id: other.id } })).toEqual(otherBefore);

    // "Followed" needs the referent: 400 naming the field.
    const missing = await api('partner_worker', 'POST', `/api/tasks/${own.id}/complete`, { answer: 'followed' });
    expect(missing.status).toBe(400);
    expect(missing.body.details.map((x: { field: string }) => x.field)).toEqual(['referent']);

    const answered = await api('partner_worker', 'POST', `/api/tasks/${own.id}/complete`, {
      answer: 'followed', referent: { name: 'Mme Référente', email: 'referente@ccas.example' },
    });
    expect(answered.status).toBe(200);
    expect(answered.body.task).toMatchObject({
      status: 'completed', household: { id, headName: 'M. Paul Partenaire' },
      result: { partnerOrgId: PARTNER_ORGANISATIONS[0].id, answer: 'followed', referentWorkerRef: expect.any(String) },
    });
    const referent = await h.db.referentWorker.findUniqueOrThrow({ where: { id: answered.body.task.result.referentWorkerRef } });
    expect(referent).toMatchObject({ householdId: id, partnerOrganisationId: PARTNER_ORGANISATIONS[0].id, name: 'Mme Référente' });
    // The partner learns where the household stands, never the other organisations' answers.
    expect(answered.body.workflow).toEqual({ state: { phase: expect.any(String) }, acceptedCommands: expect.any(Array) });
    const answers = (await api('coordinator', 'GET', `/api/households/${id}`)).body.workflow.state.partnerCheck.answers;
    expect(answers[PARTNER_ORGANISATIONS[0].id]).toMatchObject({ status: 'followed', referentWorkerRef: referent.id });
    expect(answers[PARTNER_ORGANISATIONS[1].id]).toMatchObject({ status: 'pending' });
    expect(await h.db.task.findUniqueOrThrow({ where: { id: other.id } })).toMatchObject({ status: 'open' });
    // Done tasks leave the default list.
    expect(await listIds('partner_worker', `householdId=${id}`)).toEqual([]);
    expect(await listIds('partner_worker', `householdId=${id}&status=completed`)).toEqual([own.id]);
  });
});

describe('after support: handoff acknowledged by the partner, relapse reported at a watch check-in', () => {
  test('the partner acknowledges through its inbox; the educator reports a relapse and support resumes', async () => {
    // No arrears: the check-in's own relapse detection stays quiet, the educator's report is the relapse.
    const id = await d.refer({ arrears: 0 });
    await d.reach(id);
    const ccas = PARTNER_ORGANISATIONS[0];
    expect((await d.post(id, 'handoff', { schemes: [{ scheme: 'fsl', partnerOrgId: ccas.id }] })).status).toBe(200);
    const ack = await openTaskOf(id, 'handoff_acknowledgement');
    expect((await api('other_partner_worker', 'POST', `/api/tasks/${ack.id}/complete`, {})).status).toBe(404);
    const acknowledged = await api('partner_worker', 'POST', `/api/tasks/${ack.id}/complete`, {});
    expect(acknowledged.status).toBe(200);
    expect(acknowledged.body.task).toMatchObject({ status: 'completed', result: { scheme: 'fsl', acknowledged: true } });
    await d.waitForPhase(id, 'watch', 20_000);

    const check: Task = await openTaskOf(id, 'watch_check');
    const relapse = await api('educator', 'POST', `/api/tasks/${check.id}/complete`, { relapse: true, note: 'Nouveau commandement de payer reçu.' });
    expect(relapse.status).toBe(200);
    expect(relapse.body.workflow.state.phase).toBe('support');
    // The workflow's own bookkeeping cancels the phase's check-ins; this one is recorded as done, with its result.
    expect(relapse.body.task).toMatchObject({ id: check.id, status: 'completed', result: { relapse: true, noteRef: expect.any(String) } });
    expect((await h.db.note.findUniqueOrThrow({ where: { id: relapse.body.task.result.noteRef } })).kind).toBe('relapse');
  });
});
