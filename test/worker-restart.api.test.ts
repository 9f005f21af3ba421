import { randomUUID } from 'node:crypto';
import { createHouseholdService } from '../api/households/service';
import { createLogger } from '../lib/logger';
import { LANDLORDS, PARTNER_ORGANISATIONS } from '../lib/reference-data';
import { fastPolicy } from './support/policy';
import { householdWorkflowId } from '../workflows/household/messages';
import { eventually, openHarness, type Harness } from './support/harness';
import { request } from './support/http';
import { inboxUrl, receivedMail } from './support/mailbox';

let h: Harness;
beforeAll(async () => {
  // Partner-check timers long enough not to fire during the test: the counts below are the referral's.
  // The reconciler scans every household: no other file may be referring one meanwhile.
  h = await openHarness({ startWorker: false, quietDatabase: true, policy: { ...fastPolicy, partnerCheck: { deadlineMs: 30 * 60_000, reminderLeadMs: 10 * 60_000 } } });
});
afterAll(async () => {
  await h?.close();
});

const referral = () => ({
  landlordId: LANDLORDS[2].id,
  tenancyReference: `R-${randomUUID().slice(0, 8)}`,
  headName: 'M. Dominique Essai',
  address: '8 rue du Redémarrage, 51100 Reims',
  leaseStartDate: '2024-01-15',
  monthlyRent: 380,
  arrears: 900,
  procedureStage: 'none',
  referralSource: 'proximity',
});

async function recorded(id: string) {
  const res = await request(h.baseUrl, 'GET', `/api/households/${id}`, undefined, h.as.coordinator.headers);
  return res.body.workflow?.available && res.body.workflow.state.phase === 'partner_check' ? res.body : undefined;
}

test('a household referred while no worker runs is taken up when one starts, and survives a worker restart without duplicates', async () => {
  const body = referral();
  const created = await request(h.baseUrl, 'POST', '/api/households', body, h.as.coordinator.headers);
  expect(created.status).toBe(201);
  const id = created.body.id as string;

  // No worker: the case file is there, the process state is honestly reported unavailable.
  const waiting = await request(h.baseUrl, 'GET', `/api/households/${id}`, undefined, h.as.coordinator.headers);
  expect(waiting.status).toBe(200);
  expect(waiting.body).toMatchObject({ id, phase: 'referred', workflow: { available: false, reason: expect.any(String) } });
  expect(await h.db.timelineEvent.count({ where: { householdId: id } })).toBe(0);

  await h.startWorker();
  await eventually(() => recorded(id), 30_000, 'referral recorded after the worker started');
  // One mail to the coordination, one to each partner.
  const expectedMails = 1 + PARTNER_ORGANISATIONS.length;
  const mailRows = () => h.db.mailMessage.count({ where: { idempotencyKey: { startsWith: `${householdWorkflowId(id)}:` }, status: 'sent' } });
  await eventually(async () => ((await mailRows()) === expectedMails ? true : undefined), 30_000, 'mails sent');

  // Kill the worker and start a fresh one: it rebuilds the state from history and repeats nothing.
  await h.stopWorker();
  await h.startWorker();
  const after = await eventually(() => recorded(id), 30_000, 'state after restart');
  expect(after.workflow.state.phase).toBe('partner_check');
  // The state query answers once the event is decided; its activity writes the row just after.
  await eventually(async () => ((await h.db.timelineEvent.count({ where: { householdId: id } })) === after.workflow.eventSeq ? true : undefined), 20_000, 'timeline written');
  expect(await h.db.referral.count({ where: { householdId: id } })).toBe(1);
  expect(await h.db.task.count({ where: { householdId: id } })).toBe(PARTNER_ORGANISATIONS.length);
  // Each mail sent once, although the new worker replayed the whole history.
  expect(await mailRows()).toBe(expectedMails);
  const mails = (await receivedMail(inboxUrl())).filter((m) => m.text.includes(body.tenancyReference));
  expect(mails).toHaveLength(expectedMails);
});

test('a household whose workflow start was interrupted by a crash is started by the reconciler', async () => {
  // What a crash between the database write and the workflow start leaves behind.
  const id = randomUUID();
  await h.db.household.create({
    data: {
      id,
      landlordId: LANDLORDS[2].id,
      tenancyReference: `C-${id.slice(0, 8)}`,
      headName: 'Mme Interrompue',
      address: '1 place du Crash, 51100 Reims',
      leaseStartDate: new Date('2020-06-01'),
      monthlyRentCents: 40000,
      arrearsCents: 120000,
      procedureStage: 'none',
      referralSource: 'social_management',
      workflowId: householdWorkflowId(id),
      createdAt: new Date(Date.now() - 5 * 60_000),
    },
  });
  const service = createHouseholdService({
    db: h.db,
    temporal: h.temporal,
    taskQueue: h.taskQueue,
    logger: createLogger('silent'),
    clock: () => new Date(),
    policy: fastPolicy,
  });
  expect(await service.resumePendingStarts()).toBeGreaterThanOrEqual(1);
  expect(await service.resumePendingStarts()).toBe(0);
  await eventually(() => recorded(id), 30_000, 'referral recorded after reconciliation');
  expect((await h.db.household.findUniqueOrThrow({ where: { id } })).workflowStartedAt).not.toBeNull();
});
