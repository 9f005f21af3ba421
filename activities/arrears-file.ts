import { ArrearsFileError, blank, cellText, type Cell } from './arrears-file/cells';
import { csvHeader, csvRecords, decodeCsv } from './arrears-file/csv';
import { looksLikeXlsx, xlsxRecords } from './arrears-file/xlsx';

export { ArrearsFileError } from './arrears-file/cells';
export { looksLikeXlsx } from './arrears-file/xlsx';

/**
 * The landlord's arrears file (issue 6, landlord space): CSV (`;` or `,`, UTF-8 with or without
 * BOM) or XLSX (first sheet), French headers read whatever their case and accents:
 * `reference_bail` and `dette` required, `loyer` and `date` optional, other columns ignored.
 * Pure reading and checking: the activities stage what this yields, the API sniffs the header
 * with it before storing anything. The readers are in arrears-file/ (csv.ts: csv-parse; xlsx.ts:
 * exceljs). Every message is French: the landlord's agent reads it.
 */
export const ARREARS_FILE_LIMITS = { maxBytes: 20 * 1024 * 1024, maxRows: 200_000 } as const;

export type ArrearsFileFormat = 'csv' | 'xlsx';

export const ARREARS_FILE_TYPES: Record<ArrearsFileFormat, string> = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

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
 * Every data line of the file, checked, in batches of `size` (the consumer waits once per batch,
 * not per line). Throws ArrearsFileError for a file that cannot be read as a whole (encoding,
 * header, a quote never closed, more than 200 000 lines).
 */
export async function* arrearsBatches(content: Uint8Array, format: ArrearsFileFormat, size: number): AsyncGenerator<ParsedRow[]> {
  const checker = new FileChecker();
  let batch: ParsedRow[] = [];
  for await (const record of format === 'csv' ? csvRecords(content) : xlsxRecords(content)) {
    const row = checker.check(record);
    if (row) batch.push(row);
    if (batch.length >= size) { yield batch; batch = []; }
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
  const header = csvHeader(head);
  if (header) {
    columnsOf(header);
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
