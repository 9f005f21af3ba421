import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { DEMO_EDUCATOR } from '../lib/reference-data';
import { checkPage, expectRefusalPages, useBrowser, type Refusal } from './support/browser';
import { eventually } from './support/harness';
import { pdfPageCount, pdfText } from './support/pdf-text';
import { patientPartnersPolicy } from './support/policy';
import { processDriver } from './support/process';

/**
 * Committee sessions in Chromium (issue 6): the coordination creates a session (a wrong date is
 * refused beside the field), reads the agenda with the capacity, and records in ONE form an
 * admission, a reorientation and a deferral (plus a decision the rules refuse, shown with its French
 * reason), a bad form changing nothing; then downloads the minutes as a PDF whose words are read
 * back. Roles outside the committee get the 403 page. The households belong to a landlord created
 * for this file, so that its capacity line moves only with what this file does.
 */
const browser = useBrowser({ policy: patientPartnersPolicy });
const { h, pageOf } = browser;
let driver: ReturnType<typeof processDriver>;
const suffix = randomUUID().slice(0, 6);
const landlord = { id: randomUUID(), code: `comite-page-${suffix}`, name: `Bailleur Comité ${suffix}` };
const names = {
  admitted: `Mme Ada ${suffix}`,
  reoriented: `M. Rémi ${suffix}`,
  deferred: `Mme Dora ${suffix}`,
  untouched: `M. Ugo ${suffix}`,
  refused: `Mme Rita ${suffix}`,
};
const ids: Record<keyof typeof names, string> = { admitted: '', reoriented: '', deferred: '', untouched: '', refused: '' };
// A date the schema accepts whatever day the tests run: a week from now.
const heldOn = new Date(Date.now() + 7 * 24 * 3600 * 1000);
const heldOnIso = heldOn.toISOString().slice(0, 10);
let sessionId: string;


beforeAll(async () => {
  driver = processDriver(h);
  await h.db.landlord.create({ data: landlord });
  const entries = Object.entries(names) as [keyof typeof names, string][];
  await Promise.all(entries.map(async ([key, headName]) => {
    ids[key] = await driver.refer({ landlordId: landlord.id, headName, arrears: 1234.5, procedureStage: 'summons' });
    await driver.answerPartners(ids[key]);
  }));
  // The workflow's phase moves a moment before the projection the agenda reads.
  const all = Object.values(ids);
  await eventually(async () => (await h.db.household.count({ where: { id: { in: all }, phase: 'committee' } })) === all.length || undefined, 20_000, 'committee phase projected');
});

test('the coordination creates a session: a wrong date is refused beside the field and creates nothing', async () => {
  const { page, errors } = await pageOf('coordinator');
  await page.goto('/comite');
  expect(await page.locator('h1').innerText()).toBe('Comité de suivi');
  expect(await page.locator('nav a[aria-current="page"]').innerText()).toBe('Comité');
  await checkPage(page, 'comite');

  const before = await h.db.committeeSession.count();
  await page.getByLabel('Jour').fill('31');
  await page.getByLabel('Mois').fill('2');
  await page.getByLabel('Année').fill(String(heldOn.getUTCFullYear()));
  await page.getByRole('button', { name: 'Créer la séance' }).click();
  await page.waitForLoadState();
  expect(await page.locator('.govuk-error-summary__list').innerText()).toContain('Date de la séance : saisissez une date réelle');
  expect(await page.locator('#heldOn-error').innerText()).toContain('Saisissez une date réelle');
  expect(await page.getByLabel('Jour').inputValue()).toBe('31');
  await checkPage(page, 'comite-erreurs');
  expect(await h.db.committeeSession.count()).toBe(before);

  await page.getByLabel('Jour').fill(String(heldOn.getUTCDate()));
  await page.getByLabel('Mois').fill(String(heldOn.getUTCMonth() + 1));
  await page.getByRole('button', { name: 'Créer la séance' }).click();
  await page.waitForURL(/\/comite\/seances\/[0-9a-f-]{36}$/);
  sessionId = new URL(page.url()).pathname.split('/').pop()!;
  expect(await page.getByTestId('notice').innerText()).toContain('Séance créée');
  const row = await h.db.committeeSession.findUniqueOrThrow({ where: { id: sessionId } });
  expect((await h.db.user.findUniqueOrThrow({ where: { id: row.createdById } })).role).toBe('coordinator');
  expect(row.heldOn.toISOString().slice(0, 10)).toBe(heldOnIso);
  expect(errors).toEqual([]);
  await page.close();
});

test('the agenda shows each household\'s summary and the capacity; a bad decision form is refused and changes nothing', async () => {
  const { page, errors } = await pageOf('coordinator');
  await page.goto(`/comite/seances/${sessionId}`);
  const agenda = page.getByTestId('agenda');
  for (const name of Object.values(names)) expect(await agenda.innerText()).toContain(name);
  const card = page.locator('[data-testid="agenda-item"]', { hasText: names.admitted });
  const summary = await card.innerText();
  expect(summary).toMatch(/1\s234,50\s€/);
  expect(summary).toContain('assignation');
  expect(summary).toContain('CCAS de Reims : non connu');
  // Capacity: our landlord has nobody in follow-up yet, against 20; the total against 60.
  const capacity = page.getByTestId('capacity');
  expect(await capacity.locator('tr', { hasText: landlord.name }).innerText()).toMatch(/0\s+20\s+disponible/);
  expect(await capacity.locator('tr', { hasText: 'Total' }).innerText()).toContain('60');
  await checkPage(page, 'comite-seance');

  // Admission without track nor educator; a reorientation without scheme.
  await page.locator(`#decision-${ids.admitted}-2`).check();
  await page.locator(`#decision-${ids.reoriented}-3`).check();
  await page.locator(`#decision-${ids.deferred}-5`).check();
  await page.getByRole('button', { name: 'Enregistrer les décisions' }).click();
  await page.waitForLoadState();
  const list = await page.locator('.govuk-error-summary__list').innerText();
  expect(list).toContain(`${names.admitted} — Parcours : choisissez le parcours`);
  expect(list).toContain(`${names.admitted} — Éducateur ou éducatrice : choisissez l’éducateur ou l’éducatrice`);
  expect(list).toContain(`${names.reoriented} — Dispositif : choisissez le dispositif`);
  expect(await page.locator(`#track-${ids.admitted}-error`).innerText()).toContain('Choisissez le parcours');
  // What was chosen stays chosen.
  expect(await page.locator(`#decision-${ids.deferred}-5`).isChecked()).toBe(true);
  await checkPage(page, 'comite-seance-erreurs');
  expect(await h.db.committeeDecision.count({ where: { sessionId } })).toBe(0);
  expect(await driver.view(ids.deferred).then((v) => v.workflow.state.phase)).toBe('committee');
  expect(errors).toEqual([]);
  await page.close();
});

test('three decisions in one form (admit, reorient, defer), one refused by the rules with its French reason, then the minutes as a PDF', async () => {
  const { page, errors } = await pageOf('coordinator');
  await page.goto(`/comite/seances/${sessionId}`);
  await page.locator(`#decision-${ids.admitted}-2`).check();
  await page.locator(`#track-${ids.admitted}`).selectOption('pre_litigation');
  await page.locator(`#educator-${ids.admitted}`).selectOption(DEMO_EDUCATOR.id);
  await page.locator(`#decision-${ids.reoriented}-3`).check();
  await page.locator(`#scheme-${ids.reoriented}`).selectOption('fsl');
  await page.locator(`#decision-${ids.deferred}-5`).check();
  await page.locator(`#decision-${ids.refused}-4`).check();
  await page.locator(`#reason-${ids.refused}`).selectOption('not_eligible');
  // Meanwhile another way of deciding admits Rita: the page's refusal of her comes back from the rules.
  expect((await driver.post(ids.refused, 'committee-decisions', { sessionId: 'autre-seance', decision: { kind: 'admit', track: 'pre_litigation', educatorId: DEMO_EDUCATOR.id } })).status).toBe(200);
  await page.getByRole('button', { name: 'Enregistrer les décisions' }).click();
  await page.waitForURL(`**/comite/seances/${sessionId}`);
  expect(await page.getByTestId('notice').innerText()).toContain('3 décisions enregistrées, 1 refusée');

  const results = page.getByTestId('results');
  for (const key of ['admitted', 'reoriented', 'deferred'] as const) {
    expect(await results.locator('li', { hasText: names[key] }).innerText()).toContain('décision enregistrée');
  }
  const refusal = await results.locator('li', { hasText: names.refused }).innerText();
  expect(refusal).toContain('refusée');
  expect(refusal).toContain('le ménage est en phase');
  expect(refusal).not.toContain('wrong_phase');
  expect(await results.innerText()).not.toContain(names.untouched);

  // What the workflows and the database say.
  const rows = await h.db.committeeDecision.findMany({ where: { sessionId } });
  expect(new Map(rows.map((r) => [r.householdId, (r.decision as { kind: string }).kind]))).toEqual(new Map([
    [ids.admitted, 'admit'], [ids.reoriented, 'reorient'], [ids.deferred, 'defer'],
  ]));
  expect((await driver.waitForPhase(ids.admitted, 'contact')).state.educatorId).toBe(DEMO_EDUCATOR.id);
  await driver.waitForPhase(ids.reoriented, 'closed');
  expect((await driver.view(ids.deferred)).workflow.state.phase).toBe('committee');
  expect((await driver.view(ids.untouched)).workflow.state.phase).toBe('committee');

  // The session's decisions; the deferred and untouched households stay out of / on the agenda.
  const decided = await page.getByTestId('session-decisions').innerText();
  expect(decided).toContain(names.admitted);
  expect(decided).toContain('vers : FSL');
  expect(await page.getByTestId('agenda').innerText()).toContain(names.untouched);
  expect(await page.getByTestId('agenda').innerText()).not.toContain(names.deferred);
  await checkPage(page, 'comite-seance-resultats');
  // The results are shown once.
  await page.reload();
  expect(await page.getByTestId('results').count()).toBe(0);

  // The minutes: a PDF attachment with the decisions in words.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('minutes').click()]);
  expect(download.suggestedFilename()).toBe(`proces-verbal-comite-${heldOnIso}.pdf`);
  const pdf = fs.readFileSync((await download.path())!);
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(pdfPageCount(pdf)).toBeGreaterThanOrEqual(1);
  const text = pdfText(pdf).replace(/\s+/g, ' ');
  expect(text).toContain('Procès-verbal du comité de suivi APRIL');
  expect(text).toContain(`Décisions (3)`);
  for (const key of ['admitted', 'reoriented', 'deferred'] as const) expect(text).toContain(names[key]);
  for (const word of ['Admission', 'Réorientation', 'Report', 'vers : FSL', 'parcours pré-contentieux', DEMO_EDUCATOR.displayName, landlord.name]) {
    expect(text).toContain(word);
  }
  expect(text).not.toContain(names.untouched);
  expect(text).not.toContain(names.refused);
  const response = await (await (await browser.contextOf('coordinator')).request.get(`/comite/seances/${sessionId}/proces-verbal.pdf`));
  expect(response.headers()['content-type']).toBe('application/pdf');
  expect(response.headers()['content-disposition']).toBe(`attachment; filename="proces-verbal-comite-${heldOnIso}.pdf"`);
  // Printing the minutes is reading each decided household's file.
  expect(await h.db.auditEvent.count({ where: { householdId: ids.admitted, details: { path: ['via'], equals: 'committee_minutes_pdf' } } })).toBeGreaterThanOrEqual(1);
  expect(errors).toEqual([]);
  await page.close();
});

test('a committee member reads the session and decides, but creates no session', async () => {
  const { page, errors } = await pageOf('committee_member');
  await page.goto('/comite');
  expect(await page.getByRole('button', { name: 'Créer la séance' }).count()).toBe(0);
  await page.getByRole('link', { name: new RegExp(`Séance du`) }).first().waitFor();
  await page.goto(`/comite/seances/${sessionId}`);
  expect(await page.getByRole('button', { name: 'Enregistrer les décisions' }).count()).toBe(1);
  await checkPage(page, 'comite-seance-membre');
  const context = (await browser.contextOf('committee_member'));
  const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
  const refused = await context.request.post(`${h.baseUrl}/comite/seances`, { form: { _csrf: csrf, 'heldOn-day': '1', 'heldOn-month': '1', 'heldOn-year': '2027' }, maxRedirects: 0 });
  expect(refused.status()).toBe(403);
  expect(errors).toEqual([]);
  await page.close();
});

test('landlord agents, educators, admin and partners get the 403 page; an unknown session is the 404 page', async () => {
  const cases: Refusal[] = [
    ['landlord_agent', '/comite', 403, 'refus-comite-bailleur'],
    ['educator', '/comite', 403, 'refus-comite-educateur'],
    ['admin', '/comite', 403, 'refus-comite-admin'],
    ['partner_worker', `/comite/seances/${sessionId}`, 403, 'refus-seance-partenaire'],
    ['educator', `/comite/seances/${sessionId}/proces-verbal.pdf`, 403, 'refus-pv-educateur'],
    ['coordinator', `/comite/seances/${randomUUID()}`, 404, 'seance-inconnue'],
  ];
  await expectRefusalPages(browser, cases);
  // A form posted by a role that may not decide changes nothing.
  const { page } = await pageOf('educator');
  await page.goto('/menages');
  const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
  const response = await (await browser.contextOf('educator')).request.post(`${h.baseUrl}/comite/seances/${sessionId}/decisions`, {
    form: { _csrf: csrf, [`decision-${ids.untouched}`]: 'defer' }, maxRedirects: 0,
  });
  expect(response.status()).toBe(403);
  expect(await h.db.committeeDecision.count({ where: { sessionId, householdId: ids.untouched } })).toBe(0);
  await page.close();
});
