import { CsvError, parse } from 'csv-parse/sync';
import { words, type CaseloadLine } from '../../domain/caseload/normalise';
import { AppError, ValidationError } from '../errors';

/** Bounds of a caseload file: a partner follows hundreds of households, not hundreds of thousands. */
export const CASELOAD_FILE_LIMITS = { maxBytes: 2 * 1024 * 1024, maxLines: 20_000, maxRecordBytes: 4 * 1024 } as const;

export const CASELOAD_FILE_TYPE = 'text/csv';

/** The columns, by their header as words (case and accents ignored): the same field may be headed several ways. */
const COLUMNS: Record<keyof CaseloadLine, readonly string[]> = {
  surname: ['nom', 'nom de famille', 'nom usage', 'nom d usage'],
  firstName: ['prenom', 'prenoms'],
  address: ['adresse', 'adresse postale'],
  birthDate: ['date de naissance', 'date naissance', 'naissance', 'ddn'],
};

const fileError = (message: string) => new ValidationError([{ field: 'fichier', message }], message);

export const caseloadFileTooLarge = () =>
  new AppError(413, 'payload_too_large', `Le fichier dépasse ${CASELOAD_FILE_LIMITS.maxBytes / 1024 / 1024} Mo : une liste de ménages suivis tient dans bien moins.`);

/**
 * The lines of a caseload CSV, read in memory from the request and never written anywhere
 * (docs/privacy/caseload-lists.md): csv-parse as for the arrears files (docs/decisions/0007-csv-parse.md),
 * `;` or `,`, UTF-8 with or without BOM. Errors name line numbers only, never a cell's content.
 */
export function readCaseloadFile(content: Uint8Array): { lines: { number: number; line: CaseloadLine }[]; blankLines: number } {
  if (content.length > CASELOAD_FILE_LIMITS.maxBytes) throw caseloadFileTooLarge();
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(content);
  } catch {
    throw fileError('Le fichier n’est pas encodé en UTF-8 : dans votre tableur, enregistrez-le au format « CSV UTF-8 ».');
  }
  const firstBreak = text.indexOf('\n');
  const delimiter = text.slice(0, firstBreak === -1 ? text.length : firstBreak).includes(';') ? ';' : ',';
  let records: string[][];
  try {
    records = parse(text, {
      delimiter, bom: true, record_delimiter: ['\r\n', '\n'], relax_column_count: true, relax_quotes: true,
      skip_empty_lines: false, max_record_size: CASELOAD_FILE_LIMITS.maxRecordBytes,
      to_line: CASELOAD_FILE_LIMITS.maxLines + 2,
    }) as string[][];
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (typeof error.records === 'number' ? error.records : 0) + 1;
      throw fileError(`Le fichier CSV est illisible à la ligne ${line} : enregistrez-le à nouveau au format « CSV UTF-8 ».`);
    }
    throw error;
  }
  if (records.length > CASELOAD_FILE_LIMITS.maxLines + 1) {
    throw fileError(`Le fichier dépasse ${CASELOAD_FILE_LIMITS.maxLines.toLocaleString('fr-FR')} lignes : une liste de ménages suivis tient dans bien moins.`);
  }
  const [header, ...rows] = records;
  const headings = (header ?? []).map((cell) => words(cell).join(' '));
  const index = Object.fromEntries(Object.entries(COLUMNS).map(([field, names]) => [field, headings.findIndex((h) => names.includes(h))])) as Record<keyof CaseloadLine, number>;
  const missing = (['surname', 'firstName', 'address'] as const).filter((field) => index[field] === -1);
  if (missing.length > 0) {
    throw fileError('La première ligne doit nommer les colonnes « nom », « prénom » et « adresse » (et, si vous la connaissez, « date de naissance ») : '
      + `colonne${missing.length > 1 ? 's' : ''} absente${missing.length > 1 ? 's' : ''} : ${missing.map((f) => `« ${COLUMNS[f][0]!.replace('prenom', 'prénom')} »`).join(', ')}.`);
  }
  const lines: { number: number; line: CaseloadLine }[] = [];
  let blankLines = 0;
  rows.forEach((row, i) => {
    const cell = (field: keyof CaseloadLine) => (index[field] === -1 ? '' : (row[index[field]] ?? '').trim());
    if (row.every((c) => c.trim() === '')) {
      blankLines++;
      return;
    }
    const birthDate = cell('birthDate');
    lines.push({ number: i + 2, line: { surname: cell('surname'), firstName: cell('firstName'), address: cell('address'), ...(birthDate && { birthDate }) } });
  });
  return { lines, blankLines };
}
