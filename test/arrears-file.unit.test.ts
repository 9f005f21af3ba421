import { ArrearsFileError, arrearsBatches, checkFileBeforeImport, type ParsedRow } from '../activities/arrears-file';
import { csvHeader } from '../activities/arrears-file/csv';

const bytes = (text: string) => new TextEncoder().encode(text);

async function readCsv(text: string | Uint8Array, size = 1000): Promise<ParsedRow[]> {
  const rows: ParsedRow[] = [];
  for await (const batch of arrearsBatches(typeof text === 'string' ? bytes(text) : text, 'csv', size)) rows.push(...batch);
  return rows;
}

async function refusal(text: string | Uint8Array): Promise<string> {
  try {
    await readCsv(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ArrearsFileError);
    return (error as Error).message;
  }
  throw new Error('the file was read');
}

describe('arrears file, CSV reader (csv-parse)', () => {
  test('a `;` file with BOM and CRLF: quotes, doubled quotes, a line break inside quotes, blank lines; lines numbered as the spreadsheet shows them', async () => {
    const rows = await readCsv(
      '\ufeffRéférence bail;Dette;Loyer;Date\r\n'
      + 'BAIL-1;1 650,50 €;650;31/01/2027\r\n'
      + '\r\n'
      + '"BAIL 2";"12,5";;\r\n'
      + '"BAIL ""3""";10;650;\r\n'
      + '"BAIL\r\n4";10\r\n'
      + 'BAIL-5;-3\n',
    );
    expect(rows.map((r) => [r.rowNumber, r.tenancyReference, r.arrearsCents, r.monthlyRentCents, r.status])).toEqual([
      [2, 'BAIL-1', 165050, 65000, 'staged'],
      [4, 'BAIL 2', 1250, null, 'staged'],
      [5, 'BAIL "3"', 1000, 65000, 'invalid'],
      [6, 'BAIL\r\n4', 1000, null, 'invalid'],
      [7, 'BAIL-5', null, null, 'invalid'],
    ]);
    expect(rows[4]!.error).toBe('La dette doit être positive ou nulle.');
  });

  test('a `,` file (no `;` in the header) with quoted decimals; a stray quote inside a cell is text', async () => {
    const rows = await readCsv('reference_bail,dette\nB-1,"1650,50"\nB"2,10\n');
    expect(rows.map((r) => [r.tenancyReference, r.arrearsCents, r.status])).toEqual([['B-1', 165050, 'staged'], ['B"2', 1000, 'invalid']]);
  });

  test('rows come in batches of the asked size', async () => {
    const lines = Array.from({ length: 25 }, (_, i) => `B-${i};${i}`);
    const batches: number[] = [];
    for await (const batch of arrearsBatches(bytes(`reference_bail;dette\n${lines.join('\n')}\n`), 'csv', 10)) batches.push(batch.length);
    expect(batches).toEqual([10, 10, 5]);
  });

  test('a quote never closed, followed by 60 000 line breaks: refused in French, naming the line (read in one linear pass)', async () => {
    const message = await refusal(`reference_bail;dette\nBAIL-1;10\nBAIL-2;"${'\n'.repeat(60_000)}`);
    expect(message).toBe('Un guillemet (") ouvert à la ligne 3 n’est jamais refermé : le reste du fichier ne peut pas être lu. '
      + 'Corrigez cette ligne, ou enregistrez à nouveau le fichier au format « CSV UTF-8 ».');
  });

  test('a file that is not UTF-8, an empty file, a file without the required columns: refused in French', async () => {
    expect(await refusal(new Uint8Array([0x72, 0x65, 0x66, 0x3b, 0xe9, 0x0a]))).toMatch(/^Le fichier n’est pas encodé en UTF-8/);
    expect(await refusal('\n\n')).toMatch(/^Le fichier est vide/);
    expect(await refusal('bail;montant\nB-1;10\n')).toMatch(/^Colonnes obligatoires absentes : reference_bail \(référence du bail\), dette \(en euros\)\./);
  });

  test('more than 200 000 lines: refused', async () => {
    const lines = Array.from({ length: 200_001 }, (_, i) => `B-${i};1`);
    expect(await refusal(`reference_bail;dette\n${lines.join('\n')}`)).toBe('Le fichier compte plus de 200 000 lignes (lignes vides comprises) : découpez-le en plusieurs fichiers.');
  });
});

describe('arrears file, checked before it is stored', () => {
  test('the header is the first non-blank record; what follows it does not matter (a quote left open further down included)', () => {
    // The delimiter is read from the very first line (here blank: `,`).
    expect(csvHeader('\n,\n"reference_bail",dette\nB-1,"10\n')).toEqual(['reference_bail', 'dette']);
    expect(() => checkFileBeforeImport(bytes('\ufeffreference_bail;dette\nB-1;"10\n'), 'csv')).not.toThrow();
    expect(() => checkFileBeforeImport(bytes('reference_bail,dette,loyer\r\n'), 'csv')).not.toThrow();
  });

  test('a header that cannot be read, or without the required columns, is refused in French', () => {
    expect(() => checkFileBeforeImport(bytes('"reference_bail;dette\n\n\n'), 'csv')).toThrow(/^Un guillemet \("\) ouvert à la ligne 1 n’est jamais refermé/);
    expect(() => checkFileBeforeImport(bytes('reference_bail;loyer\n'), 'csv')).toThrow(new ArrearsFileError(
      'Colonne obligatoire absente : dette (en euros). La première ligne du fichier doit être l’en-tête : reference_bail, dette et, si vous le souhaitez, loyer et date. '
      + 'La première ligne contient : « reference_bail », « loyer ».',
    ));
    expect(() => checkFileBeforeImport(bytes('\n\n'), 'csv')).toThrow(/^Le fichier est vide/);
  });
});
