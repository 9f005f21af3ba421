/** What the CSV and XLSX readers share with the checks of activities/arrears-file.ts. */

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
