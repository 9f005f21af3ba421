import { randomUUID } from 'node:crypto';
import { LANDLORDS } from '../lib/reference-data';
import { checkAndClose, checkPage, expectRefusalPages, useBrowser, type Refusal } from './support/browser';
import { eventually } from './support/harness';
import { request } from './support/http';
import { processDriver } from './support/process';
import { workbookZip } from './support/zip-files';

/**
 * The landlord space in Chromium (issue 6): the landlord agent's households and imports, the
 * arrears file uploaded through the page (multipart, CSRF in the form), the import's progress
 * (reloading itself without JavaScript) then its per-line report with paging and the CSV
 * download; refusals: another landlord's import is the 404 page, an educator gets 403.
 */
const browser = useBrowser();
const { h, pageOf } = browser;
const suffix = randomUUID().slice(0, 8).toUpperCase();
const reference = `LAND-${suffix}`;
let householdId: string;
let importId: string;

const csvFile = (text: string, name = 'dettes.csv') => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });

beforeAll(async () => {
  householdId = await processDriver(h).refer({ tenancyReference: reference, landlordId: LANDLORDS[0].id, headName: 'Mme Bailleur Import', arrears: 900 });
});

test('the landlord space lists the landlord’s households (limited data) with links to refer and to import', async () => {
  const { page, errors } = await pageOf('landlord_agent');
  await page.goto('/bailleur');
  expect(await page.locator('h1').innerText()).toContain('Espace bailleur');
  const households = await page.getByTestId('households').innerText();
  expect(households).toContain(reference);
  expect(households).toContain('Mme Bailleur Import');
  expect(households).toContain('900,00');
  expect(await page.getByRole('button', { name: 'Orienter un ménage' }).getAttribute('href')).toBe('/orienter');
  await checkAndClose(page, 'bailleur', errors);
});

test('the upload form refuses no file and a file without the right columns, in French, and stores nothing', async () => {
  const before = await h.db.arrearsImport.count({ where: { uploadedById: h.as.landlord_agent.id } });
  const { page, errors } = await pageOf('landlord_agent');
  await page.goto('/bailleur/imports/nouveau');
  await checkPage(page, 'import-nouveau');

  await page.getByRole('button', { name: 'Envoyer le fichier' }).click();
  await page.waitForLoadState();
  expect(await page.locator('.govuk-error-summary__list').innerText()).toContain('Fichier des dettes : choisissez le fichier des dettes (CSV ou XLSX)');
  expect(await page.locator('#fichier-error').innerText()).toContain('Choisissez le fichier des dettes');

  await page.getByLabel('Fichier des dettes').setInputFiles(csvFile(`nom;montant\r\nDupont;12\r\n`, 'mauvais.csv'));
  await page.getByRole('button', { name: 'Envoyer le fichier' }).click();
  await page.waitForLoadState();
  expect(await page.locator('.govuk-error-summary__list').innerText()).toContain('Colonnes obligatoires absentes : reference_bail');
  await checkPage(page, 'import-nouveau-erreur');
  expect(await h.db.arrearsImport.count({ where: { uploadedById: h.as.landlord_agent.id } })).toBe(before);
  expect(errors).toEqual([]);
  await page.close();
});

test('the agent uploads a CSV: the progress shows (and reloads by itself), then the counts and the per-line report with paging and CSV download', async () => {
  const errorLines = Array.from({ length: 55 }, (_, i) => `ERR-${suffix}-${i};pas un montant`);
  const csv = ['reference_bail;dette;loyer', `${reference};1 111,11;480`, `INCONNU-${suffix};10;`, ...errorLines].join('\r\n');
  // No worker for a moment: the import waits, and the page shows its progress.
  await h.stopWorker();
  const { page, errors } = await pageOf('landlord_agent');
  try {
    await page.goto('/bailleur/imports/nouveau');
    await page.getByLabel('Fichier des dettes').setInputFiles(csvFile(csv, 'dettes-fevrier.csv'));
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/bailleur/imports/') && r.request().method() === 'GET'),
      page.getByRole('button', { name: 'Envoyer le fichier' }).click(),
    ]);
    importId = new URL(page.url()).pathname.split('/').pop()!;
    expect(response.headers().refresh).toBe('2');
    expect(await page.getByTestId('notice').innerText()).toContain('Fichier reçu');
    expect(await page.getByTestId('progress').innerText()).toContain('Le fichier attend son traitement.');
    expect(await page.locator('progress').getAttribute('max')).toBe('100');
    await checkPage(page, 'import-en-cours');
  } finally {
    await h.startWorker();
  }
  // The page reloads itself (Refresh: 2): nobody clicks, the report appears.
  await page.getByTestId('counts').waitFor({ timeout: 60_000 });
  const counts = await page.getByTestId('counts').innerText();
  expect(counts).toMatch(/Lignes lues\s+57/);
  expect(counts).toMatch(/Dettes transmises aux ménages suivis\s+1/);
  expect(counts).toMatch(/Lignes sans dossier ouvert chez APRIL\s+1/);
  expect(counts).toMatch(/Lignes en erreur\s+55/);
  expect(await page.locator('main').innerText()).toContain('ne sont pas des erreurs');
  const table = page.getByTestId('errors');
  expect(await table.locator('tbody tr').count()).toBe(50);
  expect(await table.locator('tbody tr').first().innerText()).toMatch(new RegExp(`^4\\s+ERR-${suffix}-0\\s+Dette illisible : « pas un montant » \\(exemple : 1650,50\\)\\.$`));
  await checkPage(page, 'import-rapport');

  await page.getByRole('link', { name: 'Suivant' }).click();
  await page.waitForURL(`**/bailleur/imports/${importId}?page=2`);
  expect(await page.getByTestId('errors').locator('tbody tr').count()).toBe(5);
  expect(await page.getByTestId('errors').locator('tbody tr').last().innerText()).toContain(`ERR-${suffix}-54`);
  await checkPage(page, 'import-rapport-page-2');

  const href = await page.getByRole('link', { name: 'Télécharger le rapport d’erreurs (CSV)' }).getAttribute('href');
  const download = await page.context().request.get(`${h.baseUrl}${href}`);
  expect(download.status()).toBe(200);
  expect(download.headers()['content-type']).toContain('text/csv');
  const lines = (await download.text()).replace(/^\ufeff/, '').trim().split('\r\n');
  expect(lines.length).toBe(56);
  expect(lines[1]).toBe(`4;ERR-${suffix}-0;Dette illisible : « pas un montant » (exemple : 1650,50).`);
  expect(errors).toEqual([]);
  await page.close();

  // The household's workflow has the new arrears, and the landlord space lists the import.
  await eventually(async () => {
    const res = await request(h.baseUrl, 'GET', `/api/households/${householdId}`, undefined, h.as.coordinator.headers);
    return res.body.workflow?.state?.finances?.arrearsCents === 111_111 ? true : undefined;
  }, 20_000, 'arrears applied');
  const { page: home } = await pageOf('landlord_agent');
  await home.goto('/bailleur');
  expect(await home.getByTestId('imports').innerText()).toContain('dettes-fevrier.csv');
  await home.close();
});

test('a file the import cannot read shows the French reason, nothing applied', async () => {
  const { page, errors } = await pageOf('landlord_agent');
  await page.goto('/bailleur/imports/nouveau');
  // A workbook without the expected columns: only reading it shows it (the import fails, the page
  // says why). A zip that is no workbook at all is refused at upload (its directory is read there).
  const wrongColumns = workbookZip('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>', ['nom', 'montant']);
  await page.getByLabel('Fichier des dettes').setInputFiles({ name: 'abime.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: Buffer.from(wrongColumns) });
  await page.getByRole('button', { name: 'Envoyer le fichier' }).click();
  await page.getByTestId('failure').waitFor({ timeout: 60_000 });
  expect(await page.getByTestId('failure').innerText()).toContain('Colonnes obligatoires absentes');
  await checkAndClose(page, 'import-echec', errors);
});

test('refusals: another landlord’s import is the 404 page, an educator gets 403 on the landlord space', async () => {
  const cases: Refusal[] = [
    ['other_landlord_agent', `/bailleur/imports/${importId}`, 404, 'refus-import-autre-bailleur'],
    ['landlord_agent', `/bailleur/imports/${randomUUID()}`, 404, 'import-inconnu'],
    ['educator', '/bailleur', 403, 'refus-bailleur-educateur'],
    ['educator', '/bailleur/imports/nouveau', 403, 'refus-import-educateur'],
    ['partner_worker', `/bailleur/imports/${importId}`, 403, 'refus-import-partenaire'],
  ];
  await expectRefusalPages(browser, cases);
  // The other landlord's space does not list the import nor the household.
  const { page } = await pageOf('other_landlord_agent');
  await page.goto('/bailleur');
  expect(await page.locator('main').innerText()).not.toContain('dettes-fevrier.csv');
  expect(await page.locator('main').innerText()).not.toContain(reference);
  await page.close();
});

test('an upload without its CSRF field is refused and stores nothing', async () => {
  const before = await h.db.arrearsImport.count({ where: { uploadedById: h.as.landlord_agent.id } });
  const context = (await browser.contextOf('landlord_agent'));
  const response = await context.request.post(`${h.baseUrl}/bailleur/imports/nouveau`, {
    multipart: { fichier: csvFile(`reference_bail;dette\r\n${reference};1\r\n`) },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(403);
  const forged = await context.request.post(`${h.baseUrl}/bailleur/imports/nouveau`, {
    multipart: { _csrf: 'pas-le-bon-jeton', fichier: csvFile(`reference_bail;dette\r\n${reference};1\r\n`) },
    maxRedirects: 0,
  });
  expect(forged.status()).toBe(403);
  expect(await h.db.arrearsImport.count({ where: { uploadedById: h.as.landlord_agent.id } })).toBe(before);
});
