import { PARTNER_ORGANISATIONS } from '../lib/reference-data';
import { checkAndClose, checkPage, useBrowser } from './support/browser';

/**
 * « Liste des ménages suivis » in Chromium (docs/privacy/caseload-lists.md): the CCAS worker finds the
 * page in its navigation, sends nothing (error beside the field), a file without the « prénom »
 * column (refused, no list), then its list (notice with the counts, the list's date and line count,
 * nothing of its content anywhere on the page); the coordination sees dates and counts for every
 * organisation; the worker deletes the list. Lists are programme-wide: this file takes the database alone.
 */
const browser = useBrowser({ quietDatabase: true });
const { h, pageOf } = browser;
const ccas = PARTNER_ORGANISATIONS[0];
const csvFile = (text: string, name = 'suivis.csv') => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
const clear = () => h.db.caseloadList.deleteMany({ where: { partnerOrganisationId: ccas.id } });

beforeAll(async () => {
  await clear();
});
afterAll(async () => {
  await clear();
});

test('the partner uploads, sees and deletes its organisation\'s list; nothing of its content is shown or stored', async () => {
  const { page, errors } = await pageOf('partner_worker');
  await page.goto('/partenaires/verifications');
  await page.getByRole('link', { name: 'Liste des ménages suivis' }).click();
  await page.waitForURL('**/partenaires/liste-suivis');
  expect(await page.locator('h1').innerText()).toBe('Liste des ménages suivis');
  expect(await page.getByTestId('no-list').innerText()).toContain('Aucune liste');
  await checkPage(page, 'partenaires-liste-suivis');

  await page.getByRole('button', { name: 'Envoyer la liste' }).click();
  await page.waitForLoadState();
  expect(await page.locator('.govuk-error-summary__list').innerText()).toContain('Fichier de la liste : choisissez le fichier CSV de votre liste');

  await page.getByLabel('Fichier de la liste').setInputFiles(csvFile('nom;adresse\r\nDupont;12 rue Chanzy\r\n', 'incomplet.csv'));
  await page.getByRole('button', { name: 'Envoyer la liste' }).click();
  await page.waitForLoadState();
  expect(await page.locator('.govuk-error-summary__list').innerText()).toContain('« prénom »');
  expect(await h.db.caseloadList.count({ where: { partnerOrganisationId: ccas.id } })).toBe(0);

  const csv = 'Nom;Prénom;Adresse;Date de naissance\r\nBrowser;Solène;"8 bis bd Lundy, 51100 Reims";02/05/1990\r\nPageot;Ugo;3 r. de Talleyrand;\r\nSeul;;1 rue Isolée;\r\n';
  await page.getByLabel('Fichier de la liste').setInputFiles(csvFile(csv));
  await page.getByRole('button', { name: 'Envoyer la liste' }).click();
  await page.waitForURL('**/partenaires/liste-suivis');
  const notice = await page.locator('.govuk-notification-banner').innerText();
  expect(notice).toContain('Liste enregistrée');
  expect(notice).toContain('3 lignes lues');
  expect(notice).toContain('(ligne 4)');
  const current = await page.getByTestId('current-list').innerText();
  expect(current).toContain('Lignes lues');
  expect(current).toMatch(/\b3\b/);
  expect(current).toContain('jusqu’au');
  expect(await page.locator('main').innerText()).not.toMatch(/Browser|Solène|Lundy|Pageot|Talleyrand|Isolée/);
  await checkPage(page, 'partenaires-liste-suivis-deposee');

  const list = await h.db.caseloadList.findUniqueOrThrow({ where: { partnerOrganisationId: ccas.id }, include: { keys: true } });
  expect({ lines: list.lineCount, keys: list.keys.length }).toEqual({ lines: 3, keys: 2 });
  expect(JSON.stringify(list)).not.toMatch(/browser|solene|lundy|pageot|talleyrand/i);

  // The coordination sees dates and counts for every organisation, never the content.
  const coordination = await pageOf('coordinator');
  await coordination.page.goto('/partenaires/liste-suivis');
  const table = await coordination.page.getByTestId('caseload-lists').innerText();
  expect(table).toContain(ccas.name);
  expect(table).toMatch(/CCAS de Reims\s+\d{2}\/\d{2}\/\d{4}\s+3\s+jusqu’au/);
  await checkAndClose(coordination.page, 'partenaires-listes-coordination', coordination.errors);

  await page.getByRole('button', { name: 'Supprimer la liste' }).click();
  await page.waitForURL('**/partenaires/liste-suivis');
  expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Liste supprimée');
  expect(await page.getByTestId('no-list').isVisible()).toBe(true);
  expect(await h.db.caseloadList.count({ where: { partnerOrganisationId: ccas.id } })).toBe(0);
  await checkAndClose(page, 'partenaires-liste-suivis-supprimee', errors);
});

test('other roles are refused the page', async () => {
  for (const account of ['educator', 'landlord_agent', 'admin'] as const) {
    const { page, errors } = await pageOf(account);
    const response = await page.goto('/partenaires/liste-suivis');
    expect([account, response?.status()]).toEqual([account, 403]);
    await page.close();
    expect(errors).toEqual([]);
  }
});
