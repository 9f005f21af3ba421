import { randomUUID } from 'node:crypto';
import { frenchShortDate } from '../api/pages/filters';
import { hashPassword } from '../lib/passwords';
import { TEST_PASSWORD } from './support/accounts';
import { checkAndClose, checkPage, expectRefusalPages, useBrowser } from './support/browser';
import { eventually } from './support/harness';
import { processDriver } from './support/process';
import { chooseAttempt, openTask } from './support/walk';

/**
 * The task inbox in Chromium (issue 6): the demo educator the committee names (h.as.educator)
 * claims in one tap, records three failed contact attempts and then the contact through the task
 * pages; a second educator who tapped « Prendre » too late reads who holds the task; bad values
 * come back beside their fields with nothing recorded; a committee member decides from the inbox;
 * the landlord agent and the administration get the 403 page, a person outside the task's scope
 * the 404 page. Screenshots at 390 px and 1280 px and axe on every page.
 */
const browser = useBrowser();
const { h, pageOf } = browser;
let driver: ReturnType<typeof processDriver>;
const suffix = randomUUID().slice(0, 8);
const headName = `Mme Tâche ${suffix}`;
let householdId: string;
let firstTaskId: string;
let committeeHouseholdId: string;

/** The open contact attempt task of a household (the workflow opens one after each failed attempt). */
const openAttempt = (id: string, not?: string) => openTask(h, id, 'contact_attempt', not ? { id: { not } } : {});

const attemptsOf = async (id: string): Promise<number> => (await driver.view(id)).workflow.state.contact?.totalAttempts ?? 0;

beforeAll(async () => {
  driver = processDriver(h);
  // The demo educator is the one the committee names (processDriver.admit): it signs in through the
  // page with the test password, like the other test accounts.
  await h.db.user.update({ where: { id: h.as.educator.id }, data: { passwordHash: await hashPassword(TEST_PASSWORD) } });
  householdId = await driver.refer({ headName });
  await driver.admit(householdId);
  firstTaskId = (await openAttempt(householdId)).id;
});

test('the educator finds the attempt in « Mes tâches »; once back with the team, the educator claims it in one tap and a second educator who tapped too late reads who holds it', async () => {
  const { page, errors } = await pageOf('educator');
  await page.goto('/taches');
  expect(await page.locator('.moj-sub-navigation__link[aria-current="page"]').innerText()).toBe('Mes tâches');
  const row = page.locator(`#tache-${firstTaskId}`);
  expect(await row.innerText()).toContain(headName);
  expect(await row.innerText()).toContain('Tentative de prise de contact');
  const { dueAt } = await h.db.task.findUniqueOrThrow({ where: { id: firstTaskId } });
  expect(await row.innerText()).toContain(`Échéance : ${dueAt ? frenchShortDate(dueAt) : 'aucune'}`);
  // The badge is drawn in capitals: counted, not read.
  expect(await row.locator('.moj-badge--red', { hasText: /en retard/i }).count()).toBe(dueAt !== null && dueAt < new Date() ? 1 : 0);
  expect(await row.getByRole('link', { name: headName }).getAttribute('href')).toBe(`/menages/${householdId}`);
  expect(await row.getByRole('button', { name: /Prendre/ }).count()).toBe(1);
  // Filters: a type that is not this one hides it; the household's phase keeps it.
  await page.goto('/taches?vue=mes&type=watch_check');
  expect(await page.locator(`#tache-${firstTaskId}`).count()).toBe(0);
  await page.goto('/taches?vue=mes&type=contact_attempt&phase=contact');
  expect(await page.locator(`#tache-${firstTaskId}`).count()).toBe(1);
  await checkPage(page, 'taches-mes');

  // The coordination hands it back to the team (the task page's « Remettre à l'équipe »).
  const coordination = await pageOf('coordinator');
  await coordination.page.goto(`/taches/${firstTaskId}`);
  await coordination.page.getByRole('button', { name: 'Remettre à l’équipe' }).click();
  await coordination.page.waitForURL(`**/taches/${firstTaskId}`);
  expect(await coordination.page.getByTestId('notice').innerText()).toContain('de nouveau libre');
  expect(await h.db.task.findUniqueOrThrow({ where: { id: firstTaskId } })).toMatchObject({ status: 'open', assigneeId: null });
  await checkPage(coordination.page, 'tache-coordination');
  await coordination.page.goto('/taches');
  expect(await coordination.page.locator('.moj-sub-navigation__link[aria-current="page"]').innerText()).toBe('Toutes');
  expect(coordination.errors).toEqual([]);
  await coordination.page.close();

  // Both educators see it in « Mon équipe ».
  const second = await pageOf('educator2');
  await second.page.goto('/taches?vue=equipe');
  const stale = second.page.locator(`#tache-${firstTaskId}`).getByRole('button', { name: /Prendre/ });
  expect(await stale.count()).toBe(1);
  await checkPage(second.page, 'taches-equipe');

  await page.goto('/taches?vue=equipe');
  await page.locator(`#tache-${firstTaskId}`).getByRole('button', { name: /Prendre/ }).click();
  await page.waitForURL(`**/taches/${firstTaskId}`);
  expect(await page.getByTestId('notice').innerText()).toContain('Vous avez pris cette tâche');
  const claimed = await h.db.task.findUniqueOrThrow({ where: { id: firstTaskId } });
  expect(claimed).toMatchObject({ status: 'claimed', assigneeId: h.as.educator.id });

  // The second educator's page still offers « Prendre »: the tap is answered 409, in French, on the list.
  const [response] = await Promise.all([second.page.waitForResponse((r) => r.url().endsWith(`/taches/${firstTaskId}/prendre`)), stale.click()]);
  await second.page.waitForLoadState();
  expect(response.status()).toBe(409);
  expect(await second.page.locator('.govuk-error-summary__list').innerText()).toContain('Cette tâche est déjà prise en charge par Éducateur (démo).');
  expect(await second.page.locator('h1').innerText()).toBe('Tâches');
  expect(await h.db.task.findUniqueOrThrow({ where: { id: firstTaskId } })).toEqual(claimed);
  await checkPage(second.page, 'taches-conflit');
  // On the task page, the second educator reads who holds it and gets no form.
  await second.page.goto(`/taches/${firstTaskId}`);
  expect(await second.page.locator('#tache-formulaire').count()).toBe(0);
  expect(await second.page.locator('main').innerText()).toContain('prise en charge par Éducateur (démo)');
  expect(second.errors).toEqual([]);
  await second.page.close();
  expect(errors).toEqual([]);
  await page.close();
});

test('three failed attempts then the contact, through the task page: bad values are named beside their fields and nothing is sent; a form left open on a done task is refused', async () => {
  const { page, errors } = await pageOf('educator');
  await page.goto(`/taches/${firstTaskId}`);
  expect(await page.getByTestId('task-household').innerText()).toContain('5 rue du Processus');
  await checkPage(page, 'tache-tentative');
  // The same task in a second tab, left open.
  const { page: staleTab } = await pageOf('educator');
  await staleTab.goto(`/taches/${firstTaskId}`);

  // Nothing chosen: the three choices are asked for.
  await page.getByRole('button', { name: 'Enregistrer la tentative' }).click();
  await page.waitForLoadState();
  const summary = await page.locator('.govuk-error-summary__list').innerText();
  expect(summary).toContain('Moment de la tentative : choisissez le moment de la tentative');
  expect(summary).toContain('Moyen : choisissez le moyen utilisé');
  expect(summary).toContain('Résultat : choisissez le résultat de la tentative');
  expect(await page.locator('#slot-error').innerText()).toContain('Choisissez le moment');
  expect(await page.title()).toMatch(/^Erreur : /);
  // A note too long: only the note is refused, the choices made stay checked.
  await chooseAttempt(page, 'evening', 'home_visit', 'absent');
  await page.locator('#note').fill('x'.repeat(2001));
  await page.getByRole('button', { name: 'Enregistrer la tentative' }).click();
  await page.waitForLoadState();
  expect(await page.locator('.govuk-error-summary__list').innerText()).toContain('Note : au plus 2000 caractères');
  expect(await page.locator('input[name="outcome"][value="absent"]').isChecked()).toBe(true);
  await checkPage(page, 'tache-erreurs');
  expect(await attemptsOf(householdId)).toBe(0);
  expect(await h.db.task.findUniqueOrThrow({ where: { id: firstTaskId } })).toMatchObject({ status: 'claimed', result: null });

  // 1: absent, in the evening, at home.
  await page.locator('#note').fill('Personne ne répond, avis de passage laissé.');
  await page.getByRole('button', { name: 'Enregistrer la tentative' }).click();
  await page.waitForURL((url) => url.pathname === '/taches');
  expect(await page.getByTestId('notice').innerText()).toContain('La tentative de contact est enregistrée.');
  const first = await h.db.task.findUniqueOrThrow({ where: { id: firstTaskId } });
  expect(first).toMatchObject({ status: 'completed', assigneeId: h.as.educator.id, result: { slot: 'evening', channel: 'home_visit', outcome: 'absent' } });
  expect(await attemptsOf(householdId)).toBe(1);

  // The tab left open: refused in plain French, nothing sent to the household's workflow.
  await chooseAttempt(staleTab, 'weekday', 'phone', 'contact_made');
  const [late] = await Promise.all([
    staleTab.waitForResponse((r) => r.url().endsWith(`/taches/${firstTaskId}/terminer`)),
    staleTab.getByRole('button', { name: 'Enregistrer la tentative' }).click(),
  ]);
  await staleTab.waitForLoadState();
  expect(late.status()).toBe(409);
  expect(await staleTab.locator('.govuk-error-summary__list').innerText()).toContain('Cette tâche est déjà terminée.');
  expect(await attemptsOf(householdId)).toBe(1);
  expect(await h.db.task.findUniqueOrThrow({ where: { id: firstTaskId } })).toEqual(first);
  await checkPage(staleTab, 'tache-refus');
  await staleTab.close();

  // 2 and 3: from « Mes tâches », straight to the form (the completion takes the task itself).
  let previous = firstTaskId;
  for (const [slot, channel, outcome] of [['weekday', 'phone', 'absent'], ['weekend', 'letter', 'wrong_address']] as const) {
    const task = await openAttempt(householdId, previous);
    await page.goto('/taches');
    await page.locator(`#tache-${task.id}`).getByRole('link', { name: 'Tentative de prise de contact' }).click();
    await page.waitForURL(`**/taches/${task.id}`);
    await chooseAttempt(page, slot, channel, outcome);
    await page.getByRole('button', { name: 'Enregistrer la tentative' }).click();
    await page.waitForURL((url) => url.pathname === '/taches');
    expect(await page.getByTestId('notice').innerText()).toContain('La tentative de contact est enregistrée.');
    expect(await h.db.task.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({ status: 'completed', result: { slot, channel, outcome } });
    previous = task.id;
  }
  expect(await attemptsOf(householdId)).toBe(3);

  // 4: the contact, which opens the support.
  const fourth = await openAttempt(householdId, previous);
  await page.goto(`/taches/${fourth.id}`);
  // Taps on the choices' boxes (their labels), as on a phone.
  const form = page.locator('#tache-formulaire');
  await form.getByText('visite à domicile', { exact: true }).click();
  await form.getByText('en soirée', { exact: true }).click();
  await form.getByText('contact établi', { exact: true }).click();
  await page.getByRole('button', { name: 'Enregistrer la tentative' }).click();
  await page.waitForURL((url) => url.pathname === '/taches');
  await driver.waitForPhase(householdId, 'support');
  const state = (await driver.view(householdId)).workflow.state;
  expect(state.contact).toMatchObject({ totalAttempts: 4 });
  expect(await h.db.task.findUniqueOrThrow({ where: { id: fourth.id } })).toMatchObject({ status: 'completed', result: { outcome: 'contact_made' } });

  // The done task reads what was recorded and its history.
  await page.goto(`/taches/${fourth.id}`);
  expect(await page.getByTestId('task-result').innerText()).toContain('contact établi');
  expect(await page.getByTestId('task-history').innerText()).toContain('Terminée');
  expect(await page.locator('#tache-formulaire').count()).toBe(0);
  await checkAndClose(page, 'tache-terminee', errors);
});

test('a committee member decides from the inbox: the decision is asked for, then the household is admitted', async () => {
  const id = await driver.refer({ headName: `M. Comité ${suffix}` });
  committeeHouseholdId = id;
  await driver.answerPartners(id);
  const task = await eventually(async () => (await h.db.task.findFirst({ where: { householdId: id, type: 'committee_decision', status: 'open' } })) ?? undefined);

  const { page, errors } = await pageOf('committee_member');
  await page.goto('/taches');
  expect(await page.locator('.moj-sub-navigation__link[aria-current="page"]').innerText()).toBe('Mon équipe');
  expect(await page.locator(`#tache-${task.id}`).innerText()).toContain(`M. Comité ${suffix}`);
  await checkPage(page, 'taches-comite');

  await page.locator(`#tache-${task.id}`).getByRole('link', { name: /Décision du comité/ }).click();
  await page.waitForURL(`**/taches/${task.id}`);
  await page.getByRole('button', { name: 'Enregistrer la décision' }).click();
  await page.waitForLoadState();
  const summary = await page.locator('.govuk-error-summary__list').innerText();
  expect(summary).toContain('Séance du comité');
  expect(summary).toContain('Décision : choisissez la décision du comité');
  await page.getByLabel('Séance du comité').fill('2026-12');
  await page.locator('input[name="kind"][value="admit"]').check();
  await page.getByRole('button', { name: 'Enregistrer la décision' }).click();
  await page.waitForLoadState();
  expect(await page.locator('.govuk-error-summary__list').innerText()).toContain('Éducateur ou éducatrice : choisissez l’éducateur ou l’éducatrice');
  expect(await page.getByLabel('Séance du comité').inputValue()).toBe('2026-12');
  await checkPage(page, 'tache-comite-erreurs');
  expect((await driver.view(id)).workflow.state.phase).toBe('committee');

  await page.locator('input[name="kind"][value="admit"]').check();
  await page.getByLabel('Parcours').selectOption('pre_litigation');
  await page.getByLabel('Éducateur ou éducatrice').selectOption(h.as.educator.id);
  await page.getByRole('button', { name: 'Enregistrer la décision' }).click();
  await page.waitForURL((url) => url.pathname === '/taches');
  expect(await page.getByTestId('notice').innerText()).toContain('La décision du comité est enregistrée.');
  const admitted = await driver.waitForPhase(id, 'contact');
  expect(admitted.state.educatorId).toBe(h.as.educator.id);
  expect(errors).toEqual([]);
  await page.close();
});

test('the inbox refuses whoever may not see it: 403 for the landlord agent and the administration, 404 outside the scope; a claim without its CSRF field changes nothing', async () => {
  await expectRefusalPages(browser, [
    ['landlord_agent', '/taches', 403, 'refus-taches-bailleur'],
    ['landlord_agent', `/taches/${firstTaskId}`, 403, 'refus-tache-bailleur'],
    ['admin', '/taches', 403, 'refus-taches-admin'],
    ['admin', `/taches/${firstTaskId}`, 403, 'refus-tache-admin'],
    ['partner_worker', `/taches/${firstTaskId}`, 404, 'refus-tache-partenaire'],
    ['committee_member', `/taches/${firstTaskId}`, 404, 'refus-tache-comite'],
    ['educator', `/taches/${randomUUID()}`, 404, 'tache-inconnue'],
  ]);
  // Neither the landlord agent nor the administration is offered the inbox in the navigation.
  for (const who of ['landlord_agent', 'admin'] as const) {
    const { page } = await pageOf(who);
    await page.goto('/compte');
    expect(await page.locator('.moj-primary-navigation').innerText()).not.toContain('Tâches');
    await page.close();
  }

  // The attempt the committee's admission just opened.
  const open = await openAttempt(committeeHouseholdId);
  const context = await browser.contextOf('educator');
  const response = await context.request.post(`${h.baseUrl}/taches/${open.id}/prendre`, { form: { retour: '/taches' }, maxRedirects: 0 });
  expect(response.status()).toBe(403);
  expect(await h.db.task.findUniqueOrThrow({ where: { id: open.id } })).toMatchObject({ status: 'open', claimedAt: null });
});
