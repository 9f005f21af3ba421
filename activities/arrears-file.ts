import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';

/**
 * The landlord's arrears file (issue 6, landlord space): CSV (`;` or `,`, UTF-8 with or without
 * BOM) or XLSX (first sheet), French headers read whatever their case and accents:
 * `reference_bail` and `dette` required, `loyer` and `date` optional, other columns ignored.
 * Pure reading and checking: the activities stage what this yields, the API sniffs the header
 * with it before storing anything. Every message is French: the landlord's agent reads it.
 */
export const ARREARS_FILE_LIMITS = { maxBytes: 20 * 1024 * 1024, maxRows: 200_000 } as const;

export type ArrearsFileFormat = 'csv' | 'xlsx';

export const ARREARS_FILE_TYPES: Record<ArrearsFileFormat, string> = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** The whole file cannot be read (encoding, columns, size): the import fails with this message. */
export class ArrearsFileError extends Error {}

type Cell = string | number | boolean | Date | null | undefined;

const COLUMNS = {
  reference_bail: { required: true, label: 'reference_bail (référence du bail)' },
  dette: { required: true, label: 'dette (en euros)' },
  loyer: { required: false, label: 'loyer' },
  date: { required: false, label: 'date' },
} as const;
type Column = keyof typeof COLUMNS;
export type Columns = Partial<Record<Column, number>>;

/** `Référence bail`, `REFERENCE_BAIL`, ` référence-bail ` all read `reference_bail`. */
export function normaliseHeader(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').trim().toLowerCase().replace(/[\s-]+/g, '_');
}

/** Where each known column is; refuses a header without the required ones (or with one twice). */
export function columnsOf(header: readonly Cell[]): Columns {
  const columns: Columns = {};
  const found: string[] = [];
  header.forEach((cell, index) => {
    const name = normaliseHeader(cellText(cell));
    if (!name) return;
    found.push(name);
    if (!(name in COLUMNS)) return;
    if (columns[name as Column] !== undefined) throw new ArrearsFileError(`La colonne « ${name} » figure deux fois dans l’en-tête.`);
    columns[name as Column] = index;
  });
  const missing = (Object.keys(COLUMNS) as Column[]).filter((c) => COLUMNS[c].required && columns[c] === undefined);
  if (missing.length) {
    const seen = found.length ? ` La première ligne contient : ${found.slice(0, 8).map((n) => `« ${n} »`).join(', ')}${found.length > 8 ? '…' : ''}.` : '';
    throw new ArrearsFileError(
      `Colonne${missing.length > 1 ? 's' : ''} obligatoire${missing.length > 1 ? 's' : ''} absente${missing.length > 1 ? 's' : ''} : ${missing.map((c) => COLUMNS[c].label).join(', ')}. `
      + `La première ligne du fichier doit être l’en-tête : reference_bail, dette et, si vous le souhaitez, loyer et date.${seen}`,
    );
  }
  return columns;
}

function cellText(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  return String(cell).trim();
}

export interface ParsedRow {
  /** The line as the spreadsheet numbers it (the header is line 1). */
  rowNumber: number;
  tenancyReference: string | null;
  arrearsCents: number | null;
  monthlyRentCents: number | null;
  /** `staged`: valid, to be matched to a household; `invalid`: `error` says why. */
  status: 'staged' | 'invalid';
  error: string | null;
}

const REFERENCE = /^[\p{L}\p{N} ._/-]{1,64}$/u;
const MAX_EUROS = 1_000_000;

/** An amount column as people name it: « dette illisible », « la dette doit être positive ou nulle ». */
interface Amount { name: string; the: string; positive: boolean; sign: string }
const DEBT: Amount = { name: 'dette', the: 'la dette', positive: false, sign: 'doit être positive ou nulle' };
const RENT: Amount = { name: 'loyer', the: 'le loyer', positive: true, sign: 'doit être supérieur à 0' };

/** Euros as cents: 1650,50 · 1650.5 · « 1 650,50 € » · a number cell. A string is the reason it is not. */
export function euroCents(cell: Cell, amount: Amount): number | string {
  let euros: number;
  if (typeof cell === 'number') {
    euros = cell;
  } else {
    const raw = cellText(cell);
    const text = /^\d+(?:[.,]\d+)?$/.test(raw) ? raw : raw.replace(/[\s\u00a0\u202f€]/g, '');
    if (!/^-?\d+([.,]\d+)?$/.test(text)) return `${amount.name} illisible : « ${cellText(cell).slice(0, 30)} » (exemple : 1650,50)`;
    euros = Number(text.replace(',', '.'));
  }
  if (!Number.isFinite(euros)) return `${amount.name} illisible`;
  const cents = Math.round(euros * 100);
  if (Math.abs(euros * 100 - cents) > 1e-6) return `${amount.the} a plus de deux décimales`;
  if (amount.positive ? cents <= 0 : cents < 0) return `${amount.the} ${amount.sign}`;
  if (euros > MAX_EUROS) return `${amount.the} dépasse 1 000 000 € : vérifiez le montant`;
  return cents;
}

function isDate(cell: Cell): boolean {
  if (cell instanceof Date) return !Number.isNaN(cell.getTime());
  if (typeof cell === 'number') return cell > 0 && cell < 2_958_466; // an Excel serial day
  const text = cellText(cell);
  const french = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const [d, m, y] = french ? [french[1], french[2], french[3]] : iso ? [iso[3], iso[2], iso[1]] : [];
  if (!d || !m || !y) return false;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return date.getUTCDate() === Number(d) && date.getUTCMonth() === Number(m) - 1;
}

/**
 * One data line checked: every problem of the line in one French message. `seen` remembers the
 * references already read, so that a tenancy listed twice is refused (which figure would win?).
 */
export function checkRow(rowNumber: number, cells: readonly Cell[], columns: Columns, seen: Map<string, number>): ParsedRow {
  const at = (column: Column) => (columns[column] === undefined ? undefined : cells[columns[column]!]);
  const problems: string[] = [];
  const reference = cellText(at('reference_bail'));
  if (!reference) problems.push('référence du bail absente');
  else if (!REFERENCE.test(reference)) problems.push('référence du bail invalide (au plus 64 lettres, chiffres, espaces et . _ / -)');
  else if (seen.has(reference)) problems.push(`référence du bail déjà présente à la ligne ${seen.get(reference)} (une seule ligne par bail)`);
  const arrearsCell = at('dette');
  const arrears = cellText(arrearsCell) === '' ? 'dette absente' : euroCents(arrearsCell, DEBT);
  if (typeof arrears === 'string') problems.push(arrears);
  const rentCell = at('loyer');
  const rent = cellText(rentCell) === '' ? null : euroCents(rentCell, RENT);
  if (typeof rent === 'string') problems.push(rent);
  const dateCell = at('date');
  if (cellText(dateCell) !== '' && !isDate(dateCell ?? null)) problems.push(`date illisible : « ${cellText(dateCell).slice(0, 20)} » (exemple : 31/01/2027)`);
  if (reference && REFERENCE.test(reference) && !seen.has(reference)) seen.set(reference, rowNumber);
  const message = problems.length ? `${problems.join(' ; ')}.` : null;
  return {
    rowNumber,
    tenancyReference: reference ? reference.slice(0, 200) : null,
    arrearsCents: typeof arrears === 'number' ? arrears : null,
    monthlyRentCents: typeof rent === 'number' ? rent : null,
    status: message ? 'invalid' : 'staged',
    error: message ? message.charAt(0).toUpperCase() + message.slice(1) : null,
  };
}

/** The file's text: UTF-8 only (with or without BOM), which is what « CSV UTF-8 » exports give. */
export function decodeCsv(content: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(content);
  } catch {
    throw new ArrearsFileError('Le fichier n’est pas encodé en UTF-8 : dans votre tableur, enregistrez-le au format « CSV UTF-8 », ou envoyez le classeur .xlsx.');
  }
}

/** Records of a CSV text (quotes, doubled quotes, line breaks inside quotes), with their line numbers. */
export function* csvRecords(text: string): Generator<{ rowNumber: number; cells: string[] }> {
  const firstBreak = text.indexOf('\n');
  // The header decides: French spreadsheets write `;` (their decimal point is a comma).
  const delimiter = text.slice(0, firstBreak === -1 ? text.length : firstBreak).includes(';') ? ';' : ',';
  let position = 0;
  let rowNumber = 1;
  while (position < text.length) {
    let line = nextLine();
    // A quoted field may hold line breaks: the record goes on until its quotes are balanced.
    if (line.includes('"')) {
      while (quoteCount(line) % 2 === 1 && position < text.length) line += `\n${nextLine()}`;
      yield { rowNumber, cells: quotedCells(line, delimiter) };
    } else {
      // The common case, a line without quotes: the engine's split is the fastest reader there is.
      yield { rowNumber, cells: line.split(delimiter) };
    }
    rowNumber++;
  }

  function nextLine(): string {
    let end = text.indexOf('\n', position);
    if (end === -1) end = text.length;
    const line = text.slice(position, text[end - 1] === '\r' ? end - 1 : end);
    position = end + 1;
    return line;
  }
}

function quoteCount(line: string): number {
  let count = 0;
  for (let i = line.indexOf('"'); i !== -1; i = line.indexOf('"', i + 1)) count++;
  return count;
}

function quotedCells(record: string, delimiter: string): string[] {
  const cells: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < record.length; i++) {
    const char = record[i]!;
    if (quoted) {
      if (char !== '"') field += char;
      else if (record[i + 1] === '"') { field += '"'; i++; }
      else quoted = false;
    } else if (char === '"' && field === '') quoted = true;
    else if (char === delimiter) { cells.push(field); field = ''; }
    else field += char;
  }
  cells.push(field);
  return cells;
}

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
export async function* xlsxRecords(content: Uint8Array): AsyncGenerator<{ rowNumber: number; cells: Cell[] }> {
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

const blank = (cells: readonly Cell[]) => cells.every((cell) => cellText(cell) === '');

/** Reads the header, then checks each data line; blank lines are skipped. */
class FileChecker {
  private columns: Columns | undefined;
  private readonly seen = new Map<string, number>();
  private count = 0;

  check(record: { rowNumber: number; cells: readonly Cell[] }): ParsedRow | undefined {
    if (blank(record.cells)) return undefined;
    if (!this.columns) {
      this.columns = columnsOf(record.cells);
      return undefined;
    }
    if (++this.count > ARREARS_FILE_LIMITS.maxRows) {
      throw new ArrearsFileError(`Le fichier compte plus de ${ARREARS_FILE_LIMITS.maxRows.toLocaleString('fr-FR')} lignes : découpez-le en plusieurs fichiers.`);
    }
    return checkRow(record.rowNumber, record.cells, this.columns, this.seen);
  }

  end(): void {
    if (!this.columns) throw new ArrearsFileError('Le fichier est vide : la première ligne doit être l’en-tête (reference_bail, dette…), suivie d’une ligne par bail.');
  }
}

/**
 * Every data line of the file, checked, in batches of `size` (one promise per batch, not per
 * line: a 100 000-line CSV is read synchronously between writes). Throws ArrearsFileError for a
 * file that cannot be read as a whole (encoding, header, more than 200 000 lines).
 */
export async function* arrearsBatches(content: Uint8Array, format: ArrearsFileFormat, size: number): AsyncGenerator<ParsedRow[]> {
  const checker = new FileChecker();
  let batch: ParsedRow[] = [];
  if (format === 'csv') {
    for (const record of csvRecords(decodeCsv(content))) {
      const row = checker.check(record);
      if (row) batch.push(row);
      if (batch.length >= size) { yield batch; batch = []; }
    }
  } else {
    for await (const record of xlsxRecords(content)) {
      const row = checker.check(record);
      if (row) batch.push(row);
      if (batch.length >= size) { yield batch; batch = []; }
    }
  }
  checker.end();
  if (batch.length) yield batch;
}

/** An upper bound of the data lines of a CSV (its line breaks), for the progress bar. */
export function estimatedRows(content: Uint8Array, format: ArrearsFileFormat): number {
  if (format !== 'csv') return 0;
  let lines = 0;
  for (let i = 0; i < content.length; i++) if (content[i] === 0x0a) lines++;
  if (content.length && content[content.length - 1] !== 0x0a) lines++;
  return Math.max(0, lines - 1);
}

/**
 * What the API checks before storing anything: a CSV must be UTF-8 with the required header; an
 * XLSX must at least be a zip archive (its sheet is read by the import itself).
 */
export function checkFileBeforeImport(content: Uint8Array, format: ArrearsFileFormat): void {
  if (content.length === 0) throw new ArrearsFileError('Le fichier est vide.');
  if (format === 'xlsx') {
    if (!looksLikeXlsx(content)) throw new ArrearsFileError('Le fichier n’est pas un classeur Excel (.xlsx) : enregistrez-le au format .xlsx ou CSV UTF-8.');
    return;
  }
  if (looksLikeXlsx(content)) throw new ArrearsFileError('Le fichier envoyé comme CSV est un classeur Excel : envoyez-le comme .xlsx, ou enregistrez-le au format « CSV UTF-8 ».');
  // Only the beginning: the header line (a multi-byte character cut at the end is not an encoding error).
  const head = decodeCsv(content.subarray(0, Math.min(content.length, 64 * 1024)).subarray(0, lastLineBreak(content)));
  for (const record of csvRecords(head)) {
    if (blank(record.cells)) continue;
    columnsOf(record.cells);
    return;
  }
  throw new ArrearsFileError('Le fichier est vide : la première ligne doit être l’en-tête (reference_bail, dette…), suivie d’une ligne par bail.');
}

function lastLineBreak(content: Uint8Array): number {
  const limit = Math.min(content.length, 64 * 1024);
  if (limit === content.length) return limit;
  for (let i = limit - 1; i >= 0; i--) if (content[i] === 0x0a) return i + 1;
  return limit;
}
