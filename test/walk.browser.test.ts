import { randomUUID } from 'node:crypto';
import { PARTNER_ORGANISATIONS } from '../lib/reference-data';
import { checkAndClose, checkPage, openAction, useBrowser } from './support/browser';
import { eventually } from './support/harness';
import { request } from './support/http';
import { patientPartnersPolicy } from './support/policy';
import { chooseAttempt, currentPhase, expectPhase, openTask, referThroughTheForm, situation, tabTo, workflowState } from './support/walk';

/**
 * The programme walked as its people would, all through the pages (issue 6): a landlord agent
 * refers; the CCAS answers « followed »; the coordination holds a committee session and admits;
 * the educator records three failed attempts then a contact, fills the support plan; the lease is
 * terminated and the track switches; the educator hands over to a scheme of the CCAS (with the
 * keyboard only), the CCAS acknowledges; the watch runs out and the case closes « maintained ».
 * Each step reads the phase on the household page and is screenshotted and audited (axe).
 *
 * Policy: the partners' deadline is long, so that the check waits for the answers (they matter);
 * attempts are spaced by 100 ms; the handoff overlap is 1 s and the watch 25 s, long enough to see
 * the household under watch, short enough to see it close.
 */
const { h, pageOf } = useBrowser({
  policy: { ...patientPartnersPolicy, watch: { ...patientPartnersPolicy.watch, lengthMs: 25_000, checkPeriodMs: 5_000 } },
});
const suffix = randomUUID().slice(0, 6);
const headName = `Mme Odile Parcours ${suffix}`;
const reference = `WALK-${suffix}`;
const ccas = PARTNER_ORGANISATIONS[0];
let householdId: string;

const task = (type: string, extra: Record<string, unknown> = {}) => openTask(h, householdId, type, extra);

test('1. a landlord agent refers the household through /orienter', async () => {
  const { page, errors } = await pageOf('landlord_agent');
  await page.goto('/orienter');
  await page.getByLabel('Référence du bail').fill(reference);
  householdId = await referThroughTheForm(page, headName, `12 rue du Parcours ${suffix}, 51100 Reims`);
  expect(await page.getByTestId('notice').innerText()).toContain('Orientation enregistrée');
  await expectPhase(page, householdId, 'Vérification partenaires');
  await checkAndClose(page, 'parcours-1-orientation-bailleur', errors);
});

test('2. the CCAS answers « followed » on its check page; the other partners\' answers reach the committee', async () => {
  const check = await task('partner_check', { partnerOrganisationId: ccas.id });
  const { page, errors } = await pageOf('partner_worker');
  await page.goto('/partenaires/verifications');
  await page.getByRole('link', { name: new RegExp(headName) }).click();
  await page.waitForURL(`**/partenaires/verifications/${check.id}`);
  await checkPage(page, 'parcours-2-verification-partenaire');
  await page.getByLabel('Suivi par notre organisation').check();
  await page.getByLabel('Nom du référent').fill(`Mme Inès Référente ${suffix}`);
  await page.getByRole('button', { name: 'Envoyer la réponse' }).click();
  await page.waitForURL('**/partenaires/verifications');
  expect(await page.getByTestId('notice').innerText()).toContain(`le suivi de ${headName} par votre organisation est enregistré`);
  expect((await h.db.task.findUniqueOrThrow({ where: { id: check.id } })).status).toBe('completed');
  expect(errors).toEqual([]);
  await page.close();

  // The other partners' answers are not what this walk is about: recorded quickly through the API
  // as the coordination (the phone answers it takes), so that the check completes and the
  // household reaches the committee.
  for (const partner of PARTNER_ORGANISATIONS.slice(1)) {
    const res = await request(h.baseUrl, 'POST', `/api/households/${householdId}/partner-answers`, { partnerOrgId: partner.id, answer: 'not_known' }, h.as.coordinator.headers);
    expect(res.status).toBe(200);
  }
  const coordination = await pageOf('coordinator');
  await expectPhase(coordination.page, householdId, 'Comité');
  // The committee's form names the educator from a list, no identifier to type.
  await openAction(coordination.page, householdId, 'decision-comite');
  const educators = coordination.page.locator('#decision-comite-educatorId');
  expect(await educators.evaluate((e) => e.tagName)).toBe('SELECT');
  expect(await educators.locator(`option[value="${h.as.educator.id}"]`).count()).toBe(1);
  // And a partner's answer taken by phone names the organisation from a list.
  await openAction(coordination.page, householdId, 'reponse-partenaire');
  const partners = coordination.page.locator('#reponse-partenaire-partnerOrgId');
  expect(await partners.locator(`option[value="${ccas.id}"]`).innerText()).toBe(ccas.name);
  await checkAndClose(coordination.page, 'parcours-2-comite-coordination', coordination.errors);
});

test('3. the coordination creates a committee session on /comite and admits the household with the educator', async () => {
  const { page, errors } = await pageOf('coordinator');
  const heldOn = new Date(Date.now() + 7 * 24 * 3600 * 1000);
  await page.goto('/comite');
  await page.getByLabel('Jour').fill(String(heldOn.getUTCDate()));
  await page.getByLabel('Mois').fill(String(heldOn.getUTCMonth() + 1));
  await page.getByLabel('Année').fill(String(heldOn.getUTCFullYear()));
  await page.getByRole('button', { name: 'Créer la séance' }).click();
  await page.waitForURL(/\/comite\/seances\/[0-9a-f-]{36}$/);
  const card = page.locator('[data-testid="agenda-item"]', { hasText: headName });
  expect(await card.innerText()).toContain(ccas.name);
  await checkPage(page, 'parcours-3-seance');
  await page.locator(`#decision-${householdId}-2`).check();
  await page.locator(`#track-${householdId}`).selectOption('pre_litigation');
  await page.locator(`#educator-${householdId}`).selectOption(h.as.educator.id);
  await page.getByRole('button', { name: 'Enregistrer les décisions' }).click();
  await page.waitForLoadState();
  expect(await page.getByTestId('notice').innerText()).toMatch(/décision/i);
  await expectPhase(page, householdId, 'Prise de contact');
  expect(await situation(page, 'Parcours')).toBe('pré-contentieux');
  await checkAndClose(page, 'parcours-3-admis', errors);
});

test('4. the educator records three failed attempts from /taches, then the contact from the household page', async () => {
  const { page, errors } = await pageOf('educator');
  let previous: string | undefined;
  for (const [slot, channel, outcome] of [['weekday', 'phone', 'absent'], ['evening', 'home_visit', 'absent'], ['weekend', 'letter', 'wrong_address']] as const) {
    const attempt = await task('contact_attempt', previous ? { id: { not: previous } } : {});
    await page.goto('/taches');
    await page.locator(`#tache-${attempt.id}`).getByRole('link', { name: 'Tentative de prise de contact' }).click();
    await page.waitForURL(`**/taches/${attempt.id}`);
    if (!previous) await checkPage(page, 'parcours-4-tentative');
    await chooseAttempt(page, slot, channel, outcome);
    await page.getByRole('button', { name: 'Enregistrer la tentative' }).click();
    await page.waitForURL((url) => url.pathname === '/taches');
    expect(await page.getByTestId('notice').innerText()).toContain('La tentative de contact est enregistrée.');
    previous = attempt.id;
  }
  await expectPhase(page, householdId, 'Prise de contact');
  await openAction(page, householdId, 'tentative-contact');
  const form = page.locator('#action-tentative-contact');
  await form.getByText('visite à domicile', { exact: true }).click();
  await form.getByText('en soirée', { exact: true }).click();
  await form.getByText('contact établi', { exact: true }).click();
  await form.getByLabel('Note (facultatif)').fill('Rencontre avec Mme Parcours, qui accepte l’accompagnement.');
  await form.getByRole('button', { name: 'Enregistrer la tentative' }).click();
  await page.waitForURL(`**/menages/${householdId}`);
  expect(await page.getByTestId('notice').innerText()).toContain('La tentative de contact est enregistrée.');
  await expectPhase(page, householdId, 'Accompagnement');
  const state = await workflowState(h, householdId);
  expect(state.contact).toMatchObject({ totalAttempts: 4 });
  await checkAndClose(page, 'parcours-4-accompagnement', errors);
});

test('5. the educator fills the support plan: nothing changed is refused, then two domains are saved', async () => {
  const { page, errors } = await pageOf('educator');
  await openAction(page, householdId, 'plan-accompagnement');
  const form = page.locator('#action-plan-accompagnement');
  // The plan as it stands, sent unchanged: nothing to record.
  await form.getByRole('button', { name: 'Enregistrer le plan' }).click();
  await page.waitForLoadState();
  expect(await page.locator('.govuk-error-summary__list').innerText()).toContain('Plan d’accompagnement : changez l’état ou l’objectif d’au moins un domaine');
  await checkPage(page, 'parcours-5-plan-erreurs');
  expect(await h.db.timelineEvent.count({ where: { householdId, type: 'supportPlanUpdated' } })).toBe(0);

  await form.locator('#plan-accompagnement-status-budget').selectOption('in_progress');
  await form.locator('#plan-accompagnement-goal-budget').fill('Plan d’apurement avec le bailleur');
  await form.locator('#plan-accompagnement-status-rights').selectOption('done');
  await form.getByRole('button', { name: 'Enregistrer le plan' }).click();
  await page.waitForURL(`**/menages/${householdId}`);
  expect(await page.getByTestId('notice').innerText()).toContain('Le plan d’accompagnement est mis à jour.');
  const state = await workflowState(h, householdId);
  expect(state.support.plan.budget).toMatchObject({ status: 'in_progress', goalRef: expect.any(String) });
  expect(state.support.plan.rights).toMatchObject({ status: 'done' });
  expect(state.support.plan.housing).toMatchObject({ status: 'not_started' });
  // The page shows the plan with the goal, and the form starts from it.
  const plan = await page.locator('main').innerText();
  expect(plan).toContain('Plan d’apurement avec le bailleur');
  await openAction(page, householdId, 'plan-accompagnement');
  expect(await form.locator('#plan-accompagnement-status-budget').inputValue()).toBe('in_progress');
  await checkAndClose(page, 'parcours-5-plan', errors);
});

test('6. the landlord clears the debt and reports the lease termination: the track switches to post-termination', async () => {
  const { page, errors } = await pageOf('landlord_agent');
  // Debt cleared: the watch would otherwise see arrears above one month of rent, a relapse.
  await openAction(page, householdId, 'dette');
  await page.locator('#dette-arrears').fill('0');
  await page.getByRole('button', { name: 'Transmettre la dette' }).click();
  await page.waitForURL(`**/menages/${householdId}`);
  expect(await page.getByTestId('notice').innerText()).toContain('La dette locative est transmise.');

  const yesterday = new Date(Date.now() - 24 * 3600 * 1000);
  await openAction(page, householdId, 'etape-procedure');
  await page.locator('#etape-procedure-type').selectOption('lease_terminated');
  await page.locator('#etape-procedure-occurredOn-day').fill(String(yesterday.getUTCDate()));
  await page.locator('#etape-procedure-occurredOn-month').fill(String(yesterday.getUTCMonth() + 1));
  await page.locator('#etape-procedure-occurredOn-year').fill(String(yesterday.getUTCFullYear()));
  await page.getByRole('button', { name: 'Transmettre l’étape' }).click();
  await page.waitForURL(`**/menages/${householdId}`);
  expect(await page.getByTestId('notice').innerText()).toContain('L’étape de la procédure est transmise.');
  await eventually(async () => {
    await page.goto(`/menages/${householdId}`);
    return (await situation(page, 'Parcours')) === 'post-résiliation du bail' ? true : undefined;
  }, 30_000, 'track shown as post-termination');
  expect(await currentPhase(page)).toBe('Accompagnement');
  await checkAndClose(page, 'parcours-6-resiliation-bailleur', errors);

  const coordination = await pageOf('coordinator');
  await coordination.page.goto(`/menages/${householdId}`);
  expect(await situation(coordination.page, 'Parcours')).toBe('post-résiliation du bail');
  expect(await situation(coordination.page, 'Dette locative')).toMatch(/^0,00\s€$/);
  await coordination.page.close();
});

test('7. the educator hands over to the CCAS\'s FSL with the keyboard only (after an empty form is refused)', async () => {
  const { page, errors } = await pageOf('educator');
  await openAction(page, householdId, 'tuilage');
  await page.locator('#action-tuilage').getByRole('button', { name: 'Commencer le tuilage' }).click();
  await page.waitForLoadState();
  expect(await page.locator('.govuk-error-summary__list').innerText()).toContain('Dispositifs : cochez au moins un dispositif');
  expect(await page.locator('#tuilage-scheme-error').innerText()).toContain('Cochez au moins un dispositif');
  await checkPage(page, 'parcours-7-tuilage-erreurs');
  // The action page names the household's phase: still the support.
  expect(await page.locator('.govuk-caption-l').innerText()).toMatch(/accompagnement/i);

  // Keyboard only, from the top of the page: Tab to the FSL box, Space, Tab to its organisation,
  // type its name (the select's own type-ahead), Tab to the button, Enter.
  await page.goto(`/menages/${householdId}/actions/tuilage`);
  await page.locator('body').focus();
  await tabTo(page, '#tuilage-scheme-fsl');
  await page.keyboard.press('Space');
  expect(await page.locator('#tuilage-scheme-fsl').isChecked()).toBe(true);
  await page.keyboard.press('Tab');
  expect(await page.evaluate<string>('document.activeElement && document.activeElement.id')).toBe('tuilage-partner-fsl');
  await page.keyboard.type(ccas.name.slice(0, 6));
  expect(await page.locator('#tuilage-partner-fsl').inputValue()).toBe(ccas.id);
  await tabTo(page, '#action-tuilage button');
  await Promise.all([page.waitForURL(`**/menages/${householdId}`), page.keyboard.press('Enter')]);
  await page.waitForLoadState();
  expect(await page.getByTestId('notice').innerText()).toContain('Le tuilage a commencé');
  await expectPhase(page, householdId, 'Tuilage');
  const state = await workflowState(h, householdId);
  expect(state.handoff.schemes).toEqual([expect.objectContaining({ scheme: 'fsl', partnerOrgId: ccas.id })]);
  await checkAndClose(page, 'parcours-7-tuilage', errors);
});

test('8. the CCAS acknowledges on /partenaires/relais; the household enters the watch', async () => {
  const ack = await task('handoff_acknowledgement');
  const { page, errors } = await pageOf('partner_worker');
  await page.goto('/partenaires/relais');
  expect(await page.locator(`#relais-${ack.id}`).innerText()).toContain(headName);
  await checkPage(page, 'parcours-8-relais');
  await page.getByRole('button', { name: `Accuser réception pour ${headName} (FSL)` }).click();
  await page.waitForURL('**/partenaires/relais');
  expect(await page.getByTestId('notice').innerText()).toContain(`La prise de relais de ${headName} est confirmée`);
  expect(errors).toEqual([]);
  await page.close();

  const coordination = await pageOf('coordinator');
  await expectPhase(coordination.page, householdId, 'Veille active', 20_000);
  await checkAndClose(coordination.page, 'parcours-8-veille', coordination.errors);
});

test('9. the watch ends without relapse: the case is closed « maintained »', async () => {
  const { page, errors } = await pageOf('coordinator');
  await expectPhase(page, householdId, 'Clôture', 60_000);
  expect(await situation(page, 'Issue')).toBe('maintien dans le logement');
  // Nothing left to do on a closed case.
  expect(await page.locator('#actions-title').count()).toBe(0);
  await checkPage(page, 'parcours-9-cloture');
  // The row is the workflow's projection: written by an activity just after the phase changes.
  const row = await eventually(async () => {
    const r = await h.db.household.findUniqueOrThrow({ where: { id: householdId } });
    return r.phase === 'closed' ? r : undefined;
  }, 20_000, 'the household row recording the closure');
  expect(row).toMatchObject({ phase: 'closed', outcome: 'maintained' });
  expect(errors).toEqual([]);
  await page.close();
});
