import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { ACTIVE_PHASES } from '../api/committee/capacity';
import { checkAndClose, checkPage, useBrowser, widthOnAPhone } from './support/browser';
import type { AccountName } from './support/accounts';
import { eventually } from './support/harness';
import { request } from './support/http';
import { processDriver } from './support/process';

/**
 * Administration pages and the coordination's dashboard in Chromium (issue 6): the admin creates a
 * landlord and an account through the pages (bad values: error summary, nothing created), reads
 * the audit log of a household the coordination has just read, and the mail log; the coordination
 * reads its dashboard for the households of this file's landlord (other files share the
 * database) and finds the figures of the database; educators and landlord agents are refused.
 */
const browser = useBrowser();
const { h, pageOf } = browser;
const suffix = randomUUID().slice(0, 8);
let landlordId: string;
const householdIds: string[] = [];


const submit = async (page: Page, button: string) => {
  await Promise.all([page.waitForLoadState('load'), page.waitForNavigation(), page.getByRole('button', { name: button }).click()]);
};

test('the admin adds a landlord and creates an account through the pages: bad values are named, nothing is created', async () => {
  const { page, errors } = await pageOf('admin');
  await page.goto('/admin');
  expect(await page.getByTestId('sections').innerText()).toContain('Journal d’audit');
  expect(await page.getByTestId('temporal-ui').getAttribute('href')).toMatch(/^https?:\/\//);
  await checkPage(page, 'admin');

  // A landlord: a code that is not one is refused beside its field.
  await page.goto('/admin/organisations');
  await page.getByLabel('Nom du bailleur').fill(`Bailleur du tableau ${suffix}`);
  await page.getByLabel('Code du bailleur').fill('Pas Un Code');
  await submit(page, 'Ajouter le bailleur');
  expect(await page.locator('.govuk-error-summary__list').innerText()).toContain('Code du bailleur : minuscules, chiffres et tirets');
  expect(await page.locator('#landlord-code-error').count()).toBe(1);
  expect(await page.getByLabel('Nom du bailleur').inputValue()).toBe(`Bailleur du tableau ${suffix}`);
  await checkPage(page, 'admin-organisations-erreurs');
  expect(await h.db.landlord.count({ where: { name: `Bailleur du tableau ${suffix}` } })).toBe(0);
  await page.getByLabel('Code du bailleur').fill(`tableau-${suffix}`);
  await submit(page, 'Ajouter le bailleur');
  expect(await page.getByTestId('notice').innerText()).toContain(`Bailleur du tableau ${suffix}`);
  landlordId = (await h.db.landlord.findUniqueOrThrow({ where: { code: `tableau-${suffix}` } })).id;
  expect(await page.getByTestId('landlords').innerText()).toContain(`tableau-${suffix}`);
  // A partner organisation is not created here (every referral of every file would ask it): its
  // form is checked with bad values only.
  await page.getByLabel('Adresse e-mail de l’organisation').fill('pas-une-adresse');
  await submit(page, 'Ajouter l’organisation');
  const summary = await page.locator('.govuk-error-summary__list').innerText();
  expect(summary).toContain('Nom de l’organisation : ne doit pas être vide');
  expect(summary).toContain('Adresse e-mail de l’organisation : adresse e-mail invalide');
  await checkPage(page, 'admin-organisations');

  // An account: every wrong field at once, nothing created. No password field: the person is invited by mail.
  const email = `agent-tableau-${suffix}@test.april.localhost`;
  await page.goto('/admin/utilisateurs');
  await page.getByLabel('Adresse e-mail').fill('agent-sans-arobase');
  await page.getByLabel('Rôle').selectOption('landlord_agent');
  expect(await page.locator('input[type=password]').count()).toBe(0);
  await submit(page, 'Créer le compte');
  const userErrors = await page.locator('.govuk-error-summary__list').innerText();
  expect(userErrors).toContain('Nom affiché : ne doit pas être vide');
  expect(userErrors).toContain('Adresse e-mail : adresse e-mail invalide');
  expect(userErrors).toContain('Bailleur : un agent bailleur est rattaché à un bailleur');
  expect(await page.locator('#email-error').count()).toBe(1);
  expect(await page.getByLabel('Rôle').inputValue()).toBe('landlord_agent');
  await checkPage(page, 'admin-utilisateurs-erreurs');
  expect(await h.db.user.count({ where: { email: { startsWith: 'agent-sans-arobase' } } })).toBe(0);

  await page.getByLabel('Nom affiché').fill(`Agent du tableau ${suffix}`);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Bailleur').selectOption(landlordId);
  await submit(page, 'Créer le compte');
  expect(await page.getByTestId('notice').innerText()).toContain(`Agent du tableau ${suffix}`);
  expect(await page.getByTestId('notice').innerText()).toContain('Une invitation lui est envoyée par courriel');
  const created = await h.db.user.findUniqueOrThrow({ where: { email } });
  expect(created).toMatchObject({ role: 'landlord_agent', landlordId, active: true, partnerOrganisationId: null });
  // The person chooses the password from the invitation (invitation.browser.test.ts).
  expect(created.passwordHash).toBeNull();
  expect(await page.getByTestId('users').innerText()).toContain(`Agent du tableau ${suffix}`);
  await checkPage(page, 'admin-utilisateurs');
  expect(await widthOnAPhone(page)).toBeLessThanOrEqual(390);

  // The same address again: refused beside the field.
  await page.getByLabel('Nom affiché').fill('Doublon');
  await page.getByLabel('Adresse e-mail').fill(email.toUpperCase());
  await page.getByLabel('Rôle').selectOption('educator');
  await submit(page, 'Créer le compte');
  expect(await page.locator('#email-error').innerText()).toContain('Un compte existe déjà');
  expect(await h.db.user.count({ where: { email: { equals: email, mode: 'insensitive' } } })).toBe(1);

  // Deactivated, then active again.
  await page.goto('/admin/utilisateurs');
  await submit(page, `Désactiver le compte de Agent du tableau ${suffix}`);
  expect(await page.getByTestId('notice').innerText()).toContain('ne peut plus se connecter');
  expect((await h.db.user.findUniqueOrThrow({ where: { email } })).active).toBe(false);
  await submit(page, `Activer le compte de Agent du tableau ${suffix}`);
  expect((await h.db.user.findUniqueOrThrow({ where: { email } })).active).toBe(true);

  await page.goto('/admin/politique');
  expect(await page.getByTestId('policy').innerText()).toContain('20 ménages');
  await checkAndClose(page, 'admin-politique', errors);
});

test('the coordination\'s dashboard shows the figures of the database for this file\'s landlord', async () => {
  const driver = processDriver(h);
  // Three referrals of the landlord: one reaches support after a failed attempt and pays, one is
  // admitted and waits for contact, one stays with the partners' check (its deadline is short).
  const [a, b, c] = [await driver.refer({ landlordId }), await driver.refer({ landlordId }), await driver.refer({ landlordId })];
  householdIds.push(a, b, c);
  await driver.admit(a);
  expect((await driver.post(a, 'contact-attempts', { slot: 'evening', channel: 'phone', outcome: 'absent' })).status).toBe(200);
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect((await driver.post(a, 'contact-attempts', { slot: 'evening', channel: 'home_visit', outcome: 'contact_made' })).status).toBe(200);
  await driver.waitForPhase(a, 'support');
  expect((await driver.post(a, 'payments', { amount: 150 }, 'coordinator')).status).toBe(202);
  await eventually(async () => (await h.db.timelineEvent.count({ where: { householdId: a, type: 'paymentResumed' } })) || undefined, 20_000, 'payment resumed');
  await driver.admit(b);
  await eventually(async () => (await h.db.household.findUniqueOrThrow({ where: { id: b } })).phase === 'contact' || undefined);

  const { page, errors } = await pageOf('coordinator');
  // What the database says, on both sides of the page's load: the third household's partners'
  // deadline may move it to the committee meanwhile, and then the page is read again.
  const phases = () => h.db.household.findMany({ where: { landlordId }, orderBy: { id: 'asc' } });
  const rows = await eventually(async () => {
    const before = await phases();
    await page.goto(`/tableau-de-bord?bailleur=${landlordId}`);
    const after = await phases();
    return before.every((row, i) => row.phase === after[i]?.phase) ? after : undefined;
  }, 20_000, 'the dashboard read while no household moved');
  expect(await page.getByTestId('scope').innerText()).toContain(`Bailleur du tableau ${suffix}`);
  const figure = async (id: string) => (await page.getByTestId(id).locator('dd').innerText()).split('\n')[0]!.trim();
  expect(rows).toHaveLength(3);
  expect(await figure('indicator-referred')).toBe('3');
  const active = rows.filter((r) => (ACTIVE_PHASES as readonly string[]).includes(r.phase)).length;
  expect(active).toBe(2);
  expect(await figure('indicator-active')).toBe(String(active));
  expect(await figure('indicator-open')).toBe(String(rows.filter((r) => r.phase !== 'closed').length));
  expect(await figure('indicator-payment')).toBe('33 %');
  expect(await page.getByTestId('indicator-payment').innerText()).toContain('1 sur 3');
  expect(await figure('indicator-attempts')).toBe('2');
  expect(await figure('indicator-reoriented')).toBe('0');
  for (const phase of new Set(rows.map((r) => r.phase))) {
    expect({ phase, shown: await page.getByTestId(`phase-total-${phase}`).innerText() }).toEqual({ phase, shown: String(rows.filter((r) => r.phase === phase).length) });
  }
  const capacity = await page.getByTestId('capacity').innerText();
  expect(capacity).toMatch(new RegExp(`Bailleur du tableau ${suffix}\\s+${active}\\s+20`));
  expect(capacity).toMatch(/Total du programme\s+\d+\s+60/);
  expect(await page.getByTestId('attempts').innerText()).toMatch(/2\s+1/);
  // Each chart is drawn on the server and hidden from screen readers (its table is the source).
  expect(await page.locator('svg.app-chart[aria-hidden="true"]').count()).toBeGreaterThanOrEqual(3);
  await checkPage(page, 'tableau-de-bord');
  expect(await widthOnAPhone(page)).toBeLessThanOrEqual(390);

  // A period that is not one: named, and the figures of the default period stay shown.
  await page.goto(`/tableau-de-bord?bailleur=${landlordId}&du=2026-02-30`);
  expect(await page.locator('.govuk-error-summary__list').innerText()).toContain('Début de la période : saisissez une date réelle');
  expect(await figure('indicator-referred')).toBe('3');
  await checkPage(page, 'tableau-de-bord-erreurs');
  // A period before these referrals: none referred, the households still stand where they are.
  await page.goto(`/tableau-de-bord?bailleur=${landlordId}&du=2020-01-01&au=2020-12-31`);
  expect(await figure('indicator-referred')).toBe('0');
  expect(await figure('indicator-active')).toBe(String(active));
  expect(errors).toEqual([]);
  await page.close();
});

test('the admin reads the audit log of a household the coordination has just read, then the mail log', async () => {
  const householdId = householdIds[0]!;
  const coordination = await pageOf('coordinator');
  await coordination.page.goto(`/menages/${householdId}`);
  await coordination.page.close();
  const reader = await h.db.auditEvent.findFirstOrThrow({ where: { householdId, action: 'household.read' }, orderBy: { at: 'desc' } });
  const readerName = (await h.db.user.findUniqueOrThrow({ where: { id: reader.actor } })).displayName;

  const { page, errors } = await pageOf('admin');
  await page.goto('/admin/journal');
  await page.getByLabel('Ménage').fill(householdId);
  await submit(page, 'Filtrer');
  const log = await page.getByTestId('audit').innerText();
  expect(log).toContain('household.read');
  expect(log).toContain(readerName);
  // Only this household's rows.
  expect(await page.locator('[data-testid="audit"] tbody tr').count()).toBe(await h.db.auditEvent.count({ where: { householdId } }).then((n) => Math.min(n, 50)));
  await checkPage(page, 'admin-journal');

  // Per person: the rows of the person who read.
  await page.goto('/admin/journal');
  await page.getByLabel('Personne').selectOption(reader.actor);
  await submit(page, 'Filtrer');
  const actions = await page.locator('[data-testid="audit"] tbody tr td:nth-child(2)').allInnerTexts();
  expect(actions.length).toBeGreaterThan(0);
  expect(new Set(actions)).toEqual(new Set([expect.stringContaining(readerName)]));

  await page.goto('/admin/journal?menage=pas-un-identifiant');
  expect(await page.locator('.govuk-error-summary__list').innerText()).toContain('Ménage : identifiant de ménage attendu');
  await checkPage(page, 'admin-journal-erreurs');

  // The mail log: the referrals' mails, recipients masked.
  await page.goto('/admin/courriels');
  const mails = await page.getByTestId('mails').innerText();
  expect(mails).toMatch(/envoyé/);
  const coordinatorEmail = (await h.db.user.findUniqueOrThrow({ where: { id: h.as.coordinator.id } })).email;
  expect(mails).not.toContain(coordinatorEmail);
  expect(mails).toContain(`${coordinatorEmail[0]}***@`);
  await checkPage(page, 'admin-courriels');
  await page.getByLabel('État').selectOption('failed');
  await submit(page, 'Filtrer');
  const statuses = await page.locator('[data-testid="mails"] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-status')));
  expect(statuses.every((s) => s === 'failed')).toBe(true);
  expect(errors).toEqual([]);
  await page.close();

  // The coordination reads the mail log and the policy too, not the accounts.
  const coordinator = await pageOf('coordinator');
  await coordinator.page.goto('/admin');
  const sections = await coordinator.page.getByTestId('sections').innerText();
  expect(sections).toContain('Courriels');
  expect(sections).not.toContain('Comptes');
  expect((await coordinator.page.goto('/admin/courriels'))?.status()).toBe(200);
  expect((await coordinator.page.goto('/admin/utilisateurs'))?.status()).toBe(403);
  await coordinator.page.close();
});

test('educators and landlord agents are refused the administration and the dashboard; the admin the dashboard', async () => {
  const cases: [AccountName, string, string][] = [
    ['educator', '/admin', 'refus-admin-educateur'],
    ['educator', '/tableau-de-bord', 'refus-tableau-educateur'],
    ['landlord_agent', '/admin', 'refus-admin-bailleur'],
    ['landlord_agent', '/tableau-de-bord', 'refus-tableau-bailleur'],
    ['landlord_agent', '/admin/journal', 'refus-journal-bailleur'],
    ['admin', '/tableau-de-bord', 'refus-tableau-admin'],
  ];
  for (const [who, path, name] of cases) {
    const { page, errors } = await pageOf(who);
    const response = await page.goto(path);
    expect({ who, path, status: response?.status() }).toEqual({ who, path, status: 403 });
    expect(await page.locator('h1').innerText()).toBe('Accès refusé');
    await checkAndClose(page, name, errors);
  }
  // The API answers the same.
  expect((await request(h.baseUrl, 'GET', '/api/admin/landlords', undefined, h.as.educator.headers)).status).toBe(403);
});
