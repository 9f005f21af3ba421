import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { LANDLORDS } from '../lib/reference-data';
import { eventually, openHarness, type Harness } from './support/harness';
import { request, signIn } from './support/http';
import { TEST_PASSWORD } from './support/accounts';
import { processDriver } from './support/process';
import { bombWorkbook } from './support/zip-files';

/**
 * The landlord's arrears file through `/api/arrears-imports` on the real stack: a CSV and an XLSX
 * with valid, invalid and unmatched lines give the right counts and a French per-line report; the
 * matched households' workflows receive the new arrears; scope by landlord; bad files are refused
 * (400, nothing stored) or fail with a French reason, and nothing is applied.
 */
let h: Harness;
let driver: ReturnType<typeof processDriver>;
const suffix = randomUUID().slice(0, 8).toUpperCase();
const ref = (name: string) => `IMP-${name}-${suffix}`;
const CSV = 'text/csv';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const ids: Record<string, string> = {};
let csvImportId: string;

async function upload(body: Uint8Array | string, contentType: string, as: keyof Harness['as'], query = '') {
  const response = await fetch(`${h.baseUrl}/api/arrears-imports${query}`, {
    method: 'POST',
    headers: { 'content-type': contentType, ...h.as[as].headers },
    body: typeof body === 'string' ? body : Buffer.from(body),
  });
  return { status: response.status, location: response.headers.get('location'), body: (await response.json()) as any };
}

async function finished(id: string, as: keyof Harness['as'] = 'landlord_agent') {
  return eventually(async () => {
    const res = await request(h.baseUrl, 'GET', `/api/arrears-imports/${id}`, undefined, h.as[as].headers);
    return res.body.status === 'done' || res.body.status === 'failed' ? res.body : undefined;
  }, 60_000, `import ${id} finished`);
}

/** Imports of this file's people (the coordinator is shared with other files: its uploads here carry the suffix). */
const importCount = () => h.db.arrearsImport.count({
  where: { OR: [{ uploadedById: { in: (['landlord_agent', 'other_landlord_agent', 'educator2', 'partner_worker', 'committee_member', 'admin'] as const).map((a) => h.as[a].id) } }, { fileName: { contains: suffix } }] },
});

const finances = async (id: string) =>
  (await request(h.baseUrl, 'GET', `/api/households/${id}`, undefined, h.as.coordinator.headers)).body.workflow.state.finances;

async function workbook(rows: unknown[][]): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Dettes');
  for (const row of rows) sheet.addRow(row);
  book.addWorksheet('Autre').addRow(['autre', 'feuille']);
  return new Uint8Array(await book.xlsx.writeBuffer());
}

beforeAll(async () => {
  h = await openHarness();
  driver = processDriver(h);
  ids.a = await driver.refer({ tenancyReference: ref('A'), arrears: 2400 });
  ids.b = await driver.refer({ tenancyReference: ref('B'), arrears: 800 });
  ids.c = await driver.refer({ tenancyReference: ref('C'), landlordId: LANDLORDS[1].id });
  ids.d = await driver.refer({ tenancyReference: ref('D') });
  const withdrawn = await request(h.baseUrl, 'POST', `/api/households/${ids.d}/withdraw`, { reason: 'Test d’import : dossier clos.' }, h.as.coordinator.headers);
  expect(withdrawn.status).toBe(200);
  await eventually(async () => ((await h.db.household.findUnique({ where: { id: ids.d } }))?.closedAt ? true : undefined), 30_000, 'D closed');
}, 180_000);

afterAll(async () => {
  await h?.close();
});

test('a CSV (BOM, accented headers, `;`) from the landlord agent: applied, unmatched and invalid lines counted, the report in French, the households updated', async () => {
  const csv = [
    '\ufeffRéférence_Bail;DETTE;Loyer;Date;commentaire',
    `${ref('A')};1 234,56;450;31/01/2027;ok`,
    `${ref('B')};99.5;;;`,
    `INCONNU-${suffix};10;;;`,
    `${ref('C')};10;;;autre bailleur`,
    `${ref('D')};10;;;dossier clos`,
    ';12;;;',
    `${ref('X')};-5;;;`,
    `${ref('Y')};beaucoup;;;`,
    `${ref('A')};50;;;doublon`,
    `${ref('Z')};10;0;;`,
    '',
    `${ref('W')};10;;32/13/2027;`,
  ].join('\r\n');
  const created = await upload(csv, CSV, 'landlord_agent', '?fileName=dettes-janvier.csv');
  expect(created.status).toBe(202);
  expect(created.location).toBe(`/api/arrears-imports/${created.body.id}`);
  expect(created.body).toMatchObject({ landlordId: LANDLORDS[0].id, fileName: 'dettes-janvier.csv', format: 'csv' });
  csvImportId = created.body.id;

  const done = await finished(csvImportId);
  expect(done).toMatchObject({ status: 'done', progress: 100, totalRows: 11, processedRows: 11, appliedRows: 2, unmatchedRows: 3, errorRows: 6, failure: null });
  // The file is not kept once processed.
  expect((await h.db.arrearsImport.findUniqueOrThrow({ where: { id: csvImportId } })).content).toBeNull();

  const report = await request(h.baseUrl, 'GET', `/api/arrears-imports/${csvImportId}/errors`, undefined, h.as.landlord_agent.headers);
  expect(report.status).toBe(200);
  expect(report.body.total).toBe(6);
  expect(report.body.note).toContain('ne sont pas des erreurs');
  expect(report.body.lines.map((l: any) => [l.rowNumber, l.tenancyReference, l.message])).toEqual([
    [7, null, 'Référence du bail absente.'],
    [8, ref('X'), 'La dette doit être positive ou nulle.'],
    [9, ref('Y'), 'Dette illisible : « beaucoup » (exemple : 1650,50).'],
    [10, ref('A'), 'Référence du bail déjà présente à la ligne 2 (une seule ligne par bail).'],
    [11, ref('Z'), 'Le loyer doit être supérieur à 0.'],
    [13, ref('W'), 'Date illisible : « 32/13/2027 » (exemple : 31/01/2027).'],
  ]);

  const download = await fetch(`${h.baseUrl}/api/arrears-imports/${csvImportId}/errors?format=csv`, { headers: h.as.landlord_agent.headers });
  expect(download.status).toBe(200);
  expect(download.headers.get('content-type')).toContain('text/csv');
  expect(download.headers.get('content-disposition')).toContain(`erreurs-import-${csvImportId}.csv`);
  const text = await download.text();
  expect(text.replace(/^\ufeff/, '').split('\r\n').slice(0, 3)).toEqual([
    'ligne;reference_bail;erreur', '7;;Référence du bail absente.', `8;${ref('X')};La dette doit être positive ou nulle.`,
  ]);

  // The matched households' workflows applied the new figures; the others are untouched.
  await eventually(async () => ((await finances(ids.a!)).arrearsCents === 123_456 ? true : undefined), 20_000, 'A updated');
  expect(await finances(ids.a!)).toMatchObject({ arrearsCents: 123_456, monthlyRentCents: 45_000 });
  await eventually(async () => ((await finances(ids.b!)).arrearsCents === 9_950 ? true : undefined), 20_000, 'B updated');
  expect((await finances(ids.c!)).arrearsCents).toBe(240_000);
  // Each applied line leaves one audit row, by the person who sent the file.
  const audit = await h.db.auditEvent.findMany({ where: { householdId: { in: [ids.a!, ids.b!, ids.c!] }, action: 'household.updateArrears' } });
  expect(audit.map((a) => [a.householdId, a.actor]).sort()).toEqual([[ids.a, h.as.landlord_agent.id], [ids.b, h.as.landlord_agent.id]].sort());
  const rows = await h.db.arrearsImportRow.groupBy({ by: ['status'], where: { importId: csvImportId }, _count: { _all: true } });
  expect(Object.fromEntries(rows.map((r) => [r.status, r._count._all]))).toEqual({ applied: 2, unmatched: 3, invalid: 6 });
});

test('an XLSX (first sheet, number and text cells, a formula) from the coordination for a landlord; a `,` CSV with quoted decimals', async () => {
  const book = await workbook([
    ['Reference bail', 'Dette', 'Loyer', 'Date'],
    [ref('B'), 777.7, 520, new Date(Date.UTC(2027, 0, 31))],
    [`INCONNU-XL-${suffix}`, '15,00', null, null],
    [ref('V'), 12.345, null, null],
    [null, null, null, null],
    [ref('U'), { formula: '2+3', result: 5 }, null, 'hier'],
  ]);
  const created = await upload(book, XLSX, 'coordinator', `?fileName=dettes.xlsx&landlordId=${LANDLORDS[0].id}`);
  expect(created.status).toBe(202);
  const done = await finished(created.body.id, 'coordinator');
  expect(done).toMatchObject({ status: 'done', format: 'xlsx', totalRows: 4, appliedRows: 1, unmatchedRows: 1, errorRows: 2 });
  const report = await request(h.baseUrl, 'GET', `/api/arrears-imports/${created.body.id}/errors?page=1`, undefined, h.as.coordinator.headers);
  expect(report.body.lines.map((l: any) => [l.rowNumber, l.message])).toEqual([
    [4, 'La dette a plus de deux décimales.'],
    [6, 'Date illisible : « hier » (exemple : 31/01/2027).'],
  ]);
  await eventually(async () => ((await finances(ids.b!)).arrearsCents === 77_770 ? true : undefined), 20_000, 'B updated from XLSX');
  expect((await finances(ids.b!)).monthlyRentCents).toBe(52_000);

  const comma = await upload(`reference_bail,dette\r\n${ref('B')},"812,40"\r\n`, CSV, 'landlord_agent');
  expect(comma.status).toBe(202);
  expect(await finished(comma.body.id)).toMatchObject({ status: 'done', totalRows: 1, appliedRows: 1, errorRows: 0 });
  await eventually(async () => ((await finances(ids.b!)).arrearsCents === 81_240 ? true : undefined), 20_000, 'B updated from the `,` CSV');
});

test('scope and roles: an agent imports for its own landlord only and never reads another landlord’s import (404)', async () => {
  const other = await request(h.baseUrl, 'GET', `/api/arrears-imports/${csvImportId}`, undefined, h.as.other_landlord_agent.headers);
  expect(other.status).toBe(404);
  expect(other.body.error).toBe('not_found');
  expect((await request(h.baseUrl, 'GET', `/api/arrears-imports/${csvImportId}/errors`, undefined, h.as.other_landlord_agent.headers)).status).toBe(404);
  expect((await fetch(`${h.baseUrl}/api/arrears-imports/${csvImportId}/errors?format=csv`, { headers: h.as.other_landlord_agent.headers })).status).toBe(404);
  expect((await request(h.baseUrl, 'GET', `/api/arrears-imports/${randomUUID()}`, undefined, h.as.landlord_agent.headers)).status).toBe(404);
  expect((await request(h.baseUrl, 'GET', '/api/arrears-imports/pas-un-uuid', undefined, h.as.landlord_agent.headers)).status).toBe(404);
  expect((await request(h.baseUrl, 'GET', `/api/arrears-imports/${csvImportId}`, undefined, h.as.coordinator.headers)).status).toBe(200);

  const before = await importCount();
  const forOther = await upload(`reference_bail;dette\r\n${ref('C')};1\r\n`, CSV, 'landlord_agent', `?landlordId=${LANDLORDS[1].id}`);
  expect(forOther.status).toBe(403);
  expect(forOther.body.message).toContain('son propre bailleur');
  for (const role of ['educator', 'partner_worker', 'committee_member', 'admin'] as const) {
    expect([role, (await upload(`reference_bail;dette\r\n${ref('A')};1\r\n`, CSV, role)).status]).toEqual([role, 403]);
    expect([role, (await request(h.baseUrl, 'GET', `/api/arrears-imports/${csvImportId}`, undefined, h.as[role].headers)).status]).toEqual([role, 403]);
  }
  expect((await fetch(`${h.baseUrl}/api/arrears-imports/${csvImportId}`)).status).toBe(401);
  // With a session (a browser), the CSRF header is required, as for every unsafe request of the API.
  const { cookie = '', 'x-csrf-token': csrf = '' } = await signIn(h.baseUrl, h.as.landlord_agent.email, TEST_PASSWORD);
  const post = (headers: Record<string, string>) => fetch(`${h.baseUrl}/api/arrears-imports`, { method: 'POST', headers: { 'content-type': CSV, cookie, ...headers }, body: `reference_bail;dette\r\nINCONNU-CSRF-${suffix};1\r\n` });
  expect((await post({})).status).toBe(403);
  const withToken = await post({ 'x-csrf-token': csrf });
  expect(withToken.status).toBe(202);
  expect(await finished(((await withToken.json()) as any).id)).toMatchObject({ status: 'done', totalRows: 1, appliedRows: 0, unmatchedRows: 1 });
  const noLandlord = await upload(`reference_bail;dette\r\n${ref('A')};1\r\n`, CSV, 'coordinator', `?fileName=sans-bailleur-${suffix}.csv`);
  expect(noLandlord.status).toBe(400);
  expect(noLandlord.body.details).toEqual([{ field: 'landlordId', message: 'choisissez le bailleur du fichier' }]);
  // Only the import sent with the CSRF token was stored.
  expect(await importCount()).toBe(before + 1);
  expect((await finances(ids.c!)).arrearsCents).toBe(240_000);
});

test('bad files: refused with a French reason and nothing stored, or failed with the reason and nothing applied', async () => {
  const before = await importCount();
  const refused = async (body: Uint8Array | string, type: string, query = '') => {
    const res = await upload(body, type, 'landlord_agent', query);
    expect([res.status, res.body.error]).toEqual([400, 'validation_error']);
    return res.body.message as string;
  };
  expect(await refused(`${ref('A')};1\r\n${ref('B')};2\r\n`, CSV)).toMatch(/^Colonnes obligatoires absentes : reference_bail .*, dette .*La première ligne du fichier doit être l’en-tête/);
  expect(await refused('nom;montant\r\nDupont;12\r\n', CSV)).toContain('« nom », « montant »');
  expect(await refused('', CSV)).toBe('Le fichier est vide.');
  expect(await refused(Buffer.from('Référence_bail;dette\r\nA;1\r\n', 'latin1'), CSV)).toContain('UTF-8');
  expect(await refused('%PDF-1.7 pas un tableur', XLSX)).toContain('n’est pas un classeur Excel (.xlsx)');
  expect(await refused(await workbook([['reference_bail', 'dette']]), CSV)).toContain('est un classeur Excel');
  // A zip without a central directory: refused from its directory (the caps are read there).
  expect(await refused(Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 7)]), XLSX)).toContain('classeur .xlsx est illisible');
  expect(await refused(`reference_bail;dette\r\n${ref('A')};1\r\n`, CSV, '?fileName=a/b.csv')).toBe('La requête contient des erreurs.');
  const json = await request(h.baseUrl, 'POST', '/api/arrears-imports', { reference_bail: ref('A'), dette: 1 }, h.as.landlord_agent.headers);
  expect([json.status, json.body.error]).toEqual([415, 'unsupported_media_type']);
  expect(await importCount()).toBe(before);

  // What only reading the workbook shows: the import fails with the reason, and its lines are dropped.
  const wrongColumns = await upload(await workbook([['nom', 'montant'], [ref('A'), 1]]), XLSX, 'landlord_agent');
  expect(wrongColumns.status).toBe(202);
  const failed = await finished(wrongColumns.body.id);
  expect(failed).toMatchObject({ status: 'failed', appliedRows: 0, progress: null });
  expect(failed.failure).toContain('Colonnes obligatoires absentes');
  expect(await h.db.arrearsImportRow.count({ where: { importId: wrongColumns.body.id } })).toBe(0);
  expect((await h.db.arrearsImport.findUniqueOrThrow({ where: { id: wrongColumns.body.id } })).content).toBeNull();
  expect((await finances(ids.a!)).arrearsCents).toBe(123_456);
});

test('hostile files: refused at upload when the first bytes show it; otherwise failed for good with the French limit, nothing kept, never retried, /health answering meanwhile', async () => {
  const before = await importCount();
  const bomb = await upload(bombWorkbook(120), XLSX, 'landlord_agent');
  expect([bomb.status, bomb.body.message]).toEqual([400, 'Le classeur dépasse 100 Mo une fois décompressé : découpez-le en plusieurs fichiers, ou envoyez-le en CSV UTF-8.']);
  const blankLines = await upload(`reference_bail;dette\r\n${'\r\n'.repeat(200_001)}`, CSV, 'landlord_agent');
  expect([blankLines.status, blankLines.body.message]).toEqual([400, 'Le fichier compte plus de 200 000 lignes (lignes vides comprises) : découpez-le en plusieurs fichiers.']);
  expect(await importCount()).toBe(before);

  // What only reading shows: a line over 64 KiB after 3 000 good ones; a sheet row numbered past the limit.
  const good = Array.from({ length: 3_000 }, (_, i) => `HOSTILE-${suffix}-${i};1`).join('\r\n');
  const csv = await upload(`reference_bail;dette\r\n${good}\r\nB;"${'x'.repeat(70_000)}\r\n`, CSV, 'landlord_agent');
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Dettes');
  sheet.addRow(['reference_bail', 'dette']);
  sheet.getRow(200_002).getCell(1).value = ref('A');
  const xlsx = await upload(new Uint8Array(await book.xlsx.writeBuffer()), XLSX, 'landlord_agent');
  // A zip bomb whose headers say 1 byte per entry: only inflating shows it.
  const liar = await upload(bombWorkbook(120, { lie: true }), XLSX, 'landlord_agent');
  expect([csv.status, xlsx.status, liar.status]).toEqual([202, 202, 202]);
  let over = false;
  const probes: number[] = [];
  const probing = (async () => {
    while (!over) {
      probes.push((await request(h.baseUrl, 'GET', '/health')).status);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  const [csvDone, xlsxDone, liarDone] = await Promise.all([csv, xlsx, liar].map((u) => finished(u.body.id))).finally(() => { over = true; });
  await probing;
  expect(probes.length).toBeGreaterThan(0);
  expect(new Set(probes)).toEqual(new Set([200]));
  expect(csvDone).toMatchObject({ status: 'failed', appliedRows: 0, failure: 'La ligne 3002 dépasse 64 Ko (un guillemet jamais refermé ?) : le reste du fichier ne peut pas être lu. Corrigez cette ligne, ou enregistrez à nouveau le fichier au format « CSV UTF-8 ».' });
  expect(xlsxDone).toMatchObject({ status: 'failed', appliedRows: 0, failure: 'Le fichier compte plus de 200 000 lignes (lignes vides comprises) : découpez-le en plusieurs fichiers.' });
  expect(liarDone).toMatchObject({ status: 'failed', failure: bomb.body.message });
  for (const id of [csv, xlsx, liar].map((u) => u.body.id as string)) {
    expect(await h.db.arrearsImportRow.count({ where: { importId: id } })).toBe(0);
    expect((await h.db.arrearsImport.findUniqueOrThrow({ where: { id } })).content).toBeNull();
    // Read once: the staging activity's only attempt returned the refusal (no retry).
    const events = (await h.temporal.workflow.getHandle(`arrears-import-${id}`).fetchHistory()).events ?? [];
    expect(events.flatMap((e) => (e.activityTaskStartedEventAttributes ? [e.activityTaskStartedEventAttributes.attempt] : [])).every((a) => a === 1)).toBe(true);
    expect(events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'stageArrearsRows')).toHaveLength(1);
  }
  expect((await finances(ids.a!)).arrearsCents).toBe(123_456);
}, 180_000);

/**
 * The issue 7 target, measured on demand (ARREARS_IMPORT_BENCH=1; it takes the machine for a
 * while): a generated 100 000-line file, CSV then XLSX, from the POST to `done`, most lines
 * unmatched and a few matched. Prints the figures; fails above 20 s.
 */
const bench = process.env.ARREARS_IMPORT_BENCH === '1' ? test : test.skip;
bench('benchmark: 100 000 lines in less than 20 s', async () => {
  const count = 100_000;
  const lines = Array.from({ length: count }, (_, i) => (i === 500 ? `${ref('A')};1234,56;450` : i === 99_000 ? `${ref('B')};812,40;` : `BENCH-${suffix}-${i};${(i % 5000) + 0.5};${400 + (i % 300)}`));
  const csv = `reference_bail;dette;loyer\r\n${lines.join('\r\n')}\r\n`;
  const rows = [['reference_bail', 'dette', 'loyer'], ...lines.map((line) => line.split(';').map((cell, j) => (j > 0 && cell ? Number(cell.replace(',', '.')) : cell)))];
  const xlsx = await workbook(rows);
  const figures: Record<string, unknown> = {};
  for (const [format, body, type] of [['csv', csv, CSV], ['xlsx', xlsx, XLSX]] as const) {
    const started = Date.now();
    const created = await upload(body, type, 'landlord_agent', `?fileName=bench.${format}`);
    expect(created.status).toBe(202);
    const accepted = Date.now() - started;
    const done = await finished(created.body.id);
    const seconds = (Date.now() - started) / 1000;
    expect(done).toMatchObject({ status: 'done', totalRows: count, appliedRows: 2, errorRows: 0, unmatchedRows: count - 2 });
    figures[format] = { bytes: typeof body === 'string' ? Buffer.byteLength(body) : body.length, acceptedMs: accepted, seconds, rowsPerSecond: Math.round(count / seconds) };
  }
  console.log(`arrears import benchmark (${count} lines):`, JSON.stringify(figures));
  for (const format of ['csv', 'xlsx']) expect((figures[format] as { seconds: number }).seconds).toBeLessThan(20);
}, 300_000);
