import { randomUUID } from 'node:crypto';
import { dashboardFigures } from '../api/dashboard/indicators';
import { defaultProgrammePolicy } from '../domain/programme/policy';
import { openHarness, type Harness } from './support/harness';

/**
 * The dashboard's queries against the real database: households of a landlord of this file only
 * (other files share the database), written as the workflow's activities write them (projection
 * row, timeline events, tasks), with known figures. No workflow runs: the rows are the input.
 */
let h: Harness;
const landlordId = randomUUID();
const otherLandlordId = randomUUID();
const suffix = randomUUID().slice(0, 8);
const ids: string[] = [];
const now = new Date('2026-05-10T12:00:00Z');
const period = { from: new Date('2025-01-01T00:00:00Z'), to: new Date('2026-01-01T00:00:00Z') };

async function household(spec: { landlord?: string; createdAt: string; phase: string; track?: string; outcome?: string; closedAt?: string }) {
  const id = randomUUID();
  ids.push(id);
  await h.db.household.create({
    data: {
      id, landlordId: spec.landlord ?? landlordId, tenancyReference: `IND-${suffix}-${ids.length}`, headName: 'Ménage indicateur', address: '1 rue des Chiffres, 51100 Reims',
      leaseStartDate: new Date('2020-01-01'), monthlyRentCents: 40000, arrearsCents: 120000, procedureStage: 'payment_order', referralSource: 'pre_litigation',
      workflowId: `household-${id}`, workflowStartedAt: new Date(spec.createdAt), createdAt: new Date(spec.createdAt),
      phase: spec.phase, track: spec.track ?? null, outcome: spec.outcome ?? null, closedAt: spec.closedAt ? new Date(spec.closedAt) : null,
    },
  });
  return id;
}

let n = 0;
const event = (householdId: string, type: string, occurredAt: string, data: Record<string, unknown> = {}) =>
  h.db.timelineEvent.create({ data: { id: randomUUID(), idempotencyKey: `ind-${suffix}-${n++}`, householdId, type, actor: 'system', occurredAt: new Date(occurredAt), data: data as object } });
const attempt = (householdId: string, occurredAt: string, outcome: string) =>
  event(householdId, 'contactAttemptRecorded', occurredAt, { slot: 'evening', channel: 'home_visit', outcome, by: { id: 'x', role: 'educator' } });
const task = (householdId: string, dueAt: string, status: 'open' | 'completed' = 'open') =>
  h.db.task.create({ data: { id: randomUUID(), idempotencyKey: `ind-${suffix}-task-${n++}`, householdId, type: 'support_review', candidateRole: 'educator', dueAt: new Date(dueAt), status } });

let h1: string;
let h2: string;

beforeAll(async () => {
  h = await openHarness({ startWorker: false });
  await h.db.landlord.createMany({ data: [
    { id: landlordId, code: `indicateurs-${suffix}`, name: `Bailleur des indicateurs ${suffix}` },
    { id: otherLandlordId, code: `indicateurs-autre-${suffix}`, name: `Autre bailleur ${suffix}` },
  ] });
  // H1: referred in the period, in support, payment resumed, reached at the third attempt, a
  // commandement de quitter les lieux whose two months end within 30 days of `now`, one overdue task.
  h1 = await household({ createdAt: '2025-03-01T09:00:00Z', phase: 'support', track: 'pre_litigation' });
  await event(h1, 'paymentRecorded', '2025-04-01T09:00:00Z', { amountCents: 10000 });
  await event(h1, 'paymentResumed', '2025-04-01T09:00:00Z');
  await attempt(h1, '2025-03-10T18:00:00Z', 'absent');
  await attempt(h1, '2025-03-12T18:00:00Z', 'wrong_address');
  await attempt(h1, '2025-03-15T18:00:00Z', 'contact_made');
  await event(h1, 'procedureEventRecorded', '2026-03-21T09:00:00Z', { procedureType: 'order_to_leave', occurredOn: '2026-03-20T00:00:00.000Z' });
  await task(h1, '2026-05-01T08:00:00Z');
  await task(h1, '2026-06-01T08:00:00Z');
  await task(h1, '2026-04-01T08:00:00Z', 'completed');
  // H2: closed « maintained » in the period, reached at the first attempt; its procedure is not shown (closed).
  h2 = await household({ createdAt: '2025-06-01T09:00:00Z', phase: 'closed', track: 'pre_litigation', outcome: 'maintained', closedAt: '2025-11-01T09:00:00Z' });
  await attempt(h2, '2025-06-20T18:00:00Z', 'contact_made');
  await event(h2, 'procedureEventRecorded', '2026-03-21T09:00:00Z', { procedureType: 'order_to_leave', occurredOn: '2026-03-20T00:00:00.000Z' });
  // H3: reoriented towards the FSL by the committee in the period.
  const h3 = await household({ createdAt: '2025-07-01T09:00:00Z', phase: 'closed', outcome: 'reoriented', closedAt: '2025-07-15T09:00:00Z' });
  await event(h3, 'committeeDecisionRecorded', '2025-07-15T09:00:00Z', { sessionId: 's', decision: { kind: 'reorient', scheme: 'fsl' }, capacityExceeded: false });
  // H4: referred before the period, first contact (appointment) in it at the second attempt.
  const h4 = await household({ createdAt: '2024-12-01T09:00:00Z', phase: 'contact', track: 'post_termination' });
  await attempt(h4, '2024-12-10T18:00:00Z', 'absent');
  await attempt(h4, '2025-01-05T18:00:00Z', 'appointment_set');
  await event(h4, 'committeeDecisionRecorded', '2024-12-05T09:00:00Z', { sessionId: 's', decision: { kind: 'admit', track: 'post_termination', educatorId: 'e' }, capacityExceeded: false });
  // H5: awaiting the committee. H6: referred in the period, closed after it.
  await household({ createdAt: '2025-02-01T09:00:00Z', phase: 'committee' });
  await household({ createdAt: '2025-12-31T22:00:00Z', phase: 'closed', outcome: 'unreachable', closedAt: '2026-02-01T09:00:00Z' });
  // Another landlord's household, in every count if the filter leaked.
  const other = await household({ landlord: otherLandlordId, createdAt: '2025-03-01T09:00:00Z', phase: 'support', track: 'pre_litigation' });
  await event(other, 'paymentResumed', '2025-04-01T09:00:00Z');
  await attempt(other, '2025-03-15T18:00:00Z', 'contact_made');
  await task(other, '2026-05-01T08:00:00Z');
});

afterAll(async () => {
  if (h) {
    await h.db.task.deleteMany({ where: { householdId: { in: ids } } });
    await h.db.timelineEvent.deleteMany({ where: { householdId: { in: ids } } });
    await h.db.household.deleteMany({ where: { id: { in: ids } } });
    await h.db.landlord.deleteMany({ where: { id: { in: [landlordId, otherLandlordId] } } });
    await h.close();
  }
});

test('the figures of one landlord over a period match the rows written', async () => {
  const figures = await dashboardFigures(h.db, defaultProgrammePolicy, { landlordId, ...period, now });
  expect(figures.indicators).toEqual({
    referred: 5,
    activeNow: 2,
    openNow: 3,
    paymentResumption: { resumed: 1, referred: 5, percent: 20 },
    attempts: {
      households: 3, average: 2,
      distribution: [{ label: '1', count: 1 }, { label: '2', count: 1 }, { label: '3', count: 1 }, { label: '4', count: 0 }, { label: '5 ou plus', count: 0 }],
    },
    outcomes: [{ code: 'maintained', count: 1 }, { code: 'reoriented', count: 1 }],
    closed: 2,
    reorientations: { total: 1, byScheme: [{ code: 'fsl', count: 1 }] },
  });
  const cell = (phase: string, track: string | null) => figures.byPhaseAndTrack.find((r) => r.phase === phase)!.tracks.find((t) => t.track === track)!.count;
  expect([cell('support', 'pre_litigation'), cell('contact', 'post_termination'), cell('committee', null), cell('closed', 'pre_litigation'), cell('closed', null)]).toEqual([1, 1, 1, 1, 2]);
  expect(figures.byPhase.reduce((sum, row) => sum + row.count, 0)).toBe(6);
  expect(figures.caseload.perLandlord).toEqual([{ landlordId, landlordName: `Bailleur des indicateurs ${suffix}`, active: 2, capacity: 20, full: false }]);
  expect(figures.caseload.total.capacity).toBe(60);

  expect(figures.overdueCount).toBe(1);
  expect(figures.overdueTasks.map((t) => [t.householdId, t.dueAt.toISOString()])).toEqual([[h1, '2026-05-01T08:00:00.000Z']]);

  // The commandement of 20 March 2026 ends two months later: within 30 days of 10 May, for the open household only.
  expect(figures.deadlines.map((d) => [d.householdId, d.deadline.kind])).toContainEqual([h1, 'order_to_leave_expiry']);
  expect(figures.deadlines.every((d) => d.householdId === h1 && d.deadline.dueDate >= '2026-05-10' && d.deadline.dueDate <= '2026-06-09')).toBe(true);
  expect(figures.deadlines.find((d) => d.deadline.kind === 'order_to_leave_expiry')?.tenancyReference).toBe(`IND-${suffix}-1`);
});

test('the period moves the flow figures, not where households stand', async () => {
  const figures = await dashboardFigures(h.db, defaultProgrammePolicy, { landlordId, from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-05-11T00:00:00Z'), now });
  expect(figures.indicators).toMatchObject({
    referred: 0, activeNow: 2, openNow: 3, closed: 1, outcomes: [{ code: 'unreachable', count: 1 }],
    paymentResumption: { resumed: 0, referred: 0, percent: null }, attempts: { households: 0, average: null },
    reorientations: { total: 0, byScheme: [] },
  });
});

test('without a landlord, every landlord counts (at least this file\'s two)', async () => {
  const all = await dashboardFigures(h.db, defaultProgrammePolicy, { ...period, now });
  const mine = await dashboardFigures(h.db, defaultProgrammePolicy, { landlordId, ...period, now });
  expect(all.indicators.referred).toBeGreaterThanOrEqual(mine.indicators.referred + 1);
  expect(all.caseload.perLandlord.map((r) => r.landlordId)).toEqual(expect.arrayContaining([landlordId, otherLandlordId]));
  expect(all.overdueCount).toBeGreaterThanOrEqual(2);
});
