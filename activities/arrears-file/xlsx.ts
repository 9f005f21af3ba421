import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { ARREARS_FILE_LIMITS, ArrearsFileError, figure, tooManyRows, type Cell, type FileRecord } from './cells';
import { checkInflatedSize, zipEntries } from './zip';

/** A zip archive (every .xlsx is one) starts with `PK\3\4`. */
export function looksLikeXlsx(content: Uint8Array): boolean {
  return content.length > 4 && content[0] === 0x50 && content[1] === 0x4b && content[2] === 0x03 && content[3] === 0x04;
}

type RichCell = { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: unknown };

function xlsxCell(value: unknown): Cell {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value;
  const rich = value as RichCell;
  if (Array.isArray(rich.richText)) return rich.richText.map((part) => part.text).join('');
  if (rich.result !== undefined) return xlsxCell(rich.result); // a formula: its last computed value
  if (rich.text !== undefined) return xlsxCell(rich.text); // a hyperlink
  return undefined;
}

const NOT_XLSX = 'Le fichier n’est pas un classeur Excel (.xlsx) : enregistrez-le au format .xlsx ou CSV UTF-8.';

/** What the API checks before storing a workbook, and the import before reading it: a zip within the caps. */
export function checkXlsxArchive(content: Uint8Array): void {
  if (!looksLikeXlsx(content)) throw new ArrearsFileError(NOT_XLSX);
  zipEntries(content);
}

const tooManyStrings = () => new ArrearsFileError(
  `Le classeur contient plus de ${figure(ARREARS_FILE_LIMITS.maxSharedStrings)} textes différents : découpez-le en plusieurs fichiers, ou envoyez-le en CSV UTF-8.`,
);

/**
 * Rows of the workbook's first sheet, streamed (a 20 MB workbook is never held as objects). Caps:
 * the zip's directory first, then its entries inflated and counted (zip.ts), then every sheet row counted by its number (blank rows and
 * gaps included, so a single row numbered 1 000 000 is refused at once), then the shared strings
 * (exceljs caches them all before the first row: their count is checked there; their size was
 * bounded by the directory check).
 */
export async function* xlsxRecords(content: Uint8Array): AsyncGenerator<FileRecord> {
  checkXlsxArchive(content);
  await checkInflatedSize(content);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([Buffer.from(content)]), {
    sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', worksheets: 'emit', entries: 'emit',
  });
  try {
    for await (const sheet of reader) {
      let first = true;
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        if (first && ((reader as { sharedStrings?: unknown[] }).sharedStrings?.length ?? 0) > ARREARS_FILE_LIMITS.maxSharedStrings) throw tooManyStrings();
        first = false;
        if (row.number > ARREARS_FILE_LIMITS.maxRows + 1) throw tooManyRows();
        // row.values is 1-based (index 0 empty): cells[0] is column A.
        const values = Array.isArray(row.values) ? row.values.slice(1) : [];
        yield { rowNumber: row.number, cells: values.map(xlsxCell) };
      }
      return; // the first sheet only
    }
  } catch (error) {
    if (error instanceof ArrearsFileError) throw error;
    throw new ArrearsFileError('Le classeur .xlsx est illisible (fichier abîmé ou protégé par un mot de passe) : enregistrez-le à nouveau ou envoyez-le en CSV UTF-8.');
  }
  throw new ArrearsFileError('Le classeur ne contient aucune feuille.');
}
