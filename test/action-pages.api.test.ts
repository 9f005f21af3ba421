import { randomUUID } from 'node:crypto';
import { LANDLORDS, PARTNER_ORGANISATIONS } from '../lib/reference-data';
import { HOUSEHOLD_ACTIONS } from '../api/households/actions';
import { isAllowed } from '../api/access/permissions';
import type { AccountName } from './support/accounts';
import { eventually, openHarness, type Harness } from './support/harness';
import { request } from './support/http';
import { patientPartnersPolicy } from './support/policy';

/**
 * The household's action pages (/menages/:id/actions/<slug>), tried as a hostile user would: every
 * action with every account (403 for a role without the permission, 404 out of scope, the page
 * otherwise), a form that names another organisation, an empty form, an unknown action.
 */
let h: Harness;
let householdId: string;
const [mine, theirs] = [PARTNER_ORGANISATIONS[0].id, PARTNER_ORGANISATIONS[1].id];

const page = async (path: string, account: AccountName, form?: Record<string, string>) => {
  const response = await fetch(`${h.baseUrl}${path}`, {
    method: form ? 'POST' : 'GET', redirect: 'manual',
    headers: { ...h.as[account].headers, ...(form && { 'content-type': 'application/x-www-form-urlencoded' }) },
    ...(form && { body: new URLSearchParams(form).toString() }),
  });
  return { status: response.status, html: await response.text(), location: response.headers.get('location') };
};
const stateOf = async () => (await request(h.baseUrl, 'GET', `/api/households/${householdId}`, undefined, h.as.coordinator.headers)).body.workflow?.state;

beforeAll(async () => {
  // Partners have half an hour: the household stays in their scope (an open check) while the pages are walked.
  h = await openHarness({ policy: patientPartnersPolicy });
  const created = await request(h.baseUrl, 'POST', '/api/households', {
    landlordId: LANDLORDS[0].id, tenancyReference: `AP-${randomUUID().slice(0, 8)}`, headName: 'Mme Pages Actions', address: '1 rue des Essais, 51100 Reims',
    leaseStartDate: '2021-03-01', monthlyRent: 400, arrears: 1200, procedureStage: 'payment_order', referralSource: 'pre_litigation',
  }, h.as.coordinator.headers);
  householdId = created.body.id;
  await eventually(async () => ((await stateOf())?.phase === 'partner_check' ? true : undefined), 30_000, 'partner check opened');
});
afterAll(async () => {
  await h?.close();
});

test('every action page answers each account as the access table says: 403 without the permission, 404 out of scope', async () => {
  const accounts: AccountName[] = ['coordinator', 'committee_member', 'educator', 'landlord_agent', 'other_landlord_agent', 'partner_worker', 'admin'];
  const outOfScope = new Set<AccountName>(['other_landlord_agent']);
  for (const action of HOUSEHOLD_ACTIONS) {
    for (const account of accounts) {
      const { status } = await page(`/menages/${householdId}/actions/${action.slug}`, account);
      const allowed = isAllowed(h.as[account].role, action.permission);
      const expected = !allowed ? 403 : outOfScope.has(account) ? 404 : 200;
      expect([action.slug, account, status]).toEqual([action.slug, account, expected]);
    }
  }
  expect((await page(`/menages/${householdId}/actions/inconnue`, 'coordinator')).status).toBe(404);
  expect((await page('/menages/pas-un-uuid/actions/cloture', 'coordinator')).status).toBe(404);
  expect((await page(`/menages/${randomUUID()}/actions/cloture`, 'coordinator')).status).toBe(404);
});

test('an action the phase does not accept is said so, without a form', async () => {
  const { status, html } = await page(`/menages/${householdId}/actions/tentative-contact`, 'educator');
  expect(status).toBe(200);
  expect(html).toContain('n’est pas possible à cette étape');
  expect(html).not.toContain('<form method="post" action="/menages');
});

test('an empty form is refused beside its fields and changes nothing; a partner cannot answer for another organisation', async () => {
  // What the form could write: an answer in the workflow, a referent in the case file (the
  // household's own timeline may move meanwhile: its reminders are the workflow's).
  const empty = await page(`/menages/${householdId}/actions/reponse-partenaire`, 'partner_worker', {});
  expect(empty.status).toBe(400);
  expect(empty.html).toContain('href="#reponse-partenaire-answer"');
  expect((await stateOf()).partnerCheck.answers[mine]?.status).not.toBe('not_known');
  expect(await h.db.referentWorker.count({ where: { householdId } })).toBe(0);

  // The form shows no organisation to a partner, and one smuggled in is overridden by its own.
  const shown = await page(`/menages/${householdId}/actions/reponse-partenaire`, 'partner_worker');
  expect(shown.html).not.toContain('name="partnerOrgId"');
  const answered = await page(`/menages/${householdId}/actions/reponse-partenaire`, 'partner_worker', { partnerOrgId: theirs, answer: 'not_known' });
  expect([answered.status, answered.location]).toEqual([303, `/menages/${householdId}`]);
  const answers = (await stateOf()).partnerCheck.answers;
  expect(answers[mine]?.status).toBe('not_known');
  expect(answers[theirs]?.status).not.toBe('not_known');
});
