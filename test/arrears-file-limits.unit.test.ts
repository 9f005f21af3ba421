import ExcelJS from 'exceljs';
import { ARREARS_FILE_LIMITS, ArrearsFileError, arrearsBatches, checkFileBeforeImport, type ArrearsFileFormat, type ReadOptions } from '../activities/arrears-file';
import { bombWorkbook, workbookZip, zipOf } from './support/zip-files';

/**
 * Hostile files (issue 13, item 5): every limit refuses with a French message naming it, in the
 * import's reader and, where the bytes show it, in the API's check before anything is stored.
 * Outcomes only: no assertion on how long anything takes.
 */
const bytes = (text: string) => new TextEncoder().encode(text);

async function refusal(content: Uint8Array, format: ArrearsFileFormat, options: ReadOptions = {}): Promise<string> {
  try {
    for await (const batch of arrearsBatches(content, format, 1000, options)) void batch;
  } catch (error) {
    expect(error).toBeInstanceOf(ArrearsFileError);
    return (error as Error).message;
  }
  throw new Error('the file was read');
}

const precheck = (content: Uint8Array, format: ArrearsFileFormat) => {
  try {
    checkFileBeforeImport(content, format);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(ArrearsFileError);
    return (error as Error).message;
  }
};

const TOO_MANY_ROWS = 'Le fichier compte plus de 200 000 lignes (lignes vides comprises) : découpez-le en plusieurs fichiers.';

describe('CSV limits', () => {
  test('a record over 64 KiB (an open quote far from the header): the import refuses it naming the line and the limit', async () => {
    const lines = Array.from({ length: 3_000 }, (_, i) => `B-${i};1`).join('\n');
    const file = bytes(`reference_bail;dette\n${lines}\nB-X;"${'x'.repeat(70_000)}\n`);
    // The header is fine: the API stores it, the import refuses it.
    expect(precheck(file, 'csv')).toBeUndefined();
    expect(await refusal(file, 'csv')).toBe('La ligne 3002 dépasse 64 Ko (un guillemet jamais refermé ?) : le reste du fichier ne peut pas être lu. '
      + 'Corrigez cette ligne, ou enregistrez à nouveau le fichier au format « CSV UTF-8 ».');
  });

  test('a header over 64 KiB is refused by the API check itself', () => {
    expect(precheck(bytes(`reference_bail;dette;${'x'.repeat(70_000)}\nB-1;1\n`), 'csv')).toMatch(/^La ligne 1 dépasse 64 Ko/);
  });

  test('every physical line counts: 200 000 data lines and one blank line, or lines inside quotes, are over the limit', async () => {
    const data = Array.from({ length: ARREARS_FILE_LIMITS.maxRows }, (_, i) => `B-${i};1`).join('\n');
    const blankAtEnd = bytes(`reference_bail;dette\n${data}\n\n`);
    expect(await refusal(blankAtEnd, 'csv')).toBe(TOO_MANY_ROWS);
    expect(precheck(blankAtEnd, 'csv')).toBe(TOO_MANY_ROWS);
    const quoted = Array.from({ length: 100_001 }, (_, i) => `"B\n${i}";1`).join('\n');
    expect(await refusal(bytes(`reference_bail;dette\n${quoted}\n`), 'csv')).toBe(TOO_MANY_ROWS);
    // Exactly the limit is read.
    let count = 0;
    for await (const batch of arrearsBatches(bytes(`reference_bail;dette\n${data}\n`), 'csv', 50_000)) count += batch.length;
    expect(count).toBe(ARREARS_FILE_LIMITS.maxRows);
  });

  test('a read over its time budget is refused « trop long à lire », naming the budget', async () => {
    const data = Array.from({ length: 2_000 }, (_, i) => `B-${i};1`).join('\n');
    expect(await refusal(bytes(`reference_bail;dette\n${data}\n`), 'csv', { budgetMs: 0 }))
      .toBe('Le fichier est trop long à lire (plus de 0 secondes) : découpez-le en plusieurs fichiers, ou envoyez-le en CSV UTF-8.');
    // The default budget says one minute; pauses are offered to the caller (the activity heartbeats there).
    let pauses = 0;
    for await (const batch of arrearsBatches(bytes(`reference_bail;dette\n${data}\n`), 'csv', 5_000, { onPause: () => pauses++ })) void batch;
    expect(pauses).toBe(4);
  });
});

describe('XLSX limits', () => {
  const BOMB = 'Le classeur dépasse 100 Mo une fois décompressé : découpez-le en plusieurs fichiers, ou envoyez-le en CSV UTF-8.';

  test('a zip bomb (a small archive whose sheet inflates to 120 MB) is refused from its directory, by the API and by the import', async () => {
    const bomb = bombWorkbook(120);
    expect(bomb.length).toBeLessThan(1_000_000);
    expect(precheck(bomb, 'xlsx')).toBe(BOMB);
    expect(await refusal(bomb, 'xlsx')).toBe(BOMB);
  });

  test('a zip bomb whose headers lie (1 byte declared): the API check cannot see it, the import inflates and counts, and refuses it', async () => {
    for (const streamed of [false, true]) {
      const liar = bombWorkbook(120, { lie: true, streamed });
      expect(precheck(liar, 'xlsx')).toBeUndefined();
      expect(await refusal(liar, 'xlsx')).toBe(BOMB);
    }
    // The same walk reads an honest streamed workbook (sizes in data descriptors).
    const rows: unknown[] = [];
    const sheet = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>3</v></c></row>';
    for await (const batch of arrearsBatches(workbookZip(sheet, ['reference_bail', 'dette', 'B-1'], { streamed: true }), 'xlsx', 10)) rows.push(...batch);
    expect(rows).toMatchObject([{ rowNumber: 2, tenancyReference: 'B-1', arrearsCents: 300, status: 'staged' }]);
  });

  test('an archive of more than 1 000 entries, or without a directory, is refused', async () => {
    const many = zipOf(Array.from({ length: 1_001 }, (_, i) => ({ name: `x/${i}.xml`, data: Buffer.from('<a/>') })));
    expect(precheck(many, 'xlsx')).toBe('Le classeur contient plus de 1 000 éléments : enregistrez-le à nouveau ou envoyez-le en CSV UTF-8.');
    const truncated = bombWorkbook(1).subarray(0, 500);
    expect(precheck(truncated, 'xlsx')).toMatch(/^Le classeur \.xlsx est illisible/);
  });

  test('a sheet row numbered past the limit is refused, blank rows and gaps counted (an exceljs workbook)', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Dettes');
    sheet.addRow(['reference_bail', 'dette']);
    sheet.getRow(ARREARS_FILE_LIMITS.maxRows + 2).getCell(1).value = 'B-1';
    const file = new Uint8Array(await book.xlsx.writeBuffer());
    expect(precheck(file, 'xlsx')).toBeUndefined();
    expect(await refusal(file, 'xlsx')).toBe(TOO_MANY_ROWS);
  });

  test('more than 500 000 shared strings is refused', async () => {
    const strings = ['reference_bail', 'dette', ...Array.from({ length: ARREARS_FILE_LIMITS.maxSharedStrings }, (_, i) => `s${i}`)];
    const file = workbookZip('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>', strings);
    expect(await refusal(file, 'xlsx')).toBe('Le classeur contient plus de 500 000 textes différents : découpez-le en plusieurs fichiers, ou envoyez-le en CSV UTF-8.');
    // The same workbook with few strings is read.
    const rows: unknown[] = [];
    for await (const batch of arrearsBatches(workbookZip('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>3</v></c></row>', ['reference_bail', 'dette', 'B-1']), 'xlsx', 10)) rows.push(...batch);
    expect(rows).toMatchObject([{ rowNumber: 2, tenancyReference: 'B-1', arrearsCents: 300, status: 'staged' }]);
  });
});
