import { Readable } from 'node:stream';
import { CsvError, parse, type Options } from 'csv-parse';
import { CsvError as CsvSyncError, parse as parseSync } from 'csv-parse/sync';
import { ARREARS_FILE_LIMITS, ArrearsFileError, blank, figure, tooManyRows, type FileRecord } from './cells';

/**
 * CSV reading with csv-parse (docs/decisions/0007-csv-parse.md): RFC 4180 quotes (doubled quotes,
 * line breaks inside quotes), `;` or `,`, UTF-8 with or without BOM, `\r\n` or `\n`. Linear
 * whatever the file: a quote never closed is reported, not searched for at each line break.
 */

/** The file's text: UTF-8 only (with or without BOM), which is what « CSV UTF-8 » exports give. */
export function decodeCsv(content: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(content);
  } catch {
    throw new ArrearsFileError('Le fichier n’est pas encodé en UTF-8 : dans votre tableur, enregistrez-le au format « CSV UTF-8 », ou envoyez le classeur .xlsx.');
  }
}

/** The header decides: French spreadsheets write `;` (their decimal point is a comma). */
export function csvDelimiter(text: string): ';' | ',' {
  const firstBreak = text.indexOf('\n');
  return text.slice(0, firstBreak === -1 ? text.length : firstBreak).includes(';') ? ';' : ',';
}

function csvOptions(delimiter: string): Options {
  return {
    delimiter,
    bom: true,
    record_delimiter: ['\r\n', '\n'],
    // As spreadsheets write them, and as the checks want them: lines of any length (a missing
    // optional column is empty), a stray quote inside an unquoted cell kept as text, blank lines
    // kept (they count in the line numbers; the checks skip them).
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    // One record at most 64 KiB: a quote left open cannot swallow the rest of a 20 MB file.
    max_record_size: ARREARS_FILE_LIMITS.maxRecordBytes,
  };
}

export const recordTooLong = (rowNumber: number) => new ArrearsFileError(
  `La ligne ${rowNumber} dépasse ${figure(ARREARS_FILE_LIMITS.maxRecordBytes / 1024)} Ko (un guillemet jamais refermé ?) : le reste du fichier ne peut pas être lu. `
  + 'Corrigez cette ligne, ou enregistrez à nouveau le fichier au format « CSV UTF-8 ».',
);

/** csv-parse's error as the landlord's agent reads it; `rowNumber` is the record being read. */
function fileError(error: unknown): unknown {
  // Each entry point of the package (CommonJS build) has its own CsvError class.
  if (!(error instanceof CsvError || error instanceof CsvSyncError)) return error;
  const rowNumber = (typeof error.records === 'number' ? error.records : 0) + 1;
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
    return new ArrearsFileError(
      `Un guillemet (") ouvert à la ligne ${rowNumber} n’est jamais refermé : le reste du fichier ne peut pas être lu. `
      + 'Corrigez cette ligne, ou enregistrez à nouveau le fichier au format « CSV UTF-8 ».',
    );
  }
  if (error.code === 'CSV_MAX_RECORD_SIZE') return recordTooLong(rowNumber);
  return new ArrearsFileError(`Le fichier CSV est illisible à la ligne ${rowNumber} : enregistrez-le à nouveau au format « CSV UTF-8 », ou envoyez le classeur .xlsx.`);
}

const CHUNK_BYTES = 64 * 1024;

/** Physical lines of a CSV (its line breaks, and a last line without one): one linear pass. */
export function csvLines(content: Uint8Array): number {
  let lines = 0;
  for (let i = content.indexOf(0x0a); i !== -1; i = content.indexOf(0x0a, i + 1)) lines++;
  return content.length && content[content.length - 1] !== 0x0a ? lines + 1 : lines;
}

/** Every physical line counts against the limit (blank ones, and those inside quotes): the header and 200 000 more. */
export function checkCsvLines(content: Uint8Array): void {
  if (csvLines(content) > ARREARS_FILE_LIMITS.maxRows + 1) throw tooManyRows();
}

/**
 * Records of a CSV file with their line numbers (the header is line 1; a record spanning several
 * lines inside quotes is one line, as the spreadsheet shows it). Streamed by chunks of 64 KiB: a
 * 20 MB file is never held as 200 000 arrays. Refuses a file that is not UTF-8 before any record.
 */
export async function* csvRecords(content: Uint8Array): AsyncGenerator<FileRecord<string>> {
  checkCsvLines(content);
  const delimiter = csvDelimiter(decodeCsv(content));
  const chunks = function* () {
    for (let start = 0; start < content.length; start += CHUNK_BYTES) yield Buffer.from(content.buffer, content.byteOffset + start, Math.min(CHUNK_BYTES, content.length - start));
  };
  const parser = Readable.from(chunks()).pipe(parse(csvOptions(delimiter)));
  let rowNumber = 0;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) yield { rowNumber: ++rowNumber, cells };
  } catch (error) {
    throw fileError(error);
  }
}

/** The first non-blank record of a CSV text (its header), or undefined for a blank text. */
export function csvHeader(text: string): string[] | undefined {
  let header: string[] | undefined;
  try {
    parseSync(text, {
      ...csvOptions(csvDelimiter(text)),
      on_record: (cells: string[]) => {
        if (!header && !blank(cells)) header = cells;
        return null;
      },
    });
  } catch (error) {
    // The text may be the beginning of the file only: what follows the header does not matter here.
    if (!header) throw fileError(error);
  }
  return header;
}
