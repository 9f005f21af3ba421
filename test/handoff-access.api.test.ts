import { PARTNER_ORGANISATIONS } from '../lib/reference-data';
import { eventually, useHarness } from './support/harness';
import { processDriver } from './support/process';

/**
 * A handoff is acknowledged by the organisation it is addressed to now: one whose earlier handoff
 * was cancelled cannot acknowledge the next one, addressed to another organisation.
 */
const h = useHarness();

test('after a cancelled handoff, only the organisation of the new one may acknowledge it', async () => {
  const driver = processDriver(h);
  const [first, second] = [PARTNER_ORGANISATIONS[0].id, PARTNER_ORGANISATIONS[1].id];
  const id = await driver.refer();
  await driver.reach(id);

  expect((await driver.post(id, 'handoff', { schemes: [{ scheme: 'fsl', partnerOrgId: first }] })).status).toBe(200);
  await driver.waitForPhase(id, 'handoff');
  expect((await driver.post(id, 'handoff/cancel', { reason: 'Le FSL du CCAS ne peut pas le prendre.' })).status).toBe(200);
  await driver.waitForPhase(id, 'support');
  expect((await driver.post(id, 'handoff', { schemes: [{ scheme: 'fsl', partnerOrgId: second }] })).status).toBe(200);
  await driver.waitForPhase(id, 'handoff');
  // The new task exists before anyone acknowledges (the activity writes it just after the phase moves).
  await eventually(async () => (await h.db.task.count({ where: { householdId: id, type: 'handoff_acknowledgement', partnerOrganisationId: second, status: 'open' } })) || undefined, 20_000, 'new handoff task');

  const byFirst = await driver.post(id, 'handoff/acknowledgements', { scheme: 'fsl' }, 'partner_worker');
  expect([403, 404]).toContain(byFirst.status);
  expect((await driver.view(id)).workflow.state.phase).toBe('handoff');

  const bySecond = await driver.post(id, 'handoff/acknowledgements', { scheme: 'fsl' }, 'other_partner_worker');
  expect(bySecond.status).toBe(200);
});
