/** What the CSV and XLSX readers share with the checks of activities/arrears-file.ts. */

/**
 * What a file may be (issue 13, item 5: hostile files are refused fast, never block the worker).
 * `maxRows` counts every physical line or sheet row, blank ones included; `maxRecordBytes` is one
 * CSV record (a quote left open swallows the lines after it); the XLSX caps are read from the
 * zip's central directory before anything is inflated; `parseBudgetMs` is the reading time.
 */
export const ARREARS_FILE_LIMITS = {
  maxBytes: 20 * 1024 * 1024,
  maxRows: 200_000,
  maxRecordBytes: 64 * 1024,
  maxUncompressedBytes: 100_000_000,
  maxZipEntries: 1_000,
  maxSharedStrings: 500_000,
  parseBudgetMs: 60_000,
} as const;

/** French thousands (`200 000`), with an ordinary space for messages and tests alike. */
export const figure = (n: number) => n.toLocaleString('fr-FR').replace(/[\u00a0\u202f]/g, ' ');

export const tooManyRows = () => new ArrearsFileError(
  `Le fichier compte plus de ${figure(ARREARS_FILE_LIMITS.maxRows)} lignes (lignes vides comprises) : découpez-le en plusieurs fichiers.`,
);

/** The whole file cannot be read (encoding, columns, size): the import fails with this message. */
export class ArrearsFileError extends Error {}

export type Cell = string | number | boolean | Date | null | undefined;

/** A record of the file as its reader yields it: the line as the spreadsheet numbers it, its cells. */
export interface FileRecord<C extends Cell = Cell> { rowNumber: number; cells: C[] }

export function cellText(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  return String(cell).trim();
}

export const blank = (cells: readonly Cell[]) => cells.every((cell) => cellText(cell) === '');
