import { createHash } from 'node:crypto';
import { Context } from '@temporalio/activity';
import type { ActivityDeps } from './index';
import { ArrearsFileError, arrearsBatches, estimatedRows, type ArrearsFileFormat, type ParsedRow } from './arrears-file';

/**
 * The steps of a landlord's arrears file import (workflows/jobs/arrears-import.ts). Each one is
 * idempotent, so that a retried activity or a replayed workflow changes nothing twice: rows are
 * keyed by (import, line), statuses only move forward, audit rows have ids derived from the line.
 */

/** Rows per INSERT: well under PostgreSQL's 65 535 parameters (6 columns a row). */
const STAGE_BATCH = 5_000;

/** What the workflow gets back: figures and ids, never the file's content. */
export type StageResult = { ok: true; totalRows: number; errorRows: number } | { ok: false; failure: string };

export interface MatchedRow {
  rowNumber: number;
  householdId: string;
  arrearsCents: number;
  monthlyRentCents?: number;
}

export interface ImportSummary {
  status: 'done' | 'failed';
  totalRows: number;
  appliedRows: number;
  unmatchedRows: number;
  errorRows: number;
}

/** The dette reached a household whose case was closed between the match and the signal. */
export const CLOSED_MEANWHILE = 'Le dossier a été clôturé entre-temps : la dette ne lui a pas été transmise.';

/** A UUID that is the same for the same audit fact (import, line): a retried write adds nothing. */
function auditId(importId: string, rowNumber: number): string {
  const hex = createHash('sha256').update(`arrears-import:${importId}:${rowNumber}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The last line staged, for a retry to resume from (outside an activity, a unit test: nothing). */
function heartbeat(lastRowNumber: number): void {
  try {
    Context.current().heartbeat(lastRowNumber);
  } catch {
    // not in an activity
  }
}

function resumedFrom(): number {
  try {
    const details: unknown = Context.current().info.heartbeatDetails;
    return typeof details === 'number' ? details : 0;
  } catch {
    return 0;
  }
}

export function createArrearsImportActivities({ db, clock, logger }: ActivityDeps) {
  /**
   * One INSERT per batch, the rows as one JSON parameter, idempotent by the (import, line) key.
   * Not Prisma's createMany: measured here at about 9 s per 5 000 rows, against a few tenths of a
   * second. Valid lines are staged `unmatched`; the match promotes the few that have an open case.
   */
  const insertRows = (importId: string, rows: ParsedRow[]) => db.$executeRaw`
    INSERT INTO arrears_import_rows (import_id, row_number, tenancy_reference, arrears_cents, monthly_rent_cents, status, error)
    SELECT ${importId}::uuid, r.n, r.ref, r.debt, r.rent, CASE WHEN r.err IS NULL THEN 'unmatched' ELSE 'invalid' END, r.err
    FROM json_to_recordset(${JSON.stringify(rows.map((r) => ({ n: r.rowNumber, ref: r.tenancyReference, debt: r.arrearsCents, rent: r.monthlyRentCents, err: r.error })))}::json)
      AS r(n int, ref text, debt int, rent int, err text)
    ON CONFLICT (import_id, row_number) DO NOTHING`;

  const fail = async (importId: string, failure: string) => {
    // Nothing of a file that failed as a whole is kept: its staged lines go with its content.
    await db.arrearsImportRow.deleteMany({ where: { importId } });
    await db.arrearsImport.update({
      where: { id: importId },
      data: { status: 'failed', failure, content: null, finishedAt: clock(), processedRows: 0, appliedRows: 0, errorRows: 0 },
    });
  };

  return {
    /**
     * Reads the file, checks each line and stages it (valid lines `unmatched` until the match,
     * `invalid` ones with their French reason),
     * in batches, updating the progress as it goes. A retry after a crash re-reads the file and
     * skips the batches its last heartbeat confirmed; `ON CONFLICT DO NOTHING` covers the rest.
     */
    async stageArrearsRows(input: { importId: string }): Promise<StageResult> {
      const record = await db.arrearsImport.findUnique({ where: { id: input.importId } });
      if (!record) return { ok: false, failure: 'Import introuvable.' };
      if (record.status === 'failed') return { ok: false, failure: record.failure ?? 'Import en échec.' };
      if (record.status === 'done') return { ok: true, totalRows: record.totalRows, errorRows: record.errorRows };
      if (!record.content) {
        const failure = 'Le fichier n’est plus disponible : envoyez-le de nouveau.';
        await fail(input.importId, failure);
        return { ok: false, failure };
      }
      const format = record.format as ArrearsFileFormat;
      const content = record.content;
      await db.arrearsImport.update({ where: { id: input.importId }, data: { status: 'running', totalRows: estimatedRows(content, format) } });
      const resumeAfter = resumedFrom();
      let count = 0;
      let errors = 0;
      // The next batch is read while the previous one is written: parsing and the database overlap.
      let writing: Promise<unknown> = Promise.resolve();
      // The last line known written: what the heartbeats say while a long batch is being read.
      let confirmed = resumeAfter;
      try {
        for await (const batch of arrearsBatches(content, format, STAGE_BATCH, { onPause: () => heartbeat(confirmed) })) {
          const last = batch[batch.length - 1]!;
          count += batch.length;
          errors += batch.reduce((sum, row) => sum + (row.status === 'invalid' ? 1 : 0), 0);
          await writing;
          const processed = count;
          writing = (last.rowNumber > resumeAfter ? insertRows(input.importId, batch) : Promise.resolve())
            .then(() => db.arrearsImport.update({ where: { id: input.importId }, data: { processedRows: processed } }))
            .then(() => { confirmed = Math.max(confirmed, last.rowNumber); heartbeat(confirmed); });
          // A rejected write is awaited (and thrown) at the next batch or after the loop.
          writing.catch(() => undefined);
        }
        await writing;
      } catch (error) {
        // A file over a limit (or unreadable) fails for good: its staged lines are deleted, and the
        // activity returns (rather than throws) so that nothing retries it and the workflow keeps the
        // French reason (a thrown error would end in its generic « incident technique » message).
        if (!(error instanceof ArrearsFileError)) throw error;
        await writing.catch(() => undefined);
        await fail(input.importId, error.message);
        return { ok: false, failure: error.message };
      }
      await db.arrearsImport.update({ where: { id: input.importId }, data: { totalRows: count, processedRows: count, errorRows: errors } });
      return { ok: true, totalRows: count, errorRows: errors };
    },

    /**
     * Matches the valid lines to the landlord's OPEN household of their tenancy reference, in one
     * statement (the partial unique index on open tenancies answers each line): those found become
     * `matched`, with the household; the others stay `unmatched` (no case at APRIL: not an error
     * for the landlord). Only the few matched lines are written. Run again, it finds nothing new.
     */
    async matchArrearsRows(input: { importId: string }): Promise<{ matched: number }> {
      const matched = await db.$executeRaw`
        UPDATE arrears_import_rows r
        SET household_id = h.id, status = 'matched'
        FROM arrears_imports i, households h
        WHERE r.import_id = ${input.importId}::uuid AND r.status = 'unmatched' AND r.error IS NULL AND r.household_id IS NULL
          AND i.id = r.import_id
          AND h.landlord_id = i.landlord_id AND h.tenancy_reference = r.tenancy_reference
          AND h.closed_at IS NULL AND h.workflow_started_at IS NOT NULL`;
      return { matched };
    },

    /** The next matched lines to send, after `afterRow`, in line order: ids and cents only. */
    async listMatchedArrearsRows(input: { importId: string; afterRow: number; limit: number }): Promise<MatchedRow[]> {
      const rows = await db.arrearsImportRow.findMany({
        where: { importId: input.importId, status: 'matched', rowNumber: { gt: input.afterRow } },
        select: { rowNumber: true, householdId: true, arrearsCents: true, monthlyRentCents: true },
        orderBy: { rowNumber: 'asc' },
        take: input.limit,
      });
      return rows.map((row) => ({
        rowNumber: row.rowNumber,
        householdId: row.householdId!,
        arrearsCents: row.arrearsCents!,
        ...(row.monthlyRentCents !== null && { monthlyRentCents: row.monthlyRentCents }),
      }));
    },

    /**
     * After the signals of a page: the lines delivered are `applied` (with one audit row per
     * household, by the person who uploaded the file); those whose case had closed meanwhile are
     * `unmatched`, with the reason.
     */
    async markArrearsRowsApplied(input: { importId: string; applied: number[]; refused: number[] }): Promise<void> {
      const record = await db.arrearsImport.findUniqueOrThrow({ where: { id: input.importId }, select: { uploadedById: true } });
      const applied = await db.arrearsImportRow.findMany({
        where: { importId: input.importId, rowNumber: { in: input.applied } },
        select: { rowNumber: true, householdId: true },
      });
      await db.$transaction([
        db.arrearsImportRow.updateMany({ where: { importId: input.importId, rowNumber: { in: input.applied }, status: 'matched' }, data: { status: 'applied' } }),
        db.arrearsImportRow.updateMany({ where: { importId: input.importId, rowNumber: { in: input.refused }, status: 'matched' }, data: { status: 'unmatched', error: CLOSED_MEANWHILE } }),
        db.auditEvent.createMany({
          skipDuplicates: true,
          data: applied.map((row) => ({
            id: auditId(input.importId, row.rowNumber),
            actor: record.uploadedById,
            action: 'household.updateArrears',
            householdId: row.householdId,
            details: { importId: input.importId, rowNumber: row.rowNumber },
          })),
        }),
      ]);
    },

    /** The import is over: final counts, the file's content erased. */
    async finishArrearsImport(input: { importId: string }): Promise<ImportSummary> {
      const groups = await db.arrearsImportRow.groupBy({ by: ['status'], where: { importId: input.importId }, _count: { _all: true } });
      const count = (status: string) => groups.find((g) => g.status === status)?._count._all ?? 0;
      const totalRows = groups.reduce((sum, g) => sum + g._count._all, 0);
      const summary: ImportSummary = { status: 'done', totalRows, appliedRows: count('applied'), unmatchedRows: count('unmatched'), errorRows: count('invalid') };
      await db.arrearsImport.updateMany({
        where: { id: input.importId, status: { not: 'failed' } },
        data: { status: 'done', totalRows, processedRows: totalRows, appliedRows: summary.appliedRows, errorRows: summary.errorRows, content: null, finishedAt: clock() },
      });
      return summary;
    },

    /**
     * Something other than the file went wrong for good (a bug, a database down for too long):
     * the import says so. Lines already sent stay applied (a household's arrears are a fact the
     * landlord stated); the others are dropped with the content.
     */
    async failArrearsImport(input: { importId: string; failure: string }): Promise<void> {
      logger.warn({ importId: input.importId }, 'arrears import failed');
      await db.arrearsImportRow.deleteMany({ where: { importId: input.importId, status: { not: 'applied' } } });
      const applied = await db.arrearsImportRow.count({ where: { importId: input.importId } });
      await db.arrearsImport.update({
        where: { id: input.importId },
        data: { status: 'failed', failure: input.failure, content: null, finishedAt: clock(), appliedRows: applied },
      });
    },
  };
}
