import { randomUUID } from 'node:crypto';
import { Prisma } from '../generated/prisma/client';
import { reconcileHouseholds } from '../lib/backup/reconcile';
import { createLogger } from '../lib/logger';
import { LANDLORDS, PARTNER_ORGANISATIONS } from '../lib/reference-data';
import { householdWorkflowId } from '../workflows/household/messages';
import { eventually, testPayloadCodec, useHarness } from './support/harness';
import { request } from './support/http';
import { patientPartnersPolicy } from './support/policy';

// After a restore the two stores come from two instants (docs/design/runtime.md, « Sauvegarde et
// restauration »): the projection is rebuilt from the workflow whichever is ahead.
// The reconciler scans every household: no other file may be referring one meanwhile.
const h = useHarness({ quietDatabase: true, policy: patientPartnersPolicy });

const reconcile = () => reconcileHouseholds({ db: h.db, temporal: h.temporal, codec: testPayloadCodec, namespace: 'default', logger: createLogger('silent') });

async function refer(): Promise<string> {
  const created = await request(h.baseUrl, 'POST', '/api/households', {
    landlordId: LANDLORDS[0].id, tenancyReference: `RST-${randomUUID().slice(0, 8)}`, headName: 'Mme Restauration', address: '3 rue de la Sauvegarde, 51100 Reims',
    leaseStartDate: '2021-03-01', monthlyRent: 420, arrears: 1260, procedureStage: 'none', referralSource: 'pre_litigation',
  }, h.as.coordinator.headers);
  expect(created.status).toBe(201);
  return created.body.id as string;
}

/** Waits until the workflow is in `phase` and the projection has every event it applied. */
async function settled(id: string, phase: string): Promise<number> {
  return eventually(async () => {
    const res = await request(h.baseUrl, 'GET', `/api/households/${id}`, undefined, h.as.coordinator.headers);
    const view = res.body.workflow;
    if (!view?.available || view.state.phase !== phase) return undefined;
    const rows = await h.db.timelineEvent.count({ where: { householdId: id } });
    const row = await h.db.household.findUniqueOrThrow({ where: { id } });
    return rows === view.eventSeq && row.phase === phase ? (view.eventSeq as number) : undefined;
  }, 30_000, `household in ${phase} with its timeline written`);
}

/** What the projection holds of a household: comparable between two moments. */
async function projection(id: string) {
  const row = await h.db.household.findUniqueOrThrow({ where: { id }, select: { phase: true, track: true, outcome: true, educatorId: true, closedAt: true } });
  const timeline = await h.db.timelineEvent.findMany({ where: { householdId: id }, select: { idempotencyKey: true, type: true, data: true, occurredAt: true }, orderBy: { idempotencyKey: 'asc' } });
  const tasks = await h.db.task.findMany({
    where: { householdId: id }, select: { idempotencyKey: true, type: true, status: true, result: true, completedAt: true, dueAt: true }, orderBy: { idempotencyKey: 'asc' },
  });
  return { row, timeline, tasks };
}

const answer = (id: string, partnerOrgId: string) =>
  request(h.baseUrl, 'POST', `/api/households/${id}/partner-answers`, { partnerOrgId, answer: 'not_known' }, h.as.coordinator.headers);

test('a projection copied before its workflow moved on is caught up from the workflow history, tasks and timeline included', async () => {
  const id = await refer();
  const atCopy = await settled(id, 'partner_check');
  const copied = await projection(id);

  // After the database's copy, before Temporal's: every partner answers, the household goes to committee.
  for (const partner of PARTNER_ORGANISATIONS) expect((await answer(id, partner.id)).status).toBe(200);
  const later = await settled(id, 'committee');
  expect(later).toBeGreaterThan(atCopy);
  const expected = await projection(id);

  // The restored database is the copy: rows of later events gone, tasks as they were, phase before.
  const workflowId = householdWorkflowId(id);
  const laterKeys = Array.from({ length: later - atCopy }, (_, i) => `${workflowId}:event:${atCopy + 1 + i}`);
  await h.db.timelineEvent.deleteMany({ where: { idempotencyKey: { in: laterKeys } } });
  await h.db.task.deleteMany({ where: { householdId: id, idempotencyKey: { notIn: copied.tasks.map((t) => t.idempotencyKey) } } });
  for (const task of copied.tasks) {
    await h.db.task.update({ where: { idempotencyKey: task.idempotencyKey }, data: { status: task.status, completedAt: task.completedAt, result: task.result ?? Prisma.DbNull } });
  }
  await h.db.household.update({ where: { id }, data: copied.row });
  expect(await projection(id)).not.toEqual(expected);

  const report = await reconcile();
  expect(report.caughtUp).toContainEqual({ householdId: id, fromSeq: atCopy, toSeq: later });
  expect(await projection(id)).toEqual(expected);

  // Once caught up, running it again changes nothing.
  const again = await reconcile();
  expect(again.caughtUp.map((c) => c.householdId)).not.toContain(id);
  expect(await projection(id)).toEqual(expected);
});

test('a projection ahead of its workflow is brought back to it, and the workflow goes on with its own events and mails', async () => {
  const id = await refer();
  await settled(id, 'partner_check');
  for (const partner of PARTNER_ORGANISATIONS) expect((await answer(id, partner.id)).status).toBe(200);
  const seq = await settled(id, 'committee');
  const expected = await projection(id);
  const workflowId = householdWorkflowId(id);

  // What a database restored from a later instant than Temporal holds: two events the workflow
  // never had (an admission), the task one opened, the committee task it closed, its mail, its phase.
  const at = new Date();
  for (const n of [1, 2]) {
    await h.db.timelineEvent.create({
      data: { id: randomUUID(), idempotencyKey: `${workflowId}:event:${seq + n}`, householdId: id, type: n === 1 ? 'committeeDecisionRecorded' : 'contactAttemptRequested', actor: 'system', occurredAt: at, data: {} },
    });
  }
  await h.db.task.create({ data: { id: randomUUID(), idempotencyKey: `${workflowId}:event:${seq + 2}:attempt`, householdId: id, type: 'contact_attempt', candidateRole: 'educator' } });
  await h.db.task.updateMany({ where: { householdId: id, type: 'committee_decision' }, data: { status: 'completed', completedAt: at } });
  const ghostMailKey = `${workflowId}:event:${seq + 1}:mail:ghost`;
  await h.db.mailMessage.create({ data: { id: randomUUID(), idempotencyKey: ghostMailKey, recipient: 'x@april.localhost', subject: 's', template: 'new_task', status: 'sent', householdId: id } });
  await h.db.household.update({ where: { id }, data: { phase: 'contact', track: 'pre_litigation' } });

  const report = await reconcile();
  expect(report.rolledBack).toContainEqual({ householdId: id, fromSeq: seq + 2, toSeq: seq });
  expect(await projection(id)).toEqual(expected);
  // The mail that went out stays in the log, under a key the workflow's next events cannot meet.
  expect(await h.db.mailMessage.findUnique({ where: { idempotencyKey: ghostMailKey } })).toBeNull();
  expect(await h.db.mailMessage.count({ where: { householdId: id, idempotencyKey: { startsWith: `${ghostMailKey}:set-aside:` } } })).toBe(1);

  // The workflow goes on: the committee's decision is accepted and written under the numbers the ghost had.
  const decided = await request(h.baseUrl, 'POST', `/api/households/${id}/committee-decisions`, {
    sessionId: `rst-${id.slice(0, 8)}`, decision: { kind: 'reject', reason: 'not_eligible' },
  }, h.as.coordinator.headers);
  expect(decided.status).toBe(200);
  await settled(id, 'closed');
  const next = await h.db.timelineEvent.findUniqueOrThrow({ where: { idempotencyKey: `${workflowId}:event:${seq + 1}` } });
  expect(next.type).toBe('committeeDecisionRecorded');
  expect(next.data).toMatchObject({ decision: { kind: 'reject' } });
});

test('case file rows without a workflow, and workflows without a case file, are flagged, not invented', async () => {
  const id = randomUUID();
  await h.db.household.create({
    data: {
      id, landlordId: LANDLORDS[1].id, tenancyReference: `GONE-${id.slice(0, 8)}`, headName: 'M. Sans Workflow', address: '5 rue Perdue, 51100 Reims',
      leaseStartDate: new Date('2020-01-01'), monthlyRentCents: 40000, arrearsCents: 80000, procedureStage: 'none', referralSource: 'proximity',
      workflowId: householdWorkflowId(id), createdAt: new Date(), workflowStartedAt: new Date(),
    },
  });
  // A household closed long ago, whose history the namespace's retention removed: nothing to flag.
  const expired = randomUUID();
  await h.db.household.create({
    data: {
      id: expired, landlordId: LANDLORDS[1].id, tenancyReference: `OLD-${expired.slice(0, 8)}`, headName: 'Mme Ancienne', address: '7 rue Close, 51100 Reims',
      leaseStartDate: new Date('2019-01-01'), monthlyRentCents: 40000, arrearsCents: 0, procedureStage: 'none', referralSource: 'proximity',
      workflowId: householdWorkflowId(expired), createdAt: new Date('2024-01-01'), workflowStartedAt: new Date('2024-01-01'),
      phase: 'closed', outcome: 'maintained', closedAt: new Date('2024-06-01'),
    },
  });
  // A household referred between the two copies: its workflow is in Temporal, its row is not.
  const orphan = householdWorkflowId(randomUUID());
  await h.temporal.workflow.start('householdWorkflow', {
    taskQueue: `no-worker-${randomUUID()}`, workflowId: orphan,
    args: [{ householdId: orphan.slice('household-'.length), landlordId: LANDLORDS[1].id, referredAt: new Date().toISOString(), referredBy: 'test', policy: patientPartnersPolicy,
      referral: { arrearsCents: 80000, monthlyRentCents: 40000, procedureStage: 'none', referralSource: 'proximity', leaseStartDate: '2020-01-01', partnerOrgIds: [] } }],
  });
  const report = await eventually(async () => {
    const r = await reconcile();
    return r.orphanWorkflows.includes(orphan) ? r : undefined;
  }, 20_000, 'the orphan workflow listed by visibility');
  expect(report.missingWorkflows).toContain(id);
  expect(report.missingWorkflows).not.toContain(expired);
  expect(report.closedWithoutHistory).toBeGreaterThanOrEqual(1);
  // Nothing invented on either side.
  expect(await h.db.household.count({ where: { workflowId: orphan } })).toBe(0);
  expect(await h.db.timelineEvent.count({ where: { householdId: id } })).toBe(0);
  await h.temporal.workflow.getHandle(orphan).terminate('test cleanup');
});
