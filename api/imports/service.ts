import { randomUUID } from 'node:crypto';
import type { ArrearsImport } from '../../generated/prisma/client';
import {
  ARREARS_FILE_LIMITS, ArrearsFileError, checkFileBeforeImport, looksLikeXlsx, type ArrearsFileFormat,
} from '../../activities/arrears-file';
import { NIL_UUID } from '../access/permissions';
import type { Principal } from '../auth/principal';
import type { ApiContext } from '../context';
import { importTaskQueue } from '../../lib/temporal';
import { AppError, ForbiddenError, NotFoundError, UnavailableError, ValidationError } from '../errors';
import { importIdParam } from './schemas';

/** The import's workflow (workflows/jobs/arrears-import.ts): one per import, so a repeated start is refused by Temporal. */
export const arrearsImportWorkflowId = (importId: string) => `arrears-import-${importId}`;

const START_DEADLINE_MS = 10_000;
/** Lines of the error report per page (JSON and pages). */
export const ERRORS_PAGE_SIZE = 50;

export interface NewImport {
  /** The coordination names the landlord; an agent's own landlord is used (another one is refused). */
  landlordId?: string;
  fileName?: string;
  /** From the request's Content-Type (API) or the file's first bytes (upload form). */
  format: ArrearsFileFormat;
  content: Uint8Array;
}

export interface ErrorLine {
  rowNumber: number;
  tenancyReference: string | null;
  message: string;
}

/** What the API and the pages show of an import: counts and progress, never the file. */
export function importView(record: Omit<ArrearsImport, 'content'>) {
  const done = record.status === 'done';
  const progress = done ? 100
    : record.status === 'running' && record.totalRows > 0 ? Math.min(99, Math.floor((record.processedRows / record.totalRows) * 100))
      : record.status === 'pending' ? 0 : null;
  return {
    id: record.id,
    landlordId: record.landlordId,
    fileName: record.fileName,
    format: record.format,
    status: record.status,
    progress,
    totalRows: record.totalRows,
    processedRows: record.processedRows,
    appliedRows: record.appliedRows,
    /** Lines without an open case at APRIL: not an error (those tenants are not followed by the programme). */
    unmatchedRows: done ? Math.max(0, record.totalRows - record.appliedRows - record.errorRows) : null,
    errorRows: record.errorRows,
    failure: record.failure,
    createdAt: record.createdAt.toISOString(),
    finishedAt: record.finishedAt?.toISOString() ?? null,
  };
}
export type ImportView = ReturnType<typeof importView>;

const withoutContent = {
  id: true, landlordId: true, uploadedById: true, fileName: true, format: true, status: true, totalRows: true, processedRows: true,
  appliedRows: true, errorRows: true, failure: true, createdAt: true, finishedAt: true,
} as const;

/** The format a browser's upload is in, from its first bytes (a browser's type for .csv varies). */
export function formatOf(content: Uint8Array, fileName: string): ArrearsFileFormat {
  return looksLikeXlsx(content) || /\.xlsx?$/i.test(fileName) ? 'xlsx' : 'csv';
}

/**
 * The landlord's arrears file: checked, stored, handed to its workflow. Shared by the API
 * (api/imports/router.ts) and the landlord space's pages. Access as the policy says: the action is
 * `household.updateArrears` (coordination, landlord agents); an agent sees only its landlord's
 * imports, another one is 404 as if it did not exist.
 */
export function createArrearsImportService(ctx: Pick<ApiContext, 'db' | 'temporal' | 'taskQueue' | 'logger'>) {
  const { db, temporal } = ctx;

  const scope = (principal: Principal) => (principal.role === 'landlord_agent' ? { landlordId: principal.landlordId ?? NIL_UUID } : {});

  async function find(principal: Principal, id: string) {
    if (!importIdParam.safeParse(id).success) throw new NotFoundError('Import introuvable.');
    const record = await db.arrearsImport.findFirst({ where: { id, ...scope(principal) }, select: withoutContent });
    if (!record) throw new NotFoundError('Import introuvable.');
    return record;
  }

  async function landlordFor(principal: Principal, requested: string | undefined): Promise<string> {
    if (principal.role === 'landlord_agent') {
      if (!principal.landlordId) throw new ForbiddenError('Votre compte n’est rattaché à aucun bailleur.');
      if (requested !== undefined && requested !== principal.landlordId) {
        throw new ForbiddenError('Un agent bailleur n’importe que les fichiers de son propre bailleur.');
      }
      return principal.landlordId;
    }
    if (!requested) throw new ValidationError([{ field: 'landlordId', message: 'choisissez le bailleur du fichier' }]);
    const landlord = await db.landlord.findUnique({ where: { id: requested }, select: { id: true } });
    if (!landlord) throw new ValidationError([{ field: 'landlordId', message: 'Bailleur inconnu.' }]);
    return landlord.id;
  }

  return {
    find: async (principal: Principal, id: string) => importView(await find(principal, id)),

    /** Checks the file's header (CSV) or kind (XLSX) before anything is stored, then starts the import. */
    async start(principal: Principal, input: NewImport, requestId: string): Promise<ImportView> {
      const landlordId = await landlordFor(principal, input.landlordId);
      if (input.content.length > ARREARS_FILE_LIMITS.maxBytes) {
        throw new AppError(413, 'payload_too_large', 'Le fichier dépasse 20 Mo : découpez-le en plusieurs fichiers.');
      }
      try {
        checkFileBeforeImport(input.content, input.format);
      } catch (error) {
        if (error instanceof ArrearsFileError) throw new ValidationError([{ field: 'fichier', message: error.message }], error.message);
        throw error;
      }
      const id = randomUUID();
      const record = await db.arrearsImport.create({
        data: {
          id, landlordId, uploadedById: principal.id, fileName: input.fileName ?? `import.${input.format}`, format: input.format,
          content: new Uint8Array(input.content), status: 'pending',
        },
        select: withoutContent,
      });
      try {
        // By name: the workflow lives with the worker; the API never loads workflow code.
        await temporal.connection.withDeadline(Date.now() + START_DEADLINE_MS, () =>
          temporal.workflow.start('arrearsImportWorkflow', { taskQueue: importTaskQueue(ctx.taskQueue), workflowId: arrearsImportWorkflowId(id), args: [{ importId: id }] }));
      } catch (error) {
        ctx.logger.error({ err: error, importId: id, requestId }, 'arrears import workflow not started; import removed');
        await db.arrearsImport.delete({ where: { id } });
        throw new UnavailableError('Le moteur de processus est indisponible : le fichier n’a pas été enregistré. Réessayez dans un instant.');
      }
      return importView(record);
    },

    /** The latest imports the person may see (the landlord's own for an agent). */
    async list(principal: Principal, filter: { landlordId?: string } = {}, take = 20): Promise<(ImportView & { landlordName: string })[]> {
      const records = await db.arrearsImport.findMany({
        where: { ...(filter.landlordId && { landlordId: filter.landlordId }), ...scope(principal) },
        select: withoutContent,
        orderBy: { createdAt: 'desc' },
        take,
      });
      const landlords = new Map((await db.landlord.findMany({ select: { id: true, name: true } })).map((l) => [l.id, l.name]));
      return records.map((record) => ({ ...importView(record), landlordName: landlords.get(record.landlordId) ?? '' }));
    },

    /**
     * The lines the landlord must look at: refused lines (with the French reason) and lines whose
     * case closed while the file was sent. Lines without a case at APRIL are only counted.
     */
    async errors(principal: Principal, id: string, page: number | 'all') {
      const record = await find(principal, id);
      const where = { importId: id, error: { not: null } };
      const total = await db.arrearsImportRow.count({ where });
      const rows = await db.arrearsImportRow.findMany({
        where,
        select: { rowNumber: true, tenancyReference: true, error: true },
        orderBy: { rowNumber: 'asc' },
        ...(page !== 'all' && { skip: (page - 1) * ERRORS_PAGE_SIZE, take: ERRORS_PAGE_SIZE }),
      });
      const lines: ErrorLine[] = rows.map((row) => ({ rowNumber: row.rowNumber, tenancyReference: row.tenancyReference, message: row.error ?? '' }));
      return { import: importView(record), total, pageSize: ERRORS_PAGE_SIZE, pageCount: Math.max(1, Math.ceil(total / ERRORS_PAGE_SIZE)), lines };
    },
  };
}

export type ArrearsImportService = ReturnType<typeof createArrearsImportService>;

/** A cell a spreadsheet would read as a formula is written as text (CSV injection). */
const csvCell = (value: string) => {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[;"\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** The error report as a French spreadsheet opens it: UTF-8 with BOM, `;` separated. */
export function errorReportCsv(lines: ErrorLine[]): string {
  const body = lines.map((line) => [String(line.rowNumber), line.tenancyReference ?? '', line.message].map(csvCell).join(';'));
  return `\ufeff${['ligne;reference_bail;erreur', ...body].join('\r\n')}\r\n`;
}
