import { Client, type Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { PARTNER_ORGANISATIONS } from '../lib/reference-data';
import { eventually, openHarness, type Harness } from './support/harness';
import { fastPolicy } from './support/policy';
import { processDriver } from './support/process';

/** A years-long life: bounded history through continue-as-new, and no personal data in Temporal. */
let h: Harness;
let d: ReturnType<typeof processDriver>;
beforeAll(async () => {
  // The smallest threshold the policy allows, so that a short path crosses it several times.
  h = await openHarness({ policy: { ...fastPolicy, historyEventsBeforeContinueAsNew: 50 } });
  d = processDriver(h);
});
afterAll(async () => {
  await h?.close();
});

test('continue-as-new keeps the state, the numbering of events and the answers to updates', async () => {
  const id = await d.refer({ headName: 'Mme Longue Vie', address: '10 rue des Années, 51100 Reims', phone: '03 26 00 00 00' });
  const workflowId = `household-${id}`;
  const firstRunId = (await h.temporal.workflow.getHandle(workflowId).describe()).runId;

  const referentEmail = `referent-${id.slice(0, 8)}@departement.example`;
  await d.answerPartners(id, { [PARTNER_ORGANISATIONS[1].id]: { name: 'M. Référent Confidentiel', email: referentEmail } });
  await d.post(id, 'committee-decisions', { sessionId: 's1', decision: { kind: 'defer' } });
  const admitted = await d.admitAfterDefer(id);
  expect(admitted.state.phase).toBe('contact');
  for (let i = 0; i < 4; i++) {
    const res = await d.post(id, 'contact-attempts', { slot: 'evening', channel: 'home_visit', outcome: 'absent', note: 'Voisin dit : travaille de nuit.' });
    expect(res.status).toBe(200);
  }

  const description = await h.temporal.workflow.getHandle(workflowId).describe();
  expect(description.runId).not.toBe(firstRunId);
  const view = (await d.view(id)).workflow;
  // Nothing lost across runs: all answers, the committee's two decisions, every attempt, and one
  // timeline row per event, numbered without gaps or repeats.
  expect(Object.keys(view.state.partnerCheck.answers)).toHaveLength(PARTNER_ORGANISATIONS.length);
  expect(view.state.committee.decisions.map((x: any) => x.decision.kind)).toEqual(['defer', 'admit']);
  expect(view.state.contact.totalAttempts).toBe(4);
  // The last rows are written by an activity a moment after the state moves: wait until all are there.
  const numbers = await eventually(async () => {
    const timeline = await h.db.timelineEvent.findMany({ where: { householdId: id }, select: { idempotencyKey: true } });
    const seen = timeline.map((t) => Number(t.idempotencyKey.split(':event:')[1])).sort((a, b) => a - b);
    return seen.length >= view.eventSeq ? seen : undefined;
  }, 20_000, 'one timeline row per event');
  expect(numbers).toEqual(Array.from({ length: view.eventSeq }, (_, i) => i + 1));
  // The search attributes follow the new run.
  expect(description.typedSearchAttributes.get({ name: 'AprilPhase', type: 'KEYWORD' } as never)).toBe('contact');

  // Temporal's histories (every run) hold ids and process facts, never what identifies the household.
  const runs: string[] = [];
  for await (const run of h.temporal.workflow.list({ query: `WorkflowId = '${workflowId}'` })) runs.push(run.runId);
  expect(runs.length).toBeGreaterThan(1);
  // Read as the server stores it, through a client that holds no key.
  const keyless = new Client({ connection: h.temporal.connection as Connection, namespace: 'default' });
  for (const runId of runs) {
    const history = await keyless.workflow.getHandle(workflowId, runId).fetchHistory();
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    const encoding = Buffer.from(started?.input?.payloads?.[0]?.metadata?.encoding ?? []).toString();
    expect(encoding).toBe('binary/encrypted');
    const raw = historyToJSON(history);
    for (const secret of ['Longue Vie', 'rue des Années', '03 26 00 00 00', 'travaille de nuit', 'Référent Confidentiel', referentEmail]) {
      expect(raw).not.toContain(secret);
    }
  }
  await eventually(async () => (await h.db.note.count({ where: { householdId: id } })) === 4 ? true : undefined);
});
