import { getHouseholdStateQuery, householdWorkflowId } from '../workflows/household/messages';
import { DEMO_EDUCATOR } from '../lib/reference-data';
import { createHouseholdActivities } from '../activities/household-activities';
import { createLogger } from '../lib/logger';
import { eventually, useHarness } from './support/harness';
import { request } from './support/http';
import { processDriver } from './support/process';

/**
 * Reads from PostgreSQL, writes through Temporal (docs/design/architecture.md « Reads »): the
 * activity that records a step writes the household's view with it; after every step of a path the
 * projection equals what the workflow's query answers, an action's answer is that view, and the
 * case file reads without the workflow (the worker stopped, a query could not answer).
 */
const h = useHarness();

const projected = async (id: string) => (await h.db.household.findUniqueOrThrow({ where: { id }, select: { view: true, viewSeq: true } }));
const queried = (id: string) => h.temporal.workflow.getHandle(householdWorkflowId(id)).query(getHouseholdStateQuery);

/** The projection once the workflow has recorded everything it applied (its background mails aside). */
async function expectProjectionMatches(id: string, step: string) {
  const query = await queried(id);
  const row = await eventually(async () => {
    const current = await projected(id);
    return current.viewSeq === query.eventSeq ? current : undefined;
  }, 20_000, `projection at event ${query.eventSeq} after ${step}`);
  expect({ step, view: row.view }).toEqual({ step, view: JSON.parse(JSON.stringify(query)) });
}

test('after every step of a path the projection equals the workflow\'s view, and an action answers it', async () => {
  const driver = processDriver(h);
  const id = await driver.refer();
  await expectProjectionMatches(id, 'referral');
  await driver.answerPartners(id);
  await expectProjectionMatches(id, 'partner answers');
  const admitted = await driver.post(id, 'committee-decisions', { sessionId: 'comite-projection', decision: { kind: 'admit', track: 'pre_litigation', educatorId: DEMO_EDUCATOR.id } });
  expect(admitted.status).toBe(200);
  // The action's answer is the view the step wrote, read back from PostgreSQL.
  expect(admitted.body).toEqual((await projected(id)).view);
  await driver.waitForPhase(id, 'contact');
  await expectProjectionMatches(id, 'admission');
  const attempt = await driver.post(id, 'contact-attempts', { slot: 'evening', channel: 'home_visit', outcome: 'contact_made' });
  expect(attempt.status).toBe(200);
  await driver.waitForPhase(id, 'support');
  await expectProjectionMatches(id, 'first contact');
  const plan = await driver.post(id, 'support-plan', { changes: { budget: { status: 'in_progress', goal: 'Plan d\'apurement' } } });
  expect(plan.status).toBe(200);
  await expectProjectionMatches(id, 'support plan');

  // The case file reads from the projection: with no worker, a query could not be answered.
  await h.stopWorker();
  try {
    const read = await request(h.baseUrl, 'GET', `/api/households/${id}`, undefined, h.as.coordinator.headers);
    expect(read.status).toBe(200);
    expect(read.body.workflow).toMatchObject({ available: true, state: { phase: 'support' }, acceptedCommands: expect.arrayContaining(['recordReview']) });
    expect(read.body.legal).toBeDefined();
    const landlord = await request(h.baseUrl, 'GET', `/api/households/${id}`, undefined, h.as.landlord_agent.headers);
    expect(landlord.body.workflow).toEqual({ available: true, phase: 'support' });
  } finally {
    await h.startWorker();
  }
});

test('an older step retried never overwrites a newer view', async () => {
  const driver = processDriver(h);
  const id = await driver.refer();
  await driver.answerPartners(id);
  const current = await projected(id);
  const household = await h.db.household.findUniqueOrThrow({ where: { id } });
  // The activity run again for the referral's step (a retry after a lost answer), its view older.
  const { recordHouseholdEvents } = createHouseholdActivities({ db: h.db, mailer: h.mailer, clock: () => new Date(), logger: createLogger('silent', 'test'), publicUrl: h.baseUrl });
  const stale = { ...(current.view as object), eventSeq: 1, state: { phase: 'referred' } };
  await recordHouseholdEvents({ householdId: id, workflowId: household.workflowId, events: [], projection: { phase: household.phase }, view: stale as never });
  expect(await projected(id)).toEqual(current);
});
