import { randomUUID } from 'node:crypto';
import { createJobActivities } from '../activities/job-activities';
import { createMailActivities } from '../activities/mail-activities';
import { createLogger } from '../lib/logger';
import type { Mailer } from '../lib/mailer';
import { COORDINATOR, DEMO_EDUCATOR, PARTNER_ORGANISATIONS } from '../lib/reference-data';
import { householdWorkflowId } from '../workflows/household/messages';
import { committeeAgendaWorkflowId, type JobSummary } from '../workflows/jobs/messages';
import { eventually, useHarness } from './support/harness';
import { householdRow, taskRow } from './support/job-fixtures';
import { inboxUrl, receivedMail, type ReceivedMail } from './support/mailbox';
import { processDriver } from './support/process';

/**
 * The mails of issue 5: new task, reminder and overdue escalation, daily digest, committee agenda,
 * relapse alert, partner check link; through the real worker, database and SMTP server (MailDev).
 * The jobs run narrowed to this file's households: other files share the database.
 */
// The daily digest plans everyone with open work: no other file may open tasks meanwhile.
const h = useHarness({ quietDatabase: true });
const d = processDriver(h);

const DAY = 24 * 3600 * 1000;

const run = (workflowType: string, input: unknown, workflowId = `test-${workflowType}-${randomUUID()}`) =>
  h.temporal.workflow.execute(workflowType, { taskQueue: h.taskQueue, workflowId, args: [input] }) as Promise<JobSummary>;

const mailsTo = async (address: string, subjectPart: string): Promise<ReceivedMail[]> =>
  (await receivedMail(inboxUrl())).filter((m) => m.to.some((t) => t.address === address) && m.subject.includes(subjectPart));

/** Waits for at least `count` such mails, then returns them all (more would show a duplicate). */
const arrived = (address: string, subjectPart: string, count = 1) =>
  eventually(async () => {
    const found = await mailsTo(address, subjectPart);
    return found.length >= count ? found : undefined;
  }, 20_000, `mail "${subjectPart}" to ${address}`);

const row = (key: string) => h.db.mailMessage.findUnique({ where: { idempotencyKey: key } });

test('daily digest: one mail per person with open work (theirs, their team\'s, their organisation\'s), overdue first, never twice a day', async () => {
  const nowMs = Date.parse('2031-03-10T06:00:00Z'); // 07:00 in Paris, as the schedule runs
  const day = '2031-03-10';
  const household = await householdRow(h.db);
  const late = await taskRow(h.db, household.id, { type: 'contact_attempt', candidateRole: 'educator', assigneeId: h.as.educator.id, dueAt: new Date(nowMs - 10 * DAY) });
  const soon = await taskRow(h.db, household.id, { type: 'support_review', candidateRole: 'educator', assigneeId: h.as.educator.id, dueAt: new Date(nowMs + 2 * DAY) });
  await taskRow(h.db, household.id, { type: 'watch_check', candidateRole: 'educator', assigneeId: h.as.educator.id, status: 'completed', dueAt: new Date(nowMs - 20 * DAY) });
  await taskRow(h.db, household.id, { type: 'committee_decision', candidateRole: 'committee_member', priority: 1 });
  const check = await taskRow(h.db, household.id, { type: 'partner_check', candidateRole: 'partner_worker', partnerOrganisationId: PARTNER_ORGANISATIONS[0].id, dueAt: new Date(nowMs + 3 * DAY) });

  const first = await run('dailyDigestWorkflow', { nowMs, householdIds: [household.id] });
  expect(first.failed).toEqual([]);
  expect(first.done).toBe(first.planned);
  // Exactly the people planned got a digest row for the day, each sent.
  const rows = await h.db.mailMessage.findMany({ where: { idempotencyKey: { startsWith: 'digest:', endsWith: `:${day}` } } });
  expect(rows).toHaveLength(first.planned);
  expect(rows.every((r) => r.status === 'sent' && r.template === 'daily_digest' && r.userId && r.idempotencyKey === `digest:${r.userId}:${day}`)).toBe(true);
  // Once sent, a mail's text (names, references) is not kept.
  expect(rows.map((r) => r.text)).toEqual(rows.map(() => null));
  const got = new Set(rows.map((r) => r.userId));
  // Their own tasks; the committee's unassigned work; the CCAS's checks (not another partner's).
  for (const who of ['educator', 'committee_member', 'partner_worker'] as const) expect(got.has(h.as[who].id)).toBe(true);
  for (const who of ['educator2', 'other_partner_worker', 'landlord_agent', 'admin', 'coordinator'] as const) expect(got.has(h.as[who].id)).toBe(false);

  const [educatorDigest] = await arrived(h.as.educator.email, 'Vos tâches du 10/03/2031');
  expect(educatorDigest!.subject).toBe('[APRIL] Vos tâches du 10/03/2031 – 2 ouvertes, dont 1 en retard');
  const text = educatorDigest!.text;
  expect(text).toContain(`[EN RETARD] Tentative de contact – Foyer Rémois, bail ${household.tenancyReference}`);
  expect(text.indexOf('Tentative de contact')).toBeLessThan(text.indexOf('Point d\'étape'));
  expect(text).toContain(`${h.baseUrl}/taches/${late}`);
  expect(text).toContain(`${h.baseUrl}/taches/${soon}`);
  expect(text).not.toContain('Point de veille'); // completed
  expect(text).not.toContain('Décision du comité'); // another role's work
  for (const personal of [household.headName, 'rue des Travaux', '06 00 00 00 00']) expect(text).not.toContain(personal);

  const [partnerDigest] = await arrived(h.as.partner_worker.email, 'Vos tâches du 10/03/2031');
  expect(partnerDigest!.text).toContain(`${h.baseUrl}/partenaires/verifications/${check}`);
  expect(partnerDigest!.text).toContain('(équipe, non attribuée)');
  const [committeeDigest] = await arrived(h.as.committee_member.email, 'Vos tâches du 10/03/2031');
  expect(committeeDigest!.text).toContain('Décision du comité');

  // The schedule fires again (a retry, a manual trigger): nobody is mailed twice that day.
  const second = await run('dailyDigestWorkflow', { nowMs: nowMs + 3600_000, householdIds: [household.id] });
  expect(second).toEqual({ planned: 0, done: 0, failed: [] });
  expect(await mailsTo(h.as.educator.email, 'Vos tâches du 10/03/2031')).toHaveLength(1);
  expect(await h.db.mailMessage.count({ where: { idempotencyKey: { startsWith: 'digest:', endsWith: `:${day}` } } })).toBe(first.planned);
});

test('an overdue task is escalated to the coordination once, and its holder reminded once', async () => {
  const nowMs = Date.now();
  const household = await householdRow(h.db);
  const attempt = await taskRow(h.db, household.id, { type: 'contact_attempt', candidateRole: 'educator', assigneeId: h.as.educator2.id, dueAt: new Date(nowMs - 4 * DAY) });
  const legal = await taskRow(h.db, household.id, { type: 'legal_deadline_warning', candidateRole: 'coordinator', dueAt: new Date(nowMs - 3600_000) });
  // Not overdue: a review opened two days ago (its grace is a week), a task done, a task ahead.
  await taskRow(h.db, household.id, { type: 'support_review', candidateRole: 'educator', assigneeId: h.as.educator2.id, dueAt: new Date(nowMs - 2 * DAY) });
  await taskRow(h.db, household.id, { type: 'watch_check', candidateRole: 'educator', assigneeId: h.as.educator2.id, status: 'completed', dueAt: new Date(nowMs - 30 * DAY) });
  await taskRow(h.db, household.id, { type: 'contact_attempt', candidateRole: 'educator', assigneeId: h.as.educator2.id, dueAt: new Date(nowMs + DAY) });
  const coordinatorsBefore = await h.db.user.count({ where: { role: 'coordinator', active: true } });

  const first = await run('overdueEscalationWorkflow', { nowMs, householdIds: [household.id] });
  expect(first).toEqual({ planned: 2, done: 2, failed: [] });

  const escalation = await arrived(COORDINATOR.email, `Tâche en retard – Tentative de contact, bail ${household.tenancyReference}`);
  expect(escalation).toHaveLength(1);
  const educator2 = await h.db.user.findUniqueOrThrow({ where: { id: h.as.educator2.id } });
  expect(escalation[0]!.text).toContain(`Attribuée à : ${educator2.displayName}.`);
  expect(escalation[0]!.text).toContain(`${h.baseUrl}/taches/${attempt}`);
  expect(escalation[0]!.text).not.toContain(household.headName);
  const legalEscalation = await arrived(COORDINATOR.email, `Tâche en retard – Échéance légale, bail ${household.tenancyReference}`);
  expect(legalEscalation[0]!.text).toContain('Attribuée à : non attribuée (coordination).');
  const reminder = await arrived(h.as.educator2.email, `Rappel – tâche en retard : Tentative de contact, bail ${household.tenancyReference}`);
  expect(reminder).toHaveLength(1);

  // Recorded in the outbox with whose mail it is, for the admin's mail log.
  expect(await row(`overdue:${attempt}:${COORDINATOR.id}`)).toMatchObject({ status: 'sent', householdId: household.id, userId: COORDINATOR.id, template: 'overdue_escalation' });
  expect(await row(`overdue:${legal}:${COORDINATOR.id}`)).toMatchObject({ status: 'sent', householdId: household.id });
  expect(await row(`reminder:${attempt}`)).toMatchObject({ status: 'sent', householdId: household.id, userId: educator2.id, template: 'task_reminder' });
  expect(await row(`reminder:${legal}`)).toBeNull(); // nobody holds it: the coordination is told, the team sees it in the digest

  // The next hourly run finds nothing new; nobody is mailed twice.
  const second = await run('overdueEscalationWorkflow', { nowMs: nowMs + 3600_000, householdIds: [household.id] });
  expect(second.failed).toEqual([]);
  if ((await h.db.user.count({ where: { role: 'coordinator', active: true } })) === coordinatorsBefore) expect(second.planned).toBe(0);
  expect(await mailsTo(COORDINATOR.email, `Tâche en retard – Tentative de contact, bail ${household.tenancyReference}`)).toHaveLength(1);
  expect(await mailsTo(h.as.educator2.email, `Rappel – tâche en retard : Tentative de contact, bail ${household.tenancyReference}`)).toHaveLength(1);
  expect(await row(`overdue:${attempt}:${COORDINATOR.id}`)).toMatchObject({ attempts: 1 });
});

test('a recipient refused for good: its row stays failed and visible, the others are still mailed, and no later run retries it', async () => {
  const household = await householdRow(h.db);
  const task = await taskRow(h.db, household.id, { type: 'legal_deadline_warning', candidateRole: 'educator', assigneeId: h.as.educator2.id, dueAt: new Date(Date.now() - DAY) });
  const refusing: Mailer = {
    ...h.mailer,
    async send(mail) {
      if (mail.to === h.as.educator2.email) throw Object.assign(new Error('550 5.1.1 mailbox unavailable'), { responseCode: 550 });
      return h.mailer.send(mail);
    },
  };
  const jobs = createJobActivities({ db: h.db, mailer: refusing, clock: () => new Date(), logger: createLogger('silent', 'test'), publicUrl: h.baseUrl });

  // 5xx is permanent: the activity fails as non-retryable, after mailing everyone else.
  await expect(jobs.escalateOverdueTask({ taskId: task })).rejects.toMatchObject({ type: 'SmtpRejected', nonRetryable: true });
  expect(await row(`reminder:${task}`)).toMatchObject({ status: 'failed', attempts: 1, lastError: expect.stringContaining('550'), userId: h.as.educator2.id, householdId: household.id });
  expect(await row(`overdue:${task}:${COORDINATOR.id}`)).toMatchObject({ status: 'sent' });
  await arrived(COORDINATOR.email, `Tâche en retard – Échéance légale, bail ${household.tenancyReference}`);
  // Failed for good stays failed (the mail log shows it); the next hourly listing leaves it alone.
  expect(await jobs.listOverdueTasks({ nowMs: Date.now(), householdIds: [household.id] })).toEqual([]);
});

test('the committee agenda reaches every committee member and coordinator, with names and figures but no notes', async () => {
  const sessionId = randomUUID();
  await h.db.committeeSession.create({ data: { id: sessionId, heldOn: new Date('2031-04-02'), createdById: COORDINATOR.id } });
  const first = await householdRow(h.db, { phase: 'committee', arrearsCents: 245_050, procedureStage: 'payment_order' });
  const second = await householdRow(h.db, { phase: 'committee' });
  const elsewhere = await householdRow(h.db, { phase: 'contact' });
  await h.db.note.create({ data: { id: randomUUID(), householdId: first.id, author: COORDINATOR.id, kind: 'referral', body: 'NOTE-CONFIDENTIELLE' } });

  const workflowId = committeeAgendaWorkflowId(sessionId);
  const summary = await run('committeeAgendaWorkflow', { sessionId, householdIds: [first.id, second.id, elsewhere.id] }, workflowId);
  expect(summary.failed).toEqual([]);
  expect(summary.done).toBe(summary.planned);
  const expectedRecipients = await h.db.user.findMany({ where: { active: true, role: { in: ['committee_member', 'coordinator'] } } });
  expect(summary.planned).toBeGreaterThanOrEqual(2);
  expect(summary.planned).toBeLessThanOrEqual(expectedRecipients.length);

  for (const address of [h.as.committee_member.email, COORDINATOR.email]) {
    const [agenda] = await arrived(address, 'Ordre du jour du comité du 02/04/2031');
    expect(agenda!.subject).toBe('[APRIL] Ordre du jour du comité du 02/04/2031 – 2 situations');
    expect(agenda!.text).toContain(`1. ${first.headName} – Foyer Rémois, bail ${first.tenancyReference} – dette 2\u202f450,50\u00a0€ – procédure : commandement de payer`);
    expect(agenda!.text).toContain(`2. ${second.headName}`);
    expect(agenda!.text).not.toContain(elsewhere.headName); // not awaiting a decision
    for (const personal of ['NOTE-CONFIDENTIELLE', 'rue des Travaux', '06 00 00 00 00', 'Note du signalement']) expect(agenda!.text).not.toContain(personal);
    expect(agenda!.text).toContain(`${h.baseUrl}/comite/seances/${sessionId}`);
  }
  expect(await row(`committee-agenda:${sessionId}:${h.as.committee_member.id}`)).toMatchObject({ status: 'sent', userId: h.as.committee_member.id });
  expect(await row(`committee-agenda:${sessionId}:${h.as.educator.id}`)).toBeNull();

  // Started again for the same session: the outbox keys hold, nobody gets it twice.
  await run('committeeAgendaWorkflow', { sessionId, householdIds: [first.id, second.id, elsewhere.id] }, workflowId);
  expect(await mailsTo(h.as.committee_member.email, 'Ordre du jour du comité du 02/04/2031')).toHaveLength(1);
});

test('through the process: partner checks link to their answer page, the educator hears of a new task, and of a relapse with the coordination', async () => {
  const id = await d.refer();
  const workflowId = householdWorkflowId(id);
  const reference = (await h.db.household.findUniqueOrThrow({ where: { id } })).tenancyReference;

  // Partner check request: the link opens this organisation's own check.
  const ccas = PARTNER_ORGANISATIONS[0];
  const ccasTask = await h.db.task.findFirstOrThrow({ where: { householdId: id, type: 'partner_check', partnerOrganisationId: ccas.id } });
  const [request] = await arrived(ccas.email, `Vérification partenaire – Plurial Novilia, bail ${reference}`);
  expect(request!.text).toContain(`Répondre : ${h.baseUrl}/partenaires/verifications/${ccasTask.id}`);
  expect(await h.db.mailMessage.findFirst({ where: { idempotencyKey: { startsWith: `${workflowId}:` }, template: 'partner_check_request' } })).toMatchObject({ householdId: id });

  // Admitted by the committee: the first contact attempt is the educator's, who is told.
  await d.admit(id);
  const attempt = await eventually(() => h.db.task.findFirst({ where: { householdId: id, type: 'contact_attempt', status: 'open' } }).then((t) => t ?? undefined));
  expect(attempt.assigneeId).toBe(DEMO_EDUCATOR.id);
  const [notice] = await arrived(DEMO_EDUCATOR.email, `Nouvelle tâche – Tentative de contact, bail ${reference}`);
  expect(notice!.text).toContain(`${h.baseUrl}/taches/${attempt.id}`);
  expect(notice!.text).not.toContain('Parcours'); // the household's name never leaves in a mail
  const noticeRow = await h.db.mailMessage.findFirstOrThrow({ where: { householdId: id, template: 'new_task' } });
  expect(noticeRow).toMatchObject({ status: 'sent', userId: DEMO_EDUCATOR.id, idempotencyKey: expect.stringMatching(new RegExp(`^${workflowId}:event:\\d+:mail:task:${attempt.id}$`)) });

  // A failed attempt opens the next one (after the spacing): the digest lists it, no second mail.
  expect((await d.post(id, 'contact-attempts', { slot: 'evening', channel: 'home_visit', outcome: 'absent' })).status).toBe(200);
  await eventually(async () => ((await h.db.task.count({ where: { householdId: id, type: 'contact_attempt' } })) === 2 ? true : undefined));
  await eventually(async () => {
    const described = await h.temporal.workflow.getHandle(workflowId).describe();
    return (described.raw.pendingActivities ?? []).length === 0 ? true : undefined;
  }, 20_000, 'mail activities done');
  expect(await h.db.mailMessage.count({ where: { householdId: id, template: 'new_task' } })).toBe(1);

  // Contact, handoff, watch; then arrears climb back above a month of rent: a relapse.
  expect((await d.post(id, 'contact-attempts', { slot: 'evening', channel: 'home_visit', outcome: 'contact_made' })).status).toBe(200);
  await d.waitForPhase(id, 'support');
  const fsl = PARTNER_ORGANISATIONS[1];
  expect((await d.post(id, 'handoff', { schemes: [{ scheme: 'fsl', partnerOrgId: fsl.id }] })).status).toBe(200);
  expect((await d.post(id, 'handoff/acknowledgements', { scheme: 'fsl' })).status).toBe(200);
  await d.waitForPhase(id, 'watch', 20_000);
  expect((await d.post(id, 'arrears', { arrears: 900 })).status).toBe(202);
  await d.waitForPhase(id, 'support', 20_000);

  for (const address of [DEMO_EDUCATOR.email, COORDINATOR.email]) {
    const alerts = await arrived(address, `Rechute détectée – bail ${reference}`);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.text).toContain('dette locative de 900,00\u00a0€, au-dessus du seuil de 400,00\u00a0€');
    expect(alerts[0]!.text).toContain('L\'accompagnement reprend');
    expect(alerts[0]!.text).not.toContain('Parcours');
  }
  const alertRows = await h.db.mailMessage.findMany({ where: { householdId: id, template: 'relapse_alert' } });
  expect(alertRows.map((r) => r.userId)).toEqual(expect.arrayContaining([DEMO_EDUCATOR.id, COORDINATOR.id]));
  expect(alertRows.every((r) => r.status === 'sent')).toBe(true);
});

test('a mail an earlier attempt recorded but did not send (worker killed) is sent by the retry, as recorded, once', async () => {
  const household = await householdRow(h.db);
  const workflowId = householdWorkflowId(household.id);
  const key = `${workflowId}:event:4:mail:task:${randomUUID()}`;
  const subject = `Nouvelle tâche (envoi interrompu ${randomUUID().slice(0, 8)})`;
  // The state a SIGKILL leaves between the outbox row and the SMTP send; the task it announced
  // has been completed since, so today's choice would no longer send it.
  await h.db.mailMessage.create({
    data: { id: randomUUID(), idempotencyKey: key, recipient: 'educatrice@april.localhost', subject, text: 'Texte enregistré.', template: 'new_task', householdId: household.id },
  });
  const activities = createMailActivities({ db: h.db, mailer: h.mailer, clock: () => new Date(), logger: createLogger('silent', 'test'), publicUrl: h.baseUrl });
  const retry = () => activities.sendHouseholdEventMails({
    householdId: household.id, workflowId, events: [{ seq: 4, event: { type: 'partnerCheckCompleted', at: new Date().toISOString(), reason: 'all_answered', pendingPartnerOrgIds: [] } }],
  });
  await retry();
  expect(await row(key)).toMatchObject({ status: 'sent', attempts: 1 });
  const [mail] = await arrived('educatrice@april.localhost', subject);
  expect(mail!.text).toContain('Texte enregistré.');
  // A further retry sends nothing more.
  await retry();
  expect(await mailsTo('educatrice@april.localhost', subject)).toHaveLength(1);
});
