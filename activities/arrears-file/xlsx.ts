import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { ArrearsFileError, type Cell, type FileRecord } from './cells';

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

/** Rows of the workbook's first sheet, streamed (a 20 MB workbook is never held as objects). */
export async function* xlsxRecords(content: Uint8Array): AsyncGenerator<FileRecord> {
  if (!looksLikeXlsx(content)) throw new ArrearsFileError('Le fichier n’est pas un classeur Excel (.xlsx) : enregistrez-le au format .xlsx ou CSV UTF-8.');
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([Buffer.from(content)]), {
    sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', worksheets: 'emit', entries: 'emit',
  });
  try {
    for await (const sheet of reader) {
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
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
