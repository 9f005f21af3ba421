import { ARREARS_FILE_LIMITS, ArrearsFileError, blank, cellText, figure, tooManyRows, type Cell } from './arrears-file/cells';
import { checkCsvLines, csvHeader, csvLines, csvRecords, decodeCsv, recordTooLong } from './arrears-file/csv';
import { checkXlsxArchive, looksLikeXlsx, xlsxRecords } from './arrears-file/xlsx';

export { ARREARS_FILE_LIMITS, ArrearsFileError } from './arrears-file/cells';
export { looksLikeXlsx } from './arrears-file/xlsx';

/**
 * The landlord's arrears file (issue 6, landlord space): CSV (`;` or `,`, UTF-8 with or without
 * BOM) or XLSX (first sheet), French headers read whatever their case and accents:
 * `reference_bail` and `dette` required, `loyer` and `date` optional, other columns ignored.
 * Pure reading and checking: the activities stage what this yields, the API sniffs the header
 * with it before storing anything. The readers are in arrears-file/ (csv.ts: csv-parse; xlsx.ts:
 * exceljs). Every message is French: the landlord's agent reads it.
 */
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

  check(record: { rowNumber: number; cells: readonly Cell[] }): ParsedRow | undefined {
    // Every line counts, blank or not (the readers refuse sooner; this holds whatever the reader).
    if (record.rowNumber > ARREARS_FILE_LIMITS.maxRows + 1) throw tooManyRows();
    if (blank(record.cells)) return undefined;
    if (!this.columns) {
      this.columns = columnsOf(record.cells);
      return undefined;
    }
    return checkRow(record.rowNumber, record.cells, this.columns, this.seen);
  }

  end(): void {
    if (!this.columns) throw new ArrearsFileError('Le fichier est vide : la première ligne doit être l’en-tête (reference_bail, dette…), suivie d’une ligne par bail.');
  }
}

export interface ReadOptions {
  /** Reading time allowed (time spent between two batches handed over, not the consumer's). */
  budgetMs?: number;
  /** Called at each pause: the activity heartbeats there, so a long read is not taken for a dead worker. */
  onPause?: () => void;
}

/** Records read between two pauses. */
const PAUSE_EVERY = 500;

const tooLong = (budgetMs: number) => new ArrearsFileError(
  `Le fichier est trop long à lire (plus de ${figure(Math.round(budgetMs / 1000))} secondes) : découpez-le en plusieurs fichiers, ou envoyez-le en CSV UTF-8.`,
);

/**
 * Every data line of the file, checked, in batches of `size` (the consumer waits once per batch,
 * not per line). Throws ArrearsFileError for a file that cannot be read as a whole (encoding,
 * header, a quote never closed, a line over 64 KiB, more than 200 000 lines, a workbook over its
 * caps, a read over its time budget).
 *
 * Off the event loop, by pausing rather than by a worker thread: every step between two records is
 * bounded (a CSV record by 64 KiB, a sheet by the zip's directory caps; inflating is zlib's, off
 * the thread), so a pause (setImmediate) every 500 records lets timers, heartbeats and the other
 * activities run, and the time budget is checked there. A worker thread would also bound a single
 * step, but would copy the file and need the readers compiled for it; the caps make it unneeded.
 */
export async function* arrearsBatches(content: Uint8Array, format: ArrearsFileFormat, size: number, options: ReadOptions = {}): AsyncGenerator<ParsedRow[]> {
  const budgetMs = options.budgetMs ?? ARREARS_FILE_LIMITS.parseBudgetMs;
  const checker = new FileChecker();
  let batch: ParsedRow[] = [];
  let spent = 0;
  let since = performance.now();
  let records = 0;
  for await (const record of format === 'csv' ? csvRecords(content) : xlsxRecords(content)) {
    if (++records % PAUSE_EVERY === 0) {
      spent += performance.now() - since;
      if (spent >= budgetMs) throw tooLong(budgetMs);
      await new Promise((resolve) => setImmediate(resolve));
      options.onPause?.();
      since = performance.now();
    }
    const row = checker.check(record);
    if (row) batch.push(row);
    if (batch.length >= size) {
      spent += performance.now() - since;
      yield batch;
      since = performance.now();
      batch = [];
    }
  }
  checker.end();
  if (batch.length) yield batch;
}

/** An upper bound of the data lines of a CSV (its line breaks), for the progress bar. */
export function estimatedRows(content: Uint8Array, format: ArrearsFileFormat): number {
  return format === 'csv' ? Math.max(0, csvLines(content) - 1) : 0;
}

/**
 * What the API checks before storing anything: a CSV must be UTF-8 with the required header and at
 * most 200 000 lines; an XLSX must be a zip archive within the caps of its directory (its sheet is
 * read by the import itself). Bounded like the import's reading, but synchronous: a pass over the
 * bytes for the line breaks, the first 64 KiB parsed, or the zip's directory (1 000 entries at most).
 */
export function checkFileBeforeImport(content: Uint8Array, format: ArrearsFileFormat): void {
  if (content.length === 0) throw new ArrearsFileError('Le fichier est vide.');
  if (format === 'xlsx') {
    checkXlsxArchive(content);
    return;
  }
  if (looksLikeXlsx(content)) throw new ArrearsFileError('Le fichier envoyé comme CSV est un classeur Excel : envoyez-le comme .xlsx, ou enregistrez-le au format « CSV UTF-8 ».');
  checkCsvLines(content);
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
  // No line break in the first 64 KiB of a longer file: the first line alone is over the limit.
  throw recordTooLong(1);
}
