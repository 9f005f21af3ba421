import { randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ensureTemporalTestServer } from '../lib/embedded/temporal-test-server';
import { createDb, type Db } from '../lib/db';
import { createLogger } from '../lib/logger';
import { createMailer, type Mailer } from '../lib/mailer';
import { dataConverterFor } from '../lib/temporal';
import { DEMO_EDUCATOR, LANDLORDS, PARTNER_ORGANISATIONS, ensureReferenceData } from '../lib/reference-data';
import { DAY_MS, defaultProgrammePolicy } from '../domain/programme/policy';
import {
  acknowledgeHandoffUpdate, contactEscalationDecisionUpdate, getHouseholdStateQuery, householdWorkflowId,
  recordCommitteeDecisionUpdate, recordContactAttemptUpdate, recordReviewUpdate, startHandoffUpdate, updateArrearsSignal,
  type HouseholdWorkflowInput,
} from '../workflows/household/messages';
import { householdSearchAttributes, landlordSearchAttribute, phaseSearchAttribute } from '../workflows/household/search-attributes';
import type { householdWorkflow } from '../workflows/household/workflow';
import { startHouseholdWorker, type RunningWorker } from '../workers/worker';
import { databaseLock, eventually, quietTemporalRuntime, testPayloadCodec, testServices } from './support/harness';
import { inboxUrl, receivedMail } from './support/mailbox';
import { sharedWorkflowBundle } from './support/workflow-bundle';

/**
 * One household through the whole programme with the deployment's REAL policy (days, months, a
 * year of watch) on Temporal's time-skipping test server: a real PostgreSQL and a real SMTP
 * server, and the production worker, but the clock jumps ahead whenever the test or the workflow
 * waits. The other workflow tests shrink the policy to seconds; this one proves the rhythm itself.
 */
const HOUR_MS = 3_600_000;
const policy = defaultProgrammePolicy;

let env: TestWorkflowEnvironment;
let db: Db;
let lock: Awaited<ReturnType<typeof databaseLock>> | undefined;
let mailer: Mailer;
let worker: RunningWorker | undefined;
const taskQueue = `real-rhythm-${randomUUID()}`;

beforeAll(async () => {
  quietTemporalRuntime();
  const services = testServices();
  const lines: string[] = [];
  // Silent once cached; the first time, Maven's fetch (about 20 s) is announced.
  const executable = await ensureTemporalTestServer((line) => {
    lines.push(line);
    console.log(line);
  });
  if (!executable) {
    throw new Error(
      'Le serveur de test Temporal (saut dans le temps) ne peut pas être fourni : Java et Maven sont nécessaires '
      + `(node --import tsx scripts/ensure-temporal-test-server.ts).\n${lines.join('\n')}`,
    );
  }
  env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: executable } },
    client: { dataConverter: dataConverterFor(testPayloadCodec) },
  });
  // The test server knows only its own Custom*Field attributes and rejects the workflow's upsert
  // ("search attribute AprilPhase is not defined") until ours are added. It implements
  // addSearchAttributes but not listSearchAttributes, so lib/temporal.ts's ensureSearchAttributes
  // (which lists first) cannot be used here: add them all, once, on this fresh server.
  const namespace = env.namespace ?? 'default';
  await env.connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(householdSearchAttributes.map((key) => {
      if (key.type !== 'KEYWORD') throw new Error(`search attribute ${key.name}: type ${key.type} not mapped in this test`);
      return [key.name, temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD];
    })),
  });
  // Shares the database like every harness (see databaseLock): the fuzz file waits for it.
  lock = await databaseLock(services.databaseUrl, 'shared');
  db = createDb(services.databaseUrl);
  await ensureReferenceData(db);
  mailer = createMailer(services.smtpUrl, 'APRIL test <test@april.localhost>');
  worker = await startHouseholdWorker({
    temporalAddress: env.address, namespace, taskQueue, payloadCodec: testPayloadCodec, workflowBundle: await sharedWorkflowBundle(),
    deps: {
      db, mailer, clock: () => new Date(), logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent', 'april-test'),
      publicUrl: 'http://april.test',
    },
  });
}, 600_000);

afterAll(async () => {
  await worker?.shutdown();
  mailer?.close();
  await db?.$disconnect();
  await lock?.end();
  await env?.teardown();
});

/** Days between two instants, as a fraction: 10 days and a minute is 10.0007. */
const daysBetween = (from: Date | string, to: Date | string) => (new Date(to).getTime() - new Date(from).getTime()) / DAY_MS;

test('the real rhythm: partner reminder at day 7, committee at day 10, escalations, monthly reviews, 60-day overlap, a year of watch, closed maintained', async () => {
  // The case file, as the API writes it before it starts the workflow (api/households/service.ts).
  const id = randomUUID();
  const workflowId = householdWorkflowId(id);
  const referredAt = new Date(await env.currentTimeMs());
  await db.household.create({
    data: {
      id,
      landlordId: LANDLORDS[0].id,
      tenancyReference: `R-${id.slice(0, 8)}`,
      headName: 'Mme Rythme Réel',
      address: '12 rue du Calendrier, 51100 Reims',
      leaseStartDate: new Date('2019-09-01T00:00:00Z'),
      monthlyRentCents: 45_000,
      arrearsCents: 270_000,
      procedureStage: 'payment_order',
      referralSource: 'pre_litigation',
      workflowId,
      createdAt: referredAt,
    },
  });
  const input: HouseholdWorkflowInput = {
    householdId: id,
    landlordId: LANDLORDS[0].id,
    referredAt: referredAt.toISOString(),
    referredBy: 'api',
    referral: {
      arrearsCents: 270_000,
      monthlyRentCents: 45_000,
      procedureStage: 'payment_order',
      referralSource: 'pre_litigation',
      leaseStartDate: '2019-09-01',
      partnerOrgIds: PARTNER_ORGANISATIONS.map((p) => p.id),
    },
    policy,
  };
  const handle = await env.client.workflow.start<typeof householdWorkflow>('householdWorkflow', {
    taskQueue,
    workflowId,
    args: [input],
    typedSearchAttributes: [
      { key: phaseSearchAttribute, value: 'referred' },
      { key: landlordSearchAttribute, value: LANDLORDS[0].id },
    ],
  });
  await db.household.update({ where: { id }, data: { workflowStartedAt: new Date() } });

  const view = () => handle.query(getHouseholdStateQuery);
  const phaseIs = (phase: string) => eventually(async () => {
    const v = await view();
    return v.state.phase === phase ? v : undefined;
  }, 30_000, `phase ${phase}`);
  /** When each timeline event of this type happened, in workflow time (oldest first). */
  const timeline = async (type: string) => (await db.timelineEvent.findMany({ where: { householdId: id, type }, orderBy: { occurredAt: 'asc' } }))
    .map((row) => row.occurredAt);
  const once = async (type: string) => {
    const rows = await eventually(async () => {
      const found = await timeline(type);
      return found.length > 0 ? found : undefined;
    }, 30_000, `timeline ${type}`);
    expect(rows).toHaveLength(1);
    return rows[0]!;
  };
  const committee = { id: 'comite-reims', role: 'committee_member' } as const;
  const educator = { id: DEMO_EDUCATOR.id, role: 'educator' } as const;

  // ── Partner check: nobody answers. Reminder 3 days before the 10-day deadline, then the committee.
  await phaseIs('partner_check');
  const opened = await once('partnerCheckOpened');
  expect((await view()).nextDeadline).toMatchObject({ kind: 'partner_check_reminder' });
  // Each partner got the request by mail (the real SMTP server), with the answer due 10 days on.
  const dueOn = new Date(opened.getTime() + 10 * DAY_MS).toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris' });
  const requests = await eventually(async () => {
    const mails = (await receivedMail(inboxUrl())).filter((m) => m.subject.includes(`bail R-${id.slice(0, 8)}`));
    return mails.length >= PARTNER_ORGANISATIONS.length ? mails : undefined;
  }, 30_000, 'partner check mails');
  expect(requests.map((m) => m.to[0]?.address).sort()).toEqual(PARTNER_ORGANISATIONS.map((p) => p.email).sort());
  for (const mail of requests) expect(mail.text).toContain(`Réponse attendue avant le ${dueOn}.`);
  await env.sleep(7 * DAY_MS + HOUR_MS);
  const reminded = await once('partnerReminderIssued');
  expect(daysBetween(opened, reminded)).toBeCloseTo(7, 2);
  expect((await view()).state.phase).toBe('partner_check');
  const partnerTasks = await db.task.findMany({ where: { householdId: id, type: 'partner_check' } });
  expect(partnerTasks).toHaveLength(PARTNER_ORGANISATIONS.length);
  for (const task of partnerTasks) expect(daysBetween(opened, task.dueAt!)).toBeCloseTo(10, 5);

  await env.sleep(3 * DAY_MS);
  await phaseIs('committee');
  const completed = await once('partnerCheckCompleted');
  expect(daysBetween(opened, completed)).toBeCloseTo(10, 2);
  expect(await db.task.count({ where: { householdId: id, type: 'partner_check', status: 'cancelled' } })).toBe(PARTNER_ORGANISATIONS.length);

  // ── Committee admits; "aller vers": an attempt is requested at once, then 3 days after each one.
  await handle.executeUpdate(recordCommitteeDecisionUpdate, {
    args: [{ by: committee, sessionId: 'comite-1', decision: { kind: 'admit', track: 'pre_litigation', educatorId: DEMO_EDUCATOR.id } }],
  });
  expect((await view()).state).toMatchObject({ phase: 'contact', educatorId: DEMO_EDUCATOR.id });
  const contactStarted = await once('contactStarted');

  for (let attempt = 1; attempt <= policy.contact.maxFailedAttempts; attempt++) {
    const request = await eventually(async () => (await view()).state.contact?.openRequest, 30_000, `attempt request ${attempt}`);
    const v = await view();
    if (attempt === 1) {
      expect(daysBetween(contactStarted, request.notBefore)).toBeCloseTo(0, 2);
    } else {
      // The spacing runs from the previous attempt.
      const previous = v.state.contact!.attempts[v.state.contact!.attempts.length - 1]!;
      expect(daysBetween(previous.at, request.notBefore)).toBeCloseTo(3, 4);
    }
    await handle.executeUpdate(recordContactAttemptUpdate, { args: [{ by: educator, slot: request.slot, channel: 'home_visit', outcome: 'absent' }] });
    if (attempt < policy.contact.maxFailedAttempts) await env.sleep(3 * DAY_MS + HOUR_MS);
  }
  let state = (await view()).state;
  expect(state.contact).toMatchObject({ failedInWindow: 8, totalAttempts: 8, escalation: { reason: 'too_many_attempts' } });
  // The slots rotate: weekday, evening, weekend, and round again.
  expect(state.contact!.attempts.map((a) => a.slot).slice(0, 3)).toEqual(['weekday', 'evening', 'weekend']);
  expect(daysBetween(contactStarted, state.contact!.escalation!.at)).toBeCloseTo(7 * (3 + 1 / 24), 2);
  expect(await db.task.count({ where: { householdId: id, type: 'committee_review', status: 'open' } })).toBe(1);

  // The committee says go on: a fresh window of 60 days, which runs out without a contact.
  await handle.executeUpdate(contactEscalationDecisionUpdate, { args: [{ by: committee, sessionId: 'comite-2', decision: { kind: 'continue' } }] });
  state = (await view()).state;
  expect(state.contact).toMatchObject({ failedInWindow: 0 });
  expect(state.contact!.escalation).toBeUndefined();
  const windowStart = state.contact!.windowStartedAt;
  // The educator is asked for one more attempt, 3 days after the last one; then only the limit runs.
  const lastAttempt = state.contact!.attempts[state.contact!.attempts.length - 1]!;
  let next = (await view()).nextDeadline!;
  expect(next.kind).toBe('contact_attempt_due');
  expect(daysBetween(lastAttempt.at, next.at)).toBeCloseTo(3, 4);
  await env.sleep(3 * DAY_MS + HOUR_MS);
  await eventually(async () => (await view()).state.contact?.openRequest, 30_000, 'attempt request after continue');
  next = (await view()).nextDeadline!;
  expect(next.kind).toBe('contact_time_limit');
  expect(daysBetween(windowStart, next.at)).toBeCloseTo(60, 4);
  await env.sleep(56 * DAY_MS); // 59 days and 1 hour into the window
  expect((await view()).state.contact!.escalation).toBeUndefined();
  await env.sleep(DAY_MS);
  const tooLong = await eventually(async () => (await view()).state.contact?.escalation, 30_000, 'escalation after 60 days');
  expect(tooLong.reason).toBe('too_long');
  expect(daysBetween(windowStart, tooLong.at)).toBeCloseTo(60, 2);
  const escalations = await db.timelineEvent.findMany({ where: { householdId: id, type: 'contactEscalated' }, orderBy: { occurredAt: 'asc' } });
  expect(escalations.map((e) => (e.data as any).reason)).toEqual(['too_many_attempts', 'too_long']);

  await handle.executeUpdate(contactEscalationDecisionUpdate, { args: [{ by: committee, sessionId: 'comite-3', decision: { kind: 'continue' } }] });
  await handle.executeUpdate(recordContactAttemptUpdate, { args: [{ by: educator, slot: 'evening', channel: 'home_visit', outcome: 'contact_made' }] });
  expect((await view()).state.phase).toBe('support');
  const supportStarted = await once('supportStarted');

  // ── Support: a review is asked for every 30 days; an unanswered one is asked again a month later.
  await env.sleep(30 * DAY_MS + HOUR_MS);
  await eventually(async () => ((await timeline('supportReviewRequested')).length === 1 ? true : undefined), 30_000, 'first review request');
  await handle.executeUpdate(recordReviewUpdate, { args: [{ by: educator }] });
  const reviewed = await once('reviewRecorded');
  await env.sleep(30 * DAY_MS + HOUR_MS);
  const reviewRequests = await eventually(async () => {
    const found = await timeline('supportReviewRequested');
    return found.length === 2 ? found : undefined;
  }, 30_000, 'second review request');
  expect(daysBetween(supportStarted, reviewRequests[0]!)).toBeCloseTo(30, 2);
  expect(daysBetween(reviewed, reviewRequests[1]!)).toBeCloseTo(30, 2);
  const reviewTasks = await db.task.findMany({ where: { householdId: id, type: 'support_review' }, orderBy: { dueAt: 'asc' } });
  expect(reviewTasks.map((t) => t.status)).toEqual(['completed', 'open']);
  expect(reviewTasks.map((t) => t.assigneeId)).toEqual([DEMO_EDUCATOR.id, DEMO_EDUCATOR.id]);

  // The landlord's feed says the arrears are cleared: no relapse will be seen during the watch.
  await handle.signal(updateArrearsSignal, { arrearsCents: 0 });
  await eventually(async () => ((await view()).state.finances.arrearsCents === 0 ? true : undefined), 30_000, 'arrears cleared');

  // ── Handoff to the FSL: reminded after 7 days while silent; the watch starts when the 60-day overlap ends.
  const fsl = PARTNER_ORGANISATIONS[1];
  await handle.executeUpdate(startHandoffUpdate, { args: [{ by: educator, schemes: [{ scheme: 'fsl', partnerOrgId: fsl.id }] }] });
  const handoffStarted = await once('handoffStarted');
  await env.sleep(7 * DAY_MS + HOUR_MS);
  const handoffReminder = await once('handoffReminderIssued');
  expect(daysBetween(handoffStarted, handoffReminder)).toBeCloseTo(7, 2);
  await handle.executeUpdate(acknowledgeHandoffUpdate, { args: [{ by: { id: 'fsl-worker', role: 'partner_worker' }, scheme: 'fsl' }] });
  expect((await view()).state.phase).toBe('handoff'); // acknowledged, but the overlap goes on
  await env.sleep(53 * DAY_MS);
  await phaseIs('watch');
  const watchStarted = await once('watchStarted');
  expect(daysBetween(handoffStarted, watchStarted)).toBeCloseTo(60, 2);

  // ── Watch: a check every 30 days for a year, then closed as maintained. The result call lets
  // the server skip the whole year.
  const result = await handle.result();
  expect(result).toBe('maintained');
  const closed = await once('caseClosed');
  expect(daysBetween(watchStarted, closed)).toBeCloseTo(365, 2);
  const checks = await timeline('watchCheckRequested');
  expect(checks).toHaveLength(12); // days 30, 60, … 360; none on the day the watch ends
  checks.forEach((at, i) => expect(daysBetween(watchStarted, at)).toBeCloseTo(30 * (i + 1), 2));
  const watchTasks = await db.task.findMany({ where: { householdId: id, type: 'watch_check' }, orderBy: { dueAt: 'asc' } });
  expect(watchTasks).toHaveLength(12);
  // Each check closes the previous one; the closure closes the last. None is left open.
  watchTasks.forEach((task, i) => {
    expect(task.status).not.toBe('open');
    expect(task.completedAt).toEqual(i + 1 < watchTasks.length ? watchTasks[i + 1]!.dueAt : closed);
  });

  const household = await db.household.findUniqueOrThrow({ where: { id } });
  expect(household).toMatchObject({ phase: 'closed', outcome: 'maintained' });
  expect(daysBetween(household.closedAt!, closed)).toBe(0);
  // From referral to closure: 10 + 21 + 60 + 60 + 60 + 365 days and a few hours, all of it waited for.
  expect(daysBetween(referredAt, closed)).toBeGreaterThan(576);
}, 180_000);
