import { randomUUID } from 'node:crypto';
import { LANDLORDS, PARTNER_ORGANISATIONS } from '../lib/reference-data';
import type { AccountName } from './support/accounts';
import { eventually, openHarness, type Harness } from './support/harness';
import { request } from './support/http';
import { patientPartnersPolicy } from './support/policy';
import { processDriver } from './support/process';

/**
 * Partner caseload lists as keyed pseudonyms (docs/privacy/caseload-lists.md), on the real stack:
 * the CCAS's list holds the household (it is asked), the Département's fresh list does not (it is
 * answered "not known, by list" and never sees the household), the five others have no list (asked
 * as before). Lists are programme-wide state: this file takes the database alone and removes them.
 */
let h: Harness;
let driver: ReturnType<typeof processDriver>;
const suffix = randomUUID().slice(0, 8);
const [ccas, departement] = PARTNER_ORGANISATIONS;
// The case file spells it one way, the CCAS's list another (order, case, accents, abbreviations).
const household = { headName: `Mme Liste Éloïse-${suffix}`, address: `12 bis avenue Jean-Jaurès ${suffix}, 51100 Reims` };
const ccasCsv = [
  'Nom;Prénom;Adresse;Date de naissance',
  `"LISTE";"eloise ${suffix}";"12bis av. Jean Jaures ${suffix}";07/03/1984`,
  'Martin;Paul;3 bd de la Paix;',
  ';;;',
  'Sans-Prénom;;1 rue Seule;',
].join('\r\n');
const departementCsv = `nom,prenom,adresse\nDurand,Léa,4 rue de Vesle\nPetit,Hugo,"9 r. Chanzy, 51100 Reims"\n`;
let householdId: string;

const call = (account: AccountName, method: string, path: string, body?: unknown) => request(h.baseUrl, method, path, body, h.as[account].headers);
const upload = async (account: AccountName, csv: string, contentType = 'text/csv') => {
  const response = await fetch(`${h.baseUrl}/api/caseload-list`, { method: 'PUT', headers: { ...h.as[account].headers, 'content-type': contentType }, body: csv });
  return { status: response.status, body: await response.json() as any };
};
const clearLists = () => h.db.caseloadList.deleteMany({ where: { partnerOrganisationId: { in: [ccas.id, departement.id] } } });

beforeAll(async () => {
  h = await openHarness({ policy: patientPartnersPolicy, quietDatabase: true });
  driver = processDriver(h);
  await clearLists();
});
afterAll(async () => {
  if (h) await clearLists();
  await h?.close();
});

describe('uploading a list', () => {
  test('only a partner worker uploads its own organisation\'s list; others get 403, a non-CSV body 415, a bad file 400', async () => {
    for (const account of ['coordinator', 'educator', 'committee_member', 'landlord_agent', 'admin'] as const) {
      expect([account, (await upload(account, ccasCsv)).status]).toEqual([account, 403]);
      expect([account, (await call(account, 'DELETE', '/api/caseload-list')).status]).toEqual([account, 403]);
    }
    expect((await upload('partner_worker', ccasCsv, 'text/plain')).status).toBe(415);
    const missing = await upload('partner_worker', 'nom;adresse\nDupont;1 rue Chanzy\n');
    expect(missing.status).toBe(400);
    expect(missing.body.message).toMatch(/« prénom »/);
    expect(await h.db.caseloadList.count({ where: { partnerOrganisationId: ccas.id } })).toBe(0);
  });

  test('a list is reduced to keys: date, lines and unusable line numbers come back, no name, no address is stored', async () => {
    const res = await upload('partner_worker', ccasCsv);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      list: { lineCount: 3, keyCount: 2, fresh: true, currentKey: true },
      report: { lines: 3, blankLines: 1, unusableLines: 1, unusableLineNumbers: [5] },
    });
    expect(JSON.stringify(res.body)).not.toMatch(/Martin|Paul|Paix|Sans-Prénom|Seule/i);
    expect((await upload('other_partner_worker', departementCsv)).status).toBe(200);

    // The tables hold ids, dates, counts and 64 hex digits: grep them for every word of the files.
    const rows = await h.db.$queryRaw<{ row: string }[]>`
      SELECT row_to_json(l)::text AS row FROM caseload_lists l
      UNION ALL SELECT row_to_json(k)::text FROM caseload_keys k`;
    const dump = rows.map((r) => r.row).join('\n').toLowerCase();
    expect(rows.length).toBeGreaterThanOrEqual(2 + 2 + 2);
    for (const word of ['liste', 'eloise', 'éloïse', suffix, 'jaures', 'jean', 'avenue', 'martin', 'paul', 'paix', 'durand', 'léa', 'vesle', 'chanzy', '1984']) {
      expect([word, dump.includes(word.toLowerCase())]).toEqual([word, false]);
    }
    const keys = await h.db.caseloadKey.findMany({ where: { list: { partnerOrganisationId: ccas.id } } });
    expect(keys.every((k) => /^[0-9a-f]{64}$/.test(k.keyHex))).toBe(true);

    // The coordination sees dates and counts for every organisation, never keys.
    const overview = await call('coordinator', 'GET', '/api/caseload-lists');
    expect(overview.status).toBe(200);
    expect(overview.body.organisations).toHaveLength(PARTNER_ORGANISATIONS.length);
    expect(overview.body.organisations.find((o: any) => o.organisation.id === ccas.id).list).toMatchObject({ lineCount: 3, fresh: true });
    expect(JSON.stringify(overview.body)).not.toMatch(/[0-9a-f]{64}/);
    expect((await call('partner_worker', 'GET', '/api/caseload-lists')).status).toBe(403);
  });
});

describe('a referral against the lists', () => {
  beforeAll(async () => {
    householdId = await driver.refer({ ...household, landlordId: LANDLORDS[1].id });
    await eventually(async () => {
      const count = await h.db.task.count({ where: { householdId, type: 'partner_check' } });
      if (count === PARTNER_ORGANISATIONS.length - 1) return count;
      throw new Error(`${count} check tasks`);
    }, 20_000, 'partner check tasks');
  });

  test('the matching organisation and those without a list get a check; the fresh list without the household does not', async () => {
    const tasks = await h.db.task.findMany({ where: { householdId, type: 'partner_check' } });
    const asked = tasks.map((t) => t.partnerOrganisationId).sort();
    expect(asked).toEqual(PARTNER_ORGANISATIONS.filter((p) => p.id !== departement.id).map((p) => p.id).sort());

    // The workflow recorded the Département's answer, from its list: not known, with the list's date.
    const view = await driver.view(householdId);
    const listDate = (await h.db.caseloadList.findUniqueOrThrow({ where: { partnerOrganisationId: departement.id } })).uploadedAt.toISOString().slice(0, 10);
    expect(view.workflow.state.partnerCheck.answers[departement.id]).toMatchObject({ status: 'not_known', source: 'list', listDate });
    expect(view.workflow.state.partnerCheck.answers[ccas.id]).toEqual({ status: 'pending' });
    expect(view.workflow.state.referral.partnersAnsweredByList).toEqual([{ partnerOrgId: departement.id, listDate }]);
  });

  test('the Département never sees the household: not in its checks, its household list, nor its file (404)', async () => {
    const checks = await call('other_partner_worker', 'GET', '/api/partner-checks');
    expect(checks.status).toBe(200);
    expect((checks.body.checks as any[]).some((c) => c.householdId === householdId)).toBe(false);
    expect((await call('other_partner_worker', 'GET', `/api/households/${householdId}`)).status).toBe(404);
    const list = await call('other_partner_worker', 'GET', '/api/households');
    expect(JSON.stringify(list.body)).not.toContain(householdId);
    // The CCAS, whose list holds it, is asked and sees it.
    const ccasChecks = await call('partner_worker', 'GET', '/api/partner-checks');
    expect((ccasChecks.body.checks as any[]).some((c) => c.householdId === householdId)).toBe(true);
    expect((await call('partner_worker', 'GET', `/api/households/${householdId}`)).status).toBe(200);
  });

  test('the committee agenda says how each answer was obtained', async () => {
    const task = await h.db.task.findFirstOrThrow({ where: { householdId, type: 'partner_check', partnerOrganisationId: ccas.id } });
    const answered = await call('partner_worker', 'POST', `/api/partner-checks/${task.id}/answer`, { answer: 'followed', referent: { name: 'Agnès Référente', email: 'agnes@ccas.example' } });
    expect(answered.status).toBe(200);
    for (const partner of PARTNER_ORGANISATIONS.filter((p) => p.id !== ccas.id && p.id !== departement.id)) {
      const res = await driver.post(householdId, 'partner-answers', { partnerOrgId: partner.id, answer: 'not_known' }, 'coordinator');
      expect(res.status).toBe(200);
    }
    await driver.waitForPhase(householdId, 'committee');
    const session = await call('coordinator', 'POST', '/api/committee-sessions', { heldOn: new Date().toISOString().slice(0, 10) });
    expect(session.status).toBe(201);
    const read = await call('coordinator', 'GET', `/api/committee-sessions/${session.body.id}`);
    const item = (read.body.agenda as any[]).find((i) => i.id === householdId);
    const listDate = (await h.db.caseloadList.findUniqueOrThrow({ where: { partnerOrganisationId: departement.id } })).uploadedAt.toISOString().slice(0, 10);
    const byOrg = Object.fromEntries((item.partnerAnswers as any[]).map((p) => [p.organisation.id, p]));
    expect(Object.keys(byOrg).sort()).toEqual(PARTNER_ORGANISATIONS.map((p) => p.id).sort());
    expect(byOrg[ccas.id]).toMatchObject({ answer: 'followed', obtained: { by: 'organisation' }, referents: [expect.objectContaining({ name: 'Agnès Référente' })] });
    expect(byOrg[departement.id]).toMatchObject({ answer: 'not_known', obtained: { by: 'list', listDate }, taskId: null });
    expect(byOrg[PARTNER_ORGANISATIONS[2].id]).toMatchObject({ answer: 'not_known', obtained: { by: 'coordination' } });

    // The session page says it in French.
    const page = await fetch(`${h.baseUrl}/comite/seances/${session.body.id}`, { headers: h.as.coordinator.headers });
    const html = await page.text();
    const [y, m, d] = listDate.split('-');
    expect(html).toContain(`Conseil départemental de la Marne : non connu (d’après sa liste des ménages suivis du ${d}/${m}/${y}, sans la consulter)`);
    expect(html).toContain('CCAS de Reims : déjà suivi (réponse de l’organisation)');
    // And the household's history, for the team.
    const file = await (await fetch(`${h.baseUrl}/menages/${householdId}`, { headers: h.as.coordinator.headers })).text();
    expect(file).toContain(`non connu (d’après sa liste des ménages suivis du ${d}/${m}/${y}, sans la consulter)`);
  });

  test('a household every organisation answers by list goes straight to the committee; deleting a list brings the checks back', async () => {
    // Every organisation but the CCAS gets a list without this household; the CCAS's list does not hold it either.
    const lists = PARTNER_ORGANISATIONS.filter((p) => p.id !== ccas.id && p.id !== departement.id);
    const now = new Date();
    for (const p of lists) {
      await h.db.caseloadList.create({ data: { id: randomUUID(), partnerOrganisationId: p.id, uploadedById: h.as.coordinator.id, uploadedAt: now, keyId: 'embedded', lineCount: 0 } });
    }
    try {
      const res = await request(h.baseUrl, 'POST', '/api/households', {
        landlordId: LANDLORDS[1].id, tenancyReference: `L-${suffix}`, headName: `M. Inconnu Partout-${suffix}`, address: `1 rue Nulle Part ${suffix}`,
        leaseStartDate: '2020-02-01', monthlyRent: 400, arrears: 2400, procedureStage: 'payment_order', referralSource: 'pre_litigation',
      }, h.as.coordinator.headers);
      expect(res.status).toBe(201);
      const state = (await driver.waitForPhase(res.body.id, 'committee')).state;
      expect(Object.values(state.partnerCheck.answers).every((a: any) => a.source === 'list' && a.status === 'not_known')).toBe(true);
      expect(Object.keys(state.partnerCheck.answers)).toHaveLength(PARTNER_ORGANISATIONS.length);
      expect(await h.db.task.count({ where: { householdId: res.body.id, type: 'partner_check' } })).toBe(0);
    } finally {
      await h.db.caseloadList.deleteMany({ where: { partnerOrganisationId: { in: lists.map((p) => p.id) } } });
    }

    expect(await call('other_partner_worker', 'DELETE', '/api/caseload-list')).toMatchObject({ status: 200, body: { deleted: true } });
    expect((await call('other_partner_worker', 'GET', '/api/caseload-list')).body).toEqual({ list: null });
    const again = await driver.refer({ ...household, tenancyReference: `R-${suffix}`, landlordId: LANDLORDS[2].id });
    await eventually(async () => (await h.db.task.count({ where: { householdId: again, type: 'partner_check', partnerOrganisationId: departement.id } })) === 1 || undefined, 20_000, 'the Département asked again');
  });
});
