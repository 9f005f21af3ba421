import { randomUUID } from 'node:crypto';
import { hashSecret, newSecret } from '../api/auth/secrets';
import { NEVER_FOR_PARTNERS } from '../api/access/fields';
import { isAllowed } from '../api/access/permissions';
import { LANDLORDS, PARTNER_ORGANISATIONS } from '../lib/reference-data';
import type { AccountName } from './support/accounts';
import { HOUSEHOLD_ENDPOINTS, MATRIX_PROBE_BODY } from './support/access-endpoints';
import { eventually, openHarness, type Harness } from './support/harness';
import { request } from './support/http';
import { patientPartnersPolicy } from './support/policy';
import { processDriver } from './support/process';

/**
 * The access matrix through HTTP: every account × every household endpoint × a household in its
 * scope and one outside it. Not allowed → 403 whatever the household; allowed but out of scope →
 * 404, exactly like an unknown household; allowed and in scope → the request reaches validation.
 */
let h: Harness;
let d: ReturnType<typeof processDriver>;
let atLandlordA: string;
let atLandlordB: string;
/** A partner organisation created after the referrals: nothing was ever addressed to it. */
let lonelyPartner: { role: 'partner_worker'; headers: Record<string, string>; userId: string; organisationId: string };

beforeAll(async () => {
  // Alone on the database: other files' referrals would address the lonely partner created below
  // (a referral asks every partner organisation).
  // Partners have half an hour: their checks stay open, so the households stay in their scope throughout.
  h = await openHarness({ quietDatabase: true, policy: patientPartnersPolicy });
  d = processDriver(h);
  atLandlordA = await d.refer({ landlordId: LANDLORDS[0].id });
  atLandlordB = await d.refer({ landlordId: LANDLORDS[1].id });
  const organisationId = randomUUID();
  await h.db.partnerOrganisation.create({ data: { id: organisationId, code: `isole-${organisationId.slice(0, 8)}`, name: 'Partenaire isolé' } });
  const userId = randomUUID();
  await h.db.user.create({ data: { id: userId, email: `isole-${userId.slice(0, 8)}@test.april.localhost`, displayName: 'Isolé', role: 'partner_worker', partnerOrganisationId: organisationId } });
  const token = newSecret('april');
  await h.db.apiToken.create({ data: { id: randomUUID(), userId, name: 'test', prefix: token.slice(0, 12), tokenHash: hashSecret(token) } });
  lonelyPartner = { role: 'partner_worker', headers: { authorization: `Bearer ${token}` }, userId, organisationId };
});
afterAll(async () => {
  // Every referral asks every partner organisation: the next files expect the platform's own list.
  if (lonelyPartner) {
    await h.db.apiToken.deleteMany({ where: { userId: lonelyPartner.userId } });
    await h.db.user.delete({ where: { id: lonelyPartner.userId } });
    await h.db.partnerOrganisation.delete({ where: { id: lonelyPartner.organisationId } });
  }
  await h?.close();
});

/** Every key, at any depth, of a JSON answer. */
function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => [key, ...keysOf(inner)]);
}

/** What a landlord agent never reads of a household it referred: the support itself and the partners. */
const NEVER_FOR_LANDLORDS = ['note', 'notes', 'partnerCheck', 'partnerAnswers', 'educatorId', 'phone', 'email', 'supportPlan', 'contactAttempts', 'legal', 'state'];

type Case = { account: string; role: Parameters<typeof isAllowed>[0]; headers: Record<string, string>; inScope: string[]; outOfScope: string[] };

function cases(): Case[] {
  const of = (name: AccountName, inScope: string[], outOfScope: string[]): Case => ({ account: name, role: h.as[name].role, headers: h.as[name].headers, inScope, outOfScope });
  return [
    of('coordinator', [atLandlordA, atLandlordB], []),
    of('committee_member', [atLandlordA, atLandlordB], []),
    of('educator', [atLandlordA, atLandlordB], []),
    of('landlord_agent', [atLandlordA], [atLandlordB]),
    of('other_landlord_agent', [atLandlordB], [atLandlordA]),
    // Every partner of the platform is asked about every referral: both are in its scope.
    of('partner_worker', [atLandlordA, atLandlordB], []),
    { account: 'lonely_partner', role: 'partner_worker', headers: lonelyPartner.headers, inScope: [], outOfScope: [atLandlordA, atLandlordB] },
    of('admin', [], [atLandlordA, atLandlordB]),
  ];
}

test('every account × every household endpoint × in and out of scope', async () => {
  const seen: string[] = [];
  let crossScopeReads = 0;
  for (const c of cases()) {
    for (const endpoint of HOUSEHOLD_ENDPOINTS) {
      const allowed = isAllowed(c.role, endpoint.action);
      for (const [householdId, inScope] of [...c.inScope.map((id) => [id, true] as const), ...c.outOfScope.map((id) => [id, false] as const)]) {
        const res = await request(h.baseUrl, endpoint.method, endpoint.path(householdId), endpoint.method === 'GET' ? undefined : MATRIX_PROBE_BODY, c.headers);
        const expected = !allowed ? [403] : !inScope ? [404] : endpoint.method === 'GET' ? [200] : [400];
        seen.push(`${c.account} ${endpoint.method} ${endpoint.action} ${inScope ? 'in' : 'out'} → ${res.status}`);
        expect({ case: seen.at(-1), status: res.status }).toEqual({ case: seen.at(-1), status: expected[0] });
        if (res.status >= 400) expect(res.body).toMatchObject({ error: expect.any(String), message: expect.any(String), requestId: expect.any(String) });
        if (!inScope && res.status < 400) crossScopeReads++;
        // What an allowed read answers carries only the role's fields (api/access/fields.ts).
        if (res.status === 200 && c.role === 'partner_worker') {
          expect({ case: seen.at(-1), forbidden: keysOf(res.body).filter((k) => (NEVER_FOR_PARTNERS as readonly string[]).includes(k)) }).toEqual({ case: seen.at(-1), forbidden: [] });
        }
        if (res.status === 200 && c.role === 'landlord_agent') {
          expect({ case: seen.at(-1), forbidden: keysOf(res.body).filter((k) => NEVER_FOR_LANDLORDS.includes(k)) }).toEqual({ case: seen.at(-1), forbidden: [] });
        }
      }
    }
  }
  expect(crossScopeReads).toBe(0);
  // 8 accounts, 17 endpoints, 2 households each.
  expect(seen.length).toBe(8 * HOUSEHOLD_ENDPOINTS.length * 2);
});

test('an unknown household and an out-of-scope one get the same answer', async () => {
  const unknown = await request(h.baseUrl, 'GET', `/api/households/${randomUUID()}`, undefined, h.as.landlord_agent.headers);
  const elsewhere = await request(h.baseUrl, 'GET', `/api/households/${atLandlordB}`, undefined, h.as.landlord_agent.headers);
  expect(elsewhere.status).toBe(404);
  expect({ ...elsewhere.body, requestId: 'x' }).toEqual({ ...unknown.body, requestId: 'x' });
});

test('each role reads only its share of the case file', async () => {
  const full = (await request(h.baseUrl, 'GET', `/api/households/${atLandlordA}`, undefined, h.as.educator.headers)).body;
  expect(full).toMatchObject({ headName: expect.any(String), phone: null, workflow: { available: true, state: expect.any(Object) }, legal: expect.anything() });

  const landlord = (await request(h.baseUrl, 'GET', `/api/households/${atLandlordA}`, undefined, h.as.landlord_agent.headers)).body;
  expect(landlord).toMatchObject({ headName: full.headName, arrears: full.arrears, phase: expect.any(String), workflow: { available: true, phase: expect.any(String) } });
  for (const hidden of ['note', 'educatorId', 'phone', 'email', 'legal']) expect(landlord).not.toHaveProperty(hidden);
  expect(JSON.stringify(landlord.workflow)).not.toContain('partners');

  const partner = (await request(h.baseUrl, 'GET', `/api/households/${atLandlordA}`, undefined, h.as.partner_worker.headers)).body;
  expect(Object.keys(partner).sort()).toEqual(['address', 'headName', 'id', 'landlord', 'phase']);
});

test('lists are cut to the scope: a landlord agent sees its landlord only, a partner what was addressed to it', async () => {
  const ids = async (headers: Record<string, string>, query = '') =>
    ((await request(h.baseUrl, 'GET', `/api/households?limit=500${query}`, undefined, headers)).body.households as { id: string }[]).map((x) => x.id);
  await eventually(async () => ((await ids(h.as.coordinator.headers)).includes(atLandlordB) ? true : undefined), 20_000, 'indexed');
  const agent = await ids(h.as.landlord_agent.headers);
  expect(agent).toContain(atLandlordA);
  expect(agent).not.toContain(atLandlordB);
  // Asking for another landlord explicitly gives nothing rather than someone else's list.
  expect(await ids(h.as.landlord_agent.headers, `&landlordId=${LANDLORDS[1].id}`)).toEqual([]);
  expect(await ids(h.as.partner_worker.headers)).toEqual(expect.arrayContaining([atLandlordA, atLandlordB]));
  expect(await ids(lonelyPartner.headers)).toEqual([]);
  expect((await request(h.baseUrl, 'GET', '/api/households', undefined, h.as.admin.headers)).status).toBe(403);
});

test('a landlord agent refers for its own landlord only', async () => {
  const body = {
    tenancyReference: `A-${randomUUID().slice(0, 8)}`, headName: 'Mme Portée', address: '1 rue du Périmètre, 51100 Reims',
    leaseStartDate: '2021-03-01', monthlyRent: 420, arrears: 1260, procedureStage: 'none', referralSource: 'proximity',
  };
  // Other files write households at the same time: count those this referral could have written.
  const written = () => h.db.household.count({ where: { tenancyReference: body.tenancyReference } });
  const elsewhere = await request(h.baseUrl, 'POST', '/api/households', { ...body, landlordId: LANDLORDS[1].id }, h.as.landlord_agent.headers);
  expect(elsewhere.status).toBe(403);
  expect(await written()).toBe(0);
  const own = await request(h.baseUrl, 'POST', '/api/households', { ...body, landlordId: LANDLORDS[0].id }, h.as.landlord_agent.headers);
  expect(own.status).toBe(201);
  expect((await request(h.baseUrl, 'POST', '/api/households', { ...body, landlordId: LANDLORDS[0].id }, h.as.educator.headers)).status).toBe(403);
});

test('a partner answers for its own organisation only', async () => {
  const forOther = await request(h.baseUrl, 'POST', `/api/households/${atLandlordA}/partner-answers`, { partnerOrgId: PARTNER_ORGANISATIONS[1].id, answer: 'not_known' }, h.as.partner_worker.headers);
  expect(forOther.status).toBe(403);
  const own = await request(h.baseUrl, 'POST', `/api/households/${atLandlordA}/partner-answers`, { partnerOrgId: PARTNER_ORGANISATIONS[0].id, answer: 'not_known' }, h.as.partner_worker.headers);
  expect(own.status).toBe(200);
  // The answer says where the household stands, not the case file: no other organisation's answer, no debt.
  expect(Object.keys(own.body).sort()).toEqual(['acceptedCommands', 'phase']);
  const state = (await request(h.baseUrl, 'GET', `/api/households/${atLandlordA}`, undefined, h.as.coordinator.headers)).body.workflow.state;
  expect(state.partnerCheck.answers).toMatchObject({ [PARTNER_ORGANISATIONS[0].id]: { status: 'not_known' } });
  // Who answered is the partner's own account, in the timeline and the audit log.
  await eventually(() => h.db.timelineEvent.findFirst({ where: { householdId: atLandlordA, type: 'partnerAnswerRecorded', actor: h.as.partner_worker.id } }).then((x) => x ?? undefined), 20_000, 'answer in the timeline');
  expect(await h.db.auditEvent.count({ where: { householdId: atLandlordA, actor: h.as.partner_worker.id, action: 'household.recordPartnerAnswer' } })).toBe(1);
});
