import { DEMO_EDUCATOR, PARTNER_ORGANISATIONS } from '../lib/reference-data';
import { eventually, useHarness } from './support/harness';
import { maybeRecordHistory } from './support/histories';
import { inboxUrl, receivedMail } from './support/mailbox';
import { request } from './support/http';
import { processDriver } from './support/process';

/**
 * Every path of the programme, end to end through the API, on the real dev server, with the
 * policy shrunk to seconds (test/support/policy.ts).
 */
const h = useHarness();
const d = processDriver(h);

const outcomeOf = async (id: string) => (await h.db.household.findUniqueOrThrow({ where: { id } })).outcome;

test('already followed by a partner: the referent is alerted by mail, and the committee reorients', async () => {
  const id = await d.refer();
  const ccas = PARTNER_ORGANISATIONS[0];
  const referentEmail = `referent-${id.slice(0, 8)}@ccas.example`;
  const committee = await d.answerPartners(id, { [ccas.id]: { name: 'Mme Référente', email: referentEmail } });
  expect(committee.state.partnerCheck.answers[ccas.id]).toMatchObject({ status: 'followed', referentWorkerRef: expect.any(String) });

  const alert = await eventually(async () => (await receivedMail(inboxUrl())).find((m) => m.to[0]?.address === referentEmail), 20_000, 'referent alert');
  expect(alert.subject).toContain('Un ménage que vous suivez est signalé');
  expect(alert.text).toContain('Bonjour Mme Référente');
  expect(alert.text).not.toContain('Parcours'); // the household's name never leaves in a mail

  const res = await d.post(id, 'committee-decisions', { sessionId: 'comite-1', decision: { kind: 'reorient', scheme: 'sector_social_worker' } });
  expect(res.status).toBe(200);
  expect(res.body.state).toMatchObject({ phase: 'closed', outcome: 'reoriented', reorientedTo: 'sector_social_worker' });
  expect(await outcomeOf(id)).toBe('reoriented');
  // Closing cancels what was still open.
  expect(await h.db.task.count({ where: { householdId: id, status: { in: ['open', 'claimed'] } } })).toBe(0);
  await maybeRecordHistory(h.temporal, `household-${id}`, 'followed-then-reoriented');
});

test('the committee rejects: closed as rejected', async () => {
  const id = await d.refer();
  await d.answerPartners(id);
  const res = await d.post(id, 'committee-decisions', { sessionId: 'comite-1', decision: { kind: 'reject', reason: 'not_eligible' } });
  expect(res.status).toBe(200);
  expect(res.body.state).toMatchObject({ phase: 'closed', outcome: 'rejected' });
});

test('partners silent past the deadline: the committee gets the case anyway, defers, then admits', async () => {
  const id = await d.refer();
  const committee = await d.waitForPhase(id, 'committee', 20_000);
  expect(Object.values(committee.state.partnerCheck.answers).every((a: any) => a.status === 'pending')).toBe(true);
  // Before the deadline the silent partners were reminded, once each.
  const reference = (await h.db.household.findUniqueOrThrow({ where: { id } })).tenancyReference;
  const reminders = await eventually(async () => {
    const found = (await receivedMail(inboxUrl())).filter((m) => m.subject.startsWith('[APRIL] Relance – Vérification partenaire') && m.subject.includes(reference));
    return found.length === PARTNER_ORGANISATIONS.length ? found : undefined;
  }, 20_000, 'partner reminders');
  expect(new Set(reminders.map((m) => m.to[0]!.address)).size).toBe(PARTNER_ORGANISATIONS.length);
  // A timer moved the phase: the query sees it at once, the case file once the activity has run.
  await eventually(async () => ((await h.db.task.count({ where: { householdId: id, type: 'committee_decision', status: 'open' } })) === 1 ? true : undefined));

  const deferred = await d.post(id, 'committee-decisions', { sessionId: 'comite-1', decision: { kind: 'defer' } });
  expect(deferred.status).toBe(200);
  expect(deferred.body.state).toMatchObject({ phase: 'committee', committee: { deferCount: 1 } });

  const admitted = await d.post(id, 'committee-decisions', {
    sessionId: 'comite-2',
    decision: { kind: 'admit', track: 'pre_litigation', educatorId: DEMO_EDUCATOR.id },
  });
  expect(admitted.status).toBe(200);
  expect(admitted.body.state).toMatchObject({ phase: 'contact', track: 'pre_litigation', educatorId: DEMO_EDUCATOR.id });
  const task = await eventually(() => h.db.task.findFirst({ where: { householdId: id, type: 'contact_attempt', status: 'open' } }).then((t) => t ?? undefined));
  expect(task).toMatchObject({ candidateRole: 'educator', assigneeId: DEMO_EDUCATOR.id });
  await maybeRecordHistory(h.temporal, `household-${id}`, 'partner-deadline-defer-admit');
});

test('five failed attempts in varied slots, then a first contact opens support', async () => {
  const id = await d.refer();
  await d.admit(id);
  const slots = ['weekday', 'evening', 'weekend', 'evening', 'weekend'];
  for (const slot of slots) {
    const res = await d.post(id, 'contact-attempts', { slot, channel: 'home_visit', outcome: 'absent', note: 'Personne, avis de passage.' });
    expect(res.status).toBe(200);
    expect(res.body.state.phase).toBe('contact');
  }
  const reached = await d.post(id, 'contact-attempts', { slot: 'weekend', channel: 'home_visit', outcome: 'contact_made' });
  expect(reached.status).toBe(200);
  expect(reached.body.state).toMatchObject({ phase: 'support', firstContactAt: expect.any(String) });
  expect(reached.body.state.contact.totalAttempts).toBe(6);
  expect(reached.body.state.contact.attempts.map((a: any) => a.slot)).toEqual([...slots, 'weekend']);
  // The notes were kept in the case file, not in the workflow.
  expect(await h.db.note.count({ where: { householdId: id, kind: 'contact_attempt' } })).toBe(5);
  expect(JSON.stringify(reached.body.state)).not.toContain('avis de passage');
  await maybeRecordHistory(h.temporal, `household-${id}`, 'five-attempts-then-contact');
});

test('an action sent twice with the same Idempotency-Key is applied once', async () => {
  const id = await d.refer();
  await d.admit(id);
  const send = () => request(h.baseUrl, 'POST', `/api/households/${id}/contact-attempts`, { slot: 'evening', channel: 'home_visit', outcome: 'absent' }, { ...h.as.educator.headers, 'idempotency-key': `attempt-${id}` });
  expect((await send()).status).toBe(200);
  const again = await send();
  expect(again.status).toBe(200);
  expect(again.body.state.contact.totalAttempts).toBe(1);
  const badKey = await request(h.baseUrl, 'POST', `/api/households/${id}/contact-attempts`, { slot: 'evening', channel: 'home_visit', outcome: 'absent' }, { ...h.as.educator.headers, 'idempotency-key': 'x' });
  expect(badKey.status).toBe(400);
});

test('too many failed attempts: escalated to the committee, which closes the case as unreachable', async () => {
  const id = await d.refer();
  await d.admit(id);
  for (let i = 0; i < 6; i++) {
    await d.post(id, 'contact-attempts', { slot: (['weekday', 'evening', 'weekend'] as const)[i % 3], channel: 'phone', outcome: 'absent' });
  }
  const escalated = await eventually(async () => {
    const v = await d.view(id);
    return v.workflow.state.contact?.escalation ? v.workflow : undefined;
  });
  expect(escalated.state.contact.escalation.reason).toBe('too_many_attempts');
  expect(await h.db.task.count({ where: { householdId: id, type: 'committee_review', status: 'open' } })).toBe(1);

  const closed = await d.post(id, 'contact-escalation', { sessionId: 'comite-3', decision: { kind: 'close_unreachable' } });
  expect(closed.status).toBe(200);
  expect(closed.body.state).toMatchObject({ phase: 'closed', outcome: 'unreachable' });
  await maybeRecordHistory(h.temporal, `household-${id}`, 'escalated-unreachable');
});

test('pre-litigation support: a lease termination switches to post-termination; a payment counts as resumption', async () => {
  const id = await d.refer();
  await d.reach(id);
  const signalled = await d.post(id, 'procedure-events', { type: 'lease_terminated', occurredOn: '2026-10-15' });
  expect(signalled.status).toBe(202);
  await eventually(async () => ((await d.view(id)).workflow.state.track === 'post_termination' ? true : undefined));

  expect((await d.post(id, 'payments', { amount: 150 })).status).toBe(202);
  expect((await d.post(id, 'arrears', { arrears: 2250 })).status).toBe(202);
  const state = await eventually(async () => {
    const v = await d.view(id);
    return v.workflow.state.finances.arrearsCents === 225000 ? v.workflow.state : undefined;
  });
  expect(state.finances).toMatchObject({ paymentResumed: true, arrearsCents: 225000 });
  expect(state.procedureEvents).toEqual([expect.objectContaining({ type: 'lease_terminated' })]);

  const plan = await d.post(id, 'support-plan', { changes: { budget: { status: 'in_progress', goal: 'Plan d\'apurement avec le bailleur' }, rights: { status: 'done' } } });
  expect(plan.status).toBe(200);
  expect(plan.body.state.support.plan.budget).toMatchObject({ status: 'in_progress', goalRef: expect.any(String) });
  await maybeRecordHistory(h.temporal, `household-${id}`, 'lease-terminated-payment-resumed');
});

test('a summons is recorded: the legal deadlines show with their basis, and the educator is warned once of each', async () => {
  const id = await d.refer();
  await d.reach(id);
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const res = await d.post(id, 'procedure-events', { type: 'summons', occurredOn: day(-10), details: { hearingDate: day(60) } });
  expect(res.status).toBe(202);

  const warnings = await eventually(async () => {
    const tasks = await h.db.task.findMany({ where: { householdId: id, type: 'legal_deadline_warning' } });
    const kinds = tasks.map((t) => (t.form as any).kind);
    return kinds.includes('full_rent_before_hearing') && kinds.includes('prefect_notice_latest') ? tasks : undefined;
  }, 20_000, 'legal warnings');
  expect(warnings.every((t) => t.assigneeId === DEMO_EDUCATOR.id)).toBe(true);
  const kinds = warnings.map((t) => (t.form as any).kind);
  expect(kinds).toEqual(expect.arrayContaining(['full_rent_before_hearing', 'prefect_notice_latest']));
  const fullRent = warnings.find((t) => (t.form as any).kind === 'full_rent_before_hearing')!;
  expect((t => t.dueDate)(fullRent.form as any)).toBe(day(60));

  const page = await d.view(id);
  const shown = page.legal.deadlines.find((x: any) => x.kind === 'full_rent_before_hearing');
  expect(shown).toMatchObject({ dueDate: day(60), status: 'upcoming', basis: expect.stringContaining('art. 24') });

  const mails = await eventually(async () => {
    const all = (await receivedMail(inboxUrl())).filter((m) => m.to[0]?.address === DEMO_EDUCATOR.email && m.subject.includes('Échéance légale'));
    return all.length >= warnings.length ? all : undefined;
  }, 20_000, 'warning mails');
  expect(mails.length).toBeGreaterThanOrEqual(warnings.length);

  // Another feed arrives: the deadlines are looked at again, but nobody is warned twice.
  await d.post(id, 'payments', { amount: 50 });
  await eventually(async () => ((await d.view(id)).workflow.state.finances.paymentResumed ? true : undefined));
  const after = await h.db.task.findMany({ where: { householdId: id, type: 'legal_deadline_warning' } });
  const keys = after.map((t) => `${(t.form as any).kind}:${(t.form as any).dueDate}`);
  expect(new Set(keys).size).toBe(keys.length);
  expect(after.length).toBeGreaterThanOrEqual(warnings.length);
  await maybeRecordHistory(h.temporal, `household-${id}`, 'summons-legal-warnings');
});

test('handoff acknowledged, watch, relapse back to support, watch again, closed maintained', async () => {
  const id = await d.refer();
  await d.reach(id);
  const fsl = PARTNER_ORGANISATIONS[1];
  const handoff = await d.post(id, 'handoff', { schemes: [{ scheme: 'fsl', partnerOrgId: fsl.id }] });
  expect(handoff.status).toBe(200);
  expect(handoff.body.state.phase).toBe('handoff');
  expect(await h.db.task.count({ where: { householdId: id, type: 'handoff_acknowledgement', partnerOrganisationId: fsl.id, status: 'open' } })).toBe(1);

  expect((await d.post(id, 'handoff/acknowledgements', { scheme: 'fsl' })).status).toBe(200);
  await d.waitForPhase(id, 'watch', 20_000);

  // Arrears climb back above one month of rent: the next watch check sees a relapse.
  expect((await d.post(id, 'arrears', { arrears: 900 })).status).toBe(202);
  const support = await d.waitForPhase(id, 'support', 20_000);
  expect(support.state.relapseCount).toBe(1);

  await d.post(id, 'arrears', { arrears: 0 });
  expect((await d.post(id, 'handoff', { schemes: [{ scheme: 'asll' }] })).status).toBe(200);
  expect((await d.post(id, 'handoff/acknowledgements', { scheme: 'asll' })).status).toBe(200);
  await d.waitForPhase(id, 'watch', 20_000);
  const closed = await d.waitForPhase(id, 'closed', 30_000);
  expect(closed.state).toMatchObject({ outcome: 'maintained', relapseCount: 1 });
  const result = await h.temporal.workflow.getHandle(`household-${id}`).result();
  expect(result).toBe('maintained');
  expect(await outcomeOf(id)).toBe('maintained');
  await maybeRecordHistory(h.temporal, `household-${id}`, 'handoff-watch-relapse-maintained');
});

test('the coordinator can withdraw at any phase; afterwards every action is refused', async () => {
  const id = await d.refer();
  const res = await d.post(id, 'withdraw', { reason: 'Le ménage a quitté le logement de lui-même.' });
  expect(res.status).toBe(200);
  expect(res.body.state).toMatchObject({ phase: 'closed', outcome: 'withdrawn' });
  const after = await d.post(id, 'contact-attempts', { slot: 'weekday', channel: 'phone', outcome: 'absent' });
  expect(after.status).toBe(409);
  expect(after.body).toMatchObject({ error: 'household_closed', message: expect.stringContaining('clôturé') });
});

describe('bad messages get a clear refusal and change nothing', () => {
  test('an action of another phase is refused with the reason, synchronously', async () => {
    const id = await d.refer();
    const before = (await d.view(id)).workflow;
    const res = await d.post(id, 'contact-attempts', { slot: 'weekday', channel: 'phone', outcome: 'absent', note: 'Note refusée' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: 'wrong_phase', message: expect.stringMatching(/phase/), requestId: expect.any(String) });
    // The note written for the refused action is gone with it.
    expect(await h.db.note.count({ where: { householdId: id } })).toBe(0);
    const after = (await d.view(id)).workflow;
    expect(after.eventSeq).toBe(before.eventSeq);
    expect(after.state.phase).toBe('partner_check');
  });

  test('an invalid body is a 400 naming the fields; an unknown household is a 404', async () => {
    const id = await d.refer();
    const bad = await d.post(id, 'committee-decisions', { sessionId: '', decision: { kind: 'admit', track: 'somewhere' } });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((x: any) => x.field).sort()).toEqual(['decision.educatorId', 'decision.track', 'sessionId']);
    const unknownEducator = await d.post(id, 'committee-decisions', { sessionId: 's', decision: { kind: 'admit', track: 'pre_litigation', educatorId: PARTNER_ORGANISATIONS[0].id } });
    expect(unknownEducator.status).toBe(400);
    const followedWithoutReferent = await d.post(id, 'partner-answers', { partnerOrgId: PARTNER_ORGANISATIONS[0].id, answer: 'followed' });
    expect(followedWithoutReferent.status).toBe(400);
    expect(followedWithoutReferent.body.details).toEqual([expect.objectContaining({ field: 'referent' })]);
    const missing = await d.post('00000000-0000-4000-8000-000000000000', 'withdraw', {});
    expect(missing.status).toBe(404);
    expect((await d.view(id)).workflow.state.phase).toBe('partner_check');
  });

  test('the API lists households by phase from their projection, a page at a time', async () => {
    const id = await d.refer();
    const list = async (query: string) => (await fetch(`${h.baseUrl}/api/households?${query}`, { headers: h.as.coordinator.headers })).json() as Promise<any>;
    const listed = (phase: string) => async () => ((await list(`phase=${phase}&limit=500`)).households as any[]).map((x) => x.id) as string[];
    // The projection is written by the workflow's activity: wait for it to follow the phase.
    await eventually(async () => ((await listed('partner_check')()).includes(id) ? true : undefined), 20_000, 'listed in partner_check');
    expect(await listed('closed')()).not.toContain(id);
    await d.post(id, 'withdraw', {});
    await eventually(async () => ((await listed('closed')()).includes(id) ? true : undefined), 20_000, 'listed as closed');
    expect(await listed('partner_check')()).not.toContain(id);
    // Without a phase, the households still followed: the closed one is not among them.
    expect(((await list('limit=500')).households as any[]).map((x) => x.id)).not.toContain(id);

    // Pages: oldest referral first, each household once, the total and where the next page starts.
    const everyone = await list('phase=closed&limit=500');
    const first = await list('phase=closed&limit=1');
    expect(first.households).toHaveLength(1);
    expect(first.page).toEqual({ limit: 1, offset: 0, total: everyone.page.total, nextOffset: everyone.page.total > 1 ? 1 : null });
    const last = await list(`phase=closed&limit=1&offset=${everyone.page.total - 1}`);
    expect(last.households.map((x: any) => x.id)).toEqual([everyone.households.at(-1).id]);
    expect(last.page.nextOffset).toBeNull();

    const wrong = await fetch(`${h.baseUrl}/api/households?phase=nowhere&limit=0`, { headers: h.as.coordinator.headers });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as any).details.map((x: any) => x.field).sort()).toEqual(['limit', 'phase']);
  });
});
