import { randomUUID } from 'node:crypto';
import { LANDLORDS, PARTNER_ORGANISATIONS } from '../lib/reference-data';
import { checkAndClose, checkPage, expectRefusalPages, openAction, useBrowser, watchConsole } from './support/browser';
import { eventually } from './support/harness';
import { request } from './support/http';
import { patientPartnersPolicy } from './support/policy';
import { processDriver } from './support/process';
import { referThroughTheForm, workflowState } from './support/walk';

/**
 * The pages' foundation in Chromium (issue 6): sign-in, referral through the form, the household
 * page as the coordination, a partner's answer through the page, API tokens, refusals as pages,
 * the skip link, axe on every page and screenshots at 390 px and 1280 px. The partners' deadline
 * is long so that the household waits in partner check while the partner answers.
 */
const browser = useBrowser({ policy: patientPartnersPolicy });
const { h, pageOf } = browser;
const suffix = randomUUID().slice(0, 8);
const reference = `PAGE-${suffix}`;
let householdId: string;

test('sign-in: the skip link comes first, a wrong password is refused in French, then back to the page asked for', async () => {
  const context = await browser.session.browser.newContext({ baseURL: h.baseUrl, locale: 'fr-FR' });
  const page = await context.newPage();
  const errors = watchConsole(page);
  await page.goto('/menages');
  expect(new URL(page.url()).pathname).toBe('/connexion');
  expect(new URL(page.url()).searchParams.get('retour')).toBe('/menages');

  await page.keyboard.press('Tab');
  expect(await page.evaluate('document.activeElement && document.activeElement.textContent.trim()')).toBe('Aller au contenu principal');
  await checkPage(page, 'connexion');

  await page.getByLabel('Adresse e-mail').fill(h.as.landlord_agent.email);
  await page.getByLabel('Mot de passe').fill('pas-le-bon-mot-de-passe');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  expect(await page.locator('.govuk-error-summary__title').innerText()).toBe('Il y a un problème');
  expect(await page.locator('.govuk-error-summary__list').innerText()).toContain('Adresse e-mail ou mot de passe incorrect.');
  expect(await page.getByLabel('Mot de passe').inputValue()).toBe('');
  await checkPage(page, 'connexion-erreur');

  await page.getByLabel('Mot de passe').fill('mot-de-passe-de-test-2026');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL('**/menages');
  expect(await page.locator('.app-header').innerText()).toContain('agent bailleur');
  expect(errors).toEqual([]);
  await context.close();
});

test('a landlord agent refers through the form: bad values are named beside their fields and nothing is created; good values open the household page', async () => {
  const { page, errors } = await pageOf('landlord_agent');
  await page.goto('/orienter');
  await checkPage(page, 'orienter');

  await page.getByLabel('Référence du bail').fill(reference);
  await page.getByLabel('Loyer mensuel, charges comprises').fill('beaucoup');
  await page.getByLabel('Jour').fill('31');
  await page.getByLabel('Mois').fill('2');
  await page.getByLabel('Année').fill('2020');
  await page.getByRole('button', { name: 'Orienter le ménage' }).click();
  expect(await page.locator('.govuk-error-summary__title').innerText()).toBe('Il y a un problème');
  const summary = await page.locator('.govuk-error-summary__list').innerText();
  for (const error of ['Nom du ou de la titulaire du bail : ne doit pas être vide', 'Date de début du bail : saisissez une date réelle', 'Loyer mensuel']) {
    expect(summary).toContain(error);
  }
  expect(await page.locator('#monthlyRent-error').innerText()).toContain('doit être un nombre');
  expect(await page.locator('#leaseStartDate-error').innerText()).toContain('Saisissez une date réelle');
  // What was typed stays in the form.
  expect(await page.getByLabel('Référence du bail').inputValue()).toBe(reference);
  await checkPage(page, 'orienter-erreurs');
  expect(await h.db.household.count({ where: { tenancyReference: reference } })).toBe(0);

  householdId = await referThroughTheForm(page, `Mme Page ${suffix}`, '3 rue des Pages, 51100 Reims');
  expect(await page.getByTestId('notice').innerText()).toContain('Orientation enregistrée');

  const row = await h.db.household.findUniqueOrThrow({ where: { id: householdId } });
  expect(row).toMatchObject({ landlordId: LANDLORDS[0].id, tenancyReference: reference, monthlyRentCents: 41250, arrearsCents: 165000 });
  expect(row.leaseStartDate.toISOString().slice(0, 10)).toBe('2020-02-01');
  await checkPage(page, 'menage-bailleur');
  // The notice is shown once.
  await page.reload();
  expect(await page.getByTestId('notice').count()).toBe(0);
  expect(errors).toEqual([]);
  await page.close();
});

test('the coordination finds the household in the list and reads its page: path, situation, timeline', async () => {
  await processDriver(h).waitForPhase(householdId, 'partner_check');
  const { page, errors } = await pageOf('coordinator');
  await page.goto(`/menages?q=${reference}`);
  expect(await page.getByTestId('households').innerText()).toContain(`Mme Page ${suffix}`);
  await checkPage(page, 'menages');

  await page.getByRole('link', { name: `Mme Page ${suffix}` }).click();
  await page.waitForURL(`**/menages/${householdId}`);
  expect(await page.locator('[aria-current="step"]').innerText()).toContain('Vérification partenaires');
  expect(await page.getByTestId('timeline').innerText()).toContain('Orientation enregistrée');
  expect(await page.locator('main').innerText()).toMatch(/1\s650,00\s€/);
  // The coordination may record a partner's answer given by phone, and close or withdraw.
  expect(await page.locator('#actions-title').count()).toBe(1);
  expect(await page.locator('#action-reponse-partenaire').count()).toBe(1);
  expect(await page.locator('#action-tentative-contact').count()).toBe(0);
  await checkAndClose(page, 'menage-coordination', errors);
});

test('a partner answers through the household page: a missing referent is refused beside the field, then « not known » is recorded', async () => {
  const { page, errors } = await pageOf('partner_worker');
  await eventually(async () => (await h.db.task.count({ where: { householdId, type: 'partner_check', partnerOrganisationId: PARTNER_ORGANISATIONS[0].id } })) || undefined);
  await page.goto(`/menages/${householdId}`);
  // The partner reads the minimum: no reference, no arrears, no timeline.
  const main = await page.locator('main').innerText();
  expect(main).not.toContain(reference);
  expect(main).not.toMatch(/1\s650/);
  expect(await page.getByTestId('timeline').count()).toBe(0);
  await checkPage(page, 'menage-partenaire');

  await openAction(page, householdId, 'reponse-partenaire');
  await page.locator('#reponse-partenaire-answer-2').check();
  await page.getByRole('button', { name: 'Envoyer la réponse' }).click();
  expect(await page.locator('.govuk-error-summary__list').innerText()).toContain('Travailleur social référent');
  expect(await page.locator('#reponse-partenaire-referentName-error').innerText()).toContain('référent est obligatoire');
  await checkPage(page, 'menage-partenaire-erreurs');

  await page.locator('#reponse-partenaire-answer').check();
  await page.getByRole('button', { name: 'Envoyer la réponse' }).click();
  await page.waitForURL(`**/menages/${householdId}`);
  expect(await page.getByTestId('notice').innerText()).toContain('La réponse du partenaire est enregistrée.');
  const state = await workflowState(h, householdId);
  expect(state.partnerCheck.answers[PARTNER_ORGANISATIONS[0].id].status).toBe('not_known');
  expect(errors).toEqual([]);
  await page.close();
});

test('my account: a token is created and shown once, works on the API, then is revoked', async () => {
  const { page, errors } = await pageOf('educator2');
  await page.goto('/compte');
  await page.getByRole('button', { name: 'Créer le jeton' }).click();
  expect(await page.locator('#name-error').innerText()).toContain('Ne doit pas être vide');
  await page.getByLabel('Nom du jeton').fill('Export du navigateur');
  const [created] = await Promise.all([
    page.waitForResponse((response) => response.request().method() === 'POST' && new URL(response.url()).pathname === '/compte'),
    page.getByRole('button', { name: 'Créer le jeton' }).click(),
  ]);
  await page.waitForURL('**/compte');
  const token = (await page.getByTestId('secret').innerText()).trim();
  expect(token).toMatch(/^april_/);
  // The secret is in the answer to the POST itself (not stored), never in a cookie.
  expect([created.status(), created.headers()['cache-control']]).toEqual([200, 'no-store']);
  const setCookies = (await created.headersArray()).filter(({ name }) => name.toLowerCase() === 'set-cookie').map(({ value }) => value);
  expect(setCookies.join('\n')).not.toContain(token);
  expect(JSON.stringify(await page.context().cookies())).not.toContain(token);
  expect((await request(h.baseUrl, 'GET', '/api/me', undefined, { authorization: `Bearer ${token}` })).status).toBe(200);
  // The same form posted again (what a reload of this answer does) makes no second token: 409, said in the page.
  const tokensOf = () => h.db.apiToken.count({ where: { userId: h.as.educator2.id, name: 'Export du navigateur', revokedAt: null } });
  expect(await tokensOf()).toBe(1);
  const again = await page.request.post(`${h.baseUrl}/compte`, {
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: h.baseUrl },
    data: created.request().postData() ?? '',
  });
  expect(again.status()).toBe(409);
  expect(await again.text()).toContain('Ce jeton a déjà été créé par ce formulaire');
  expect(await tokensOf()).toBe(1);
  await checkPage(page, 'compte');
  await page.goto('/compte');
  expect(await page.getByTestId('secret').count()).toBe(0);

  await page.getByRole('button', { name: /Révoquer le jeton Export du navigateur/ }).click();
  await page.waitForURL('**/compte');
  expect(await page.getByTestId('notice').innerText()).toContain('révoqué');
  expect((await request(h.baseUrl, 'GET', '/api/me', undefined, { authorization: `Bearer ${token}` })).status).toBe(401);
  expect(errors).toEqual([]);
  await page.close();
});

test('each page refuses a person who may not see it: 403 for the role, 404 out of scope', async () => {
  await expectRefusalPages(browser, [
    ['partner_worker', '/orienter', 403, 'refus-orienter-partenaire'],
    ['admin', '/menages', 403, 'refus-menages-admin'],
    ['admin', `/menages/${householdId}`, 403, 'refus-menage-admin'],
    ['other_landlord_agent', `/menages/${householdId}`, 404, 'refus-menage-autre-bailleur'],
    ['coordinator', `/menages/${randomUUID()}`, 404, 'menage-inconnu'],
    ['coordinator', '/nulle-part', 404, 'page-introuvable'],
  ]);
  // The other landlord's list does not show the household either.
  const { page } = await pageOf('other_landlord_agent');
  await page.goto(`/menages?q=${reference}`);
  expect(await page.locator('main').innerText()).toContain('Aucun ménage ne correspond.');
  await page.close();
});

test('a page form without its CSRF field changes nothing', async () => {
  const context = await browser.contextOf('landlord_agent');
  const response = await context.request.post(`${h.baseUrl}/orienter`, { form: { tenancyReference: `CSRF-${suffix}` }, maxRedirects: 0 });
  expect(response.status()).toBe(403);
  expect(await h.db.household.count({ where: { tenancyReference: `CSRF-${suffix}` } })).toBe(0);
});
