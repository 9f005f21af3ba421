import type { Task } from '../generated/prisma/client';
import { DEMO_EDUCATOR, PARTNER_ORGANISATIONS } from '../lib/reference-data';
import type { ProgrammePolicy } from '../domain/programme/policy';
import type { AccountName } from './support/accounts';
import { eventually, openHarness, type Harness } from './support/harness';
import { request } from './support/http';
import { fastPolicy } from './support/policy';
import { processDriver } from './support/process';

/**
 * The task inbox through HTTP, as each role uses it. Households are driven along the process by
 * the household routes (processDriver); the inbox then has to show, hand out and complete the
 * tasks the workflow opened, and the workflow has to move on.
 */

// The fast rhythm, with the few changes these tests need: partners answer at their pace (no deadline
// cancelling their checks mid-test), one deferral allowed (the second is the rules' refusal), and
// watch check-ins spaced enough to be completed before the next one supersedes them.
const policy: ProgrammePolicy = {
  ...fastPolicy,
  partnerCheck: { deadlineMs: 10 * 60_000, reminderLeadMs: 60_000 },
  committee: { deferLimit: 1 },
  watch: { ...fastPolicy.watch, lengthMs: 10 * 60_000, checkPeriodMs: 4_000 },
};

let h: Harness;
let d: ReturnType<typeof processDriver>;
beforeAll(async () => {
  h = await openHarness({ policy });
  d = processDriver(h);
});
afterAll(async () => {
  await h?.close();
});

const api = (as: AccountName, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  request(h.baseUrl, method, path, body, { ...h.as[as].headers, ...headers });

/** The task of this type the workflow opened for the household (waits for it). */
const openTaskOf = (householdId: string, type: string, extra: Record<string, unknown> = {}) =>
  eventually(async () => (await h.db.task.findFirst({
    where: { householdId, type, status: { in: ['open', 'claimed'] }, ...extra },
    orderBy: { createdAt: 'desc' },
  })) ?? undefined, 30_000, `${type} task of ${householdId}`);

const listIds = async (as: AccountName, query: string) => {
  const res = await api(as, 'GET', `/api/tasks?${query}`);
  expect(res.status).toBe(200);
  return (res.body.tasks as { id: string }[]).map((t) => t.id);
};

const eventsOf = (taskId: string) => h.db.taskEvent.findMany({ where: { taskId }, orderBy: [{ at: 'asc' }] });
const educatorName = DEMO_EDUCATOR.displayName;

describe('educators: lists, claims and contact attempts', () => {
  test('mine / team / overdue / filters, claim, complete two attempts, and the household moves on to support', async () => {
    const id = await d.refer({ headName: 'Mme Inès Boîte' });
    await d.admit(id);
    const first = await openTaskOf(id, 'contact_attempt');
    // The workflow gave the attempt to the household's educator.
    expect(first.assigneeId).toBe(h.as.educator.id);

    // Mine: the educator sees it, with its household, label and assignee.
    const mine = await api('educator', 'GET', `/api/tasks?view=mine&householdId=${id}`);
    expect(mine.status).toBe(200);
    const item = mine.body.tasks.find((t: { id: string }) => t.id === first.id);
    expect(item).toMatchObject({
      type: 'contact_attempt',
      label: expect.stringContaining('contact'),
      household: { id, headName: 'Mme Inès Boîte', phase: 'contact' },
      candidateRole: 'educator',
      assignee: { id: h.as.educator.id, displayName: educatorName },
      status: 'open',
      form: { suggestedSlot: expect.any(String) },
      result: null,
    });
    expect(mine.body.page).toMatchObject({ limit: 50, offset: 0 });
    // Listing names is a read of personal data: one audit row for this household, this request.
    const audit = await h.db.auditEvent.findMany({ where: { requestId: mine.headers.get('x-request-id')!, action: 'task.list', householdId: id, actor: h.as.educator.id } });
    expect(audit).toEqual([expect.objectContaining({ details: { view: 'mine' } })]);
    // Written in one SQL statement: its time is UTC like every row Prisma writes.
    expect(Math.abs(audit[0]!.at.getTime() - Date.now())).toBeLessThan(60_000);

    // Filters: type and phase narrow, a wrong phase empties; the second educator's "mine" has none of it.
    expect(await listIds('educator', `view=mine&householdId=${id}&type=contact_attempt&phase=contact`)).toEqual([first.id]);
    expect(await listIds('educator', `view=mine&householdId=${id}&phase=support`)).toEqual([]);
    expect(await listIds('educator2', `view=mine&householdId=${id}`)).toEqual([]);
    // Team: a task the workflow gave to someone else is not in the second educator's pool, though in scope.
    expect(await listIds('educator2', `view=team&householdId=${id}`)).not.toContain(first.id);
    expect(await listIds('educator2', `view=all&householdId=${id}`)).toContain(first.id);

    // Overdue: due "now" when requested, so already past; pushed to tomorrow it is not overdue.
    const overdue = await api('educator', 'GET', `/api/tasks?view=overdue&householdId=${id}&type=contact_attempt`);
    expect(overdue.body.tasks.map((t: { id: string; overdue: boolean }) => [t.id, t.overdue])).toEqual([[first.id, true]]);
    await h.db.task.update({ where: { id: first.id }, data: { dueAt: new Date(Date.now() + 86_400_000) } });
    expect(await listIds('educator', `view=overdue&householdId=${id}&type=contact_attempt`)).toEqual([]);
    const later = await api('educator', 'GET', `/api/tasks?view=mine&householdId=${id}&type=contact_attempt`);
    expect(later.body.tasks[0]).toMatchObject({ id: first.id, overdue: false });

    // Someone else's task: 409 naming who has it. The educator claims it; claiming again is a no-op.
    const stolen = await api('educator2', 'POST', `/api/tasks/${first.id}/claim`);
    expect(stolen.status).toBe(409);
    expect(stolen.body.message).toContain(educatorName);
    const claimed = await api('educator', 'POST', `/api/tasks/${first.id}/claim`);
    expect(claimed.status).toBe(200);
    expect(claimed.body).toMatchObject({ id: first.id, status: 'claimed', assignee: { id: h.as.educator.id } });
    const again = await api('educator', 'POST', `/api/tasks/${first.id}/claim`);
    expect(again.status).toBe(200);
    expect(again.body.claimedAt).toBe(claimed.body.claimedAt);
    expect((await eventsOf(first.id)).map((e) => e.action)).toEqual(['claimed']);
    // Claimed by the educator: the second educator cannot complete it either.
    const notTheirs = await api('educator2', 'POST', `/api/tasks/${first.id}/complete`, { slot: 'evening', channel: 'home_visit', outcome: 'absent' });
    expect(notTheirs.status).toBe(409);
    expect(notTheirs.body.message).toContain(educatorName);

    // First attempt: nobody home. The task closes with its result, the note goes to the case file.
    const done = await api('educator', 'POST', `/api/tasks/${first.id}/complete`, { slot: 'evening', channel: 'home_visit', outcome: 'absent', note: 'Volets fermés, avis de passage laissé.' });
    expect(done.status).toBe(200);
    expect(done.body.task).toMatchObject({ id: first.id, status: 'completed', result: { slot: 'evening', channel: 'home_visit', outcome: 'absent', noteRef: expect.any(String) } });
    expect(done.body.workflow.state.contact.attempts).toHaveLength(1);
    const note = await h.db.note.findUniqueOrThrow({ where: { id: done.body.task.result.noteRef } });
    expect(note).toMatchObject({ householdId: id, kind: 'contact_attempt', body: 'Volets fermés, avis de passage laissé.', author: h.as.educator.id });
    // Completed: nobody claims it again.
    expect((await api('educator', 'POST', `/api/tasks/${first.id}/claim`)).status).toBe(409);

    // The workflow asks for the next attempt; the educator completes it without claiming first.
    const second = await openTaskOf(id, 'contact_attempt');
    expect(second.id).not.toBe(first.id);
    const reached = await api('educator', 'POST', `/api/tasks/${second.id}/complete`, { slot: 'weekday', channel: 'phone', outcome: 'contact_made' });
    expect(reached.status).toBe(200);
    expect(reached.body.workflow.state.phase).toBe('support');
    await d.waitForPhase(id, 'support');
    const closed = await h.db.task.findUniqueOrThrow({ where: { id: second.id } });
    expect(closed).toMatchObject({ status: 'completed', assigneeId: h.as.educator.id, result: { outcome: 'contact_made' } });

    // History: created, then the automatic claim and the completion, each with who.
    const history = await api('educator', 'GET', `/api/tasks/${second.id}`);
    expect(history.status).toBe(200);
    expect(history.body.history.map((e: { action: string; actor: { id: string } | null }) => [e.action, e.actor?.id ?? null])).toEqual([
      ['created', null], ['claimed', h.as.educator.id], ['completed', h.as.educator.id],
    ]);
    expect(history.body.history[1]).toMatchObject({ details: { automatic: true }, actor: { displayName: educatorName } });
    const firstHistory = await api('educator2', 'GET', `/api/tasks/${first.id}`);
    expect(firstHistory.body.history.map((e: { action: string }) => e.action)).toEqual(['created', 'claimed', 'completed']);
    expect(await h.db.auditEvent.count({ where: { requestId: history.headers.get('x-request-id')!, action: 'task.read', householdId: id } })).toBe(1);
  });

  test('two educators claiming or completing at once: exactly one wins, the workflow records one attempt', async () => {
    const id = await d.refer();
    await d.admit(id);
    const task = await openTaskOf(id, 'contact_attempt');

    // The coordination hands the educator's attempt back to the team: open, nobody assigned.
    const released = await api('coordinator', 'POST', `/api/tasks/${task.id}/unclaim`);
    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({ status: 'open', assignee: null });
    expect(await listIds('educator2', `view=team&householdId=${id}`)).toContain(task.id);

    const claims = await Promise.all([
      api('educator', 'POST', `/api/tasks/${task.id}/claim`),
      api('educator2', 'POST', `/api/tasks/${task.id}/claim`),
    ]);
    expect(claims.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = claims[0]!.status === 200 ? 'educator' : 'educator2';
    const loser = winner === 'educator' ? 'educator2' : 'educator';
    expect((await h.db.task.findUniqueOrThrow({ where: { id: task.id } })).assigneeId).toBe(h.as[winner].id);
    expect((await eventsOf(task.id)).filter((e) => e.action === 'claimed')).toHaveLength(1);

    // Only the holder (or the coordination) releases it.
    const notHolder = await api(loser, 'POST', `/api/tasks/${task.id}/unclaim`);
    expect(notHolder.status).toBe(409);
    expect((await api(winner, 'POST', `/api/tasks/${task.id}/unclaim`)).body).toMatchObject({ status: 'open', assignee: null });

    // Open again: both complete it at once. One attempt reaches the workflow, the other gets 409.
    const attempt = { slot: 'weekend', channel: 'home_visit', outcome: 'absent' };
    const completions = await Promise.all([
      api('educator', 'POST', `/api/tasks/${task.id}/complete`, attempt),
      api('educator2', 'POST', `/api/tasks/${task.id}/complete`, attempt),
    ]);
    expect(completions.map((r) => r.status).sort()).toEqual([200, 409]);
    const state = (await d.view(id)).workflow.state;
    expect(state.contact.attempts).toHaveLength(1);

    const history = await api('coordinator', 'GET', `/api/tasks/${task.id}`);
    expect(history.body.history.map((e: { action: string }) => e.action)).toEqual(['created', 'unclaimed', 'claimed', 'unclaimed', 'claimed', 'completed']);
  });

  test('invalid forms: 400 naming each field, and nothing changes', async () => {
    const id = await d.refer();
    await d.admit(id);
    const task = await openTaskOf(id, 'contact_attempt');
    const rowBefore = await h.db.task.findUniqueOrThrow({ where: { id: task.id } });
    const notesBefore = await h.db.note.count({ where: { householdId: id } });

    const wrong = await api('educator', 'POST', `/api/tasks/${task.id}/complete`, { slot: 'midnight', channel: 'home_visit', note: '' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe('validation_error');
    const fields = (wrong.body.details as { field: string; message: string }[]).map((x) => x.field);
    expect(fields).toEqual(expect.arrayContaining(['slot', 'outcome', 'note']));
    // French messages people can act on (zod's French locale).
    expect(wrong.body.details.find((x: { field: string }) => x.field === 'slot').message).toMatch(/attendue/);
    expect(wrong.body.details.find((x: { field: string }) => x.field === 'note').message).toBe('ne doit pas être vide');
    const unknownField = await api('educator', 'POST', `/api/tasks/${task.id}/complete`, { slot: 'evening', channel: 'home_visit', outcome: 'absent', extra: 1 });
    expect(unknownField.status).toBe(400);
    expect((await api('educator', 'POST', `/api/tasks/${task.id}/complete`, 'slot=evening', { 'content-type': 'text/plain' })).status).toBe(400);
    expect((await api('educator', 'POST', `/api/tasks/${task.id}/complete`, '{"slot":', {})).status).toBe(400);
    // A bad query is a 400 too; a malformed id names no task.
    const badQuery = await api('educator', 'GET', '/api/tasks?view=everything&limit=0&color=red');
    expect(badQuery.status).toBe(400);
    expect((badQuery.body.details as { field: string }[]).map((x) => x.field)).toEqual(expect.arrayContaining(['view', 'limit']));
    expect((await api('educator', 'GET', '/api/tasks/not-a-uuid')).status).toBe(404);

    expect(await h.db.task.findUniqueOrThrow({ where: { id: task.id } })).toEqual(rowBefore);
    expect(await eventsOf(task.id)).toEqual([]);
    expect(await h.db.note.count({ where: { householdId: id } })).toBe(notesBefore);
    expect((await d.view(id)).workflow.state.contact.attempts).toHaveLength(0);
  });
});

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
    const answers = answered.body.workflow.state.partnerCheck.answers;
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
