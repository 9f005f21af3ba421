import {
  continueAsNew, getExternalWorkflowHandle, isCancellation, log, proxyActivities, workflowInfo,
} from '@temporalio/workflow';
import type { createActivities } from '../../activities';
import { householdWorkflowId, updateArrearsSignal } from '../household/messages';

type Activities = ReturnType<typeof createActivities>;

/** Reading and staging the file: long, so it heartbeats; a retry resumes after the last batch it confirmed. */
const staging = proxyActivities<Activities>({
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 8 },
});

/** The other steps: one statement or one page each, retried while the database comes back. */
const importDb = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 10 },
});

export interface ArrearsImportInput {
  importId: string;
  /** Set by continue-as-new: the file is staged and matched, signals are sent after this line. */
  sendAfterRow?: number;
}

/** Matched lines read per page, and signals sent at once (one workflow task each). */
const PAGE = 500;
const SIGNALS_AT_ONCE = 250;
/** Each signal adds two history events: a long list continues as new well before Temporal's limits. */
const SIGNALS_PER_RUN = 4_000;

const FAILURE = 'Le traitement du fichier a échoué (incident technique) : les lignes déjà transmises le restent ; envoyez de nouveau le fichier ou contactez la coordination.';

/**
 * One landlord's arrears file (workflow id `arrears-import-<importId>`, started by the API):
 * stage and check every line, match the lines to the landlord's open households in one
 * statement, then send each matched household's workflow the `updateArrears` signal (the same
 * feed as `POST /api/households/:id/arrears`), page by page, and close the import. The history
 * carries ids and cents only; the file stays in PostgreSQL until the import is over.
 */
export async function arrearsImportWorkflow(input: ArrearsImportInput): Promise<{ status: 'done' | 'failed' }> {
  const { importId } = input;
  let continueAfterRow: number | undefined;
  try {
    if (input.sendAfterRow === undefined) {
      const staged = await staging.stageArrearsRows({ importId });
      if (!staged.ok) return { status: 'failed' };
      await importDb.matchArrearsRows({ importId });
    }
    let afterRow = input.sendAfterRow ?? 0;
    let sent = 0;
    for (;;) {
      const rows = await importDb.listMatchedArrearsRows({ importId, afterRow, limit: PAGE });
      if (rows.length === 0) break;
      const applied: number[] = [];
      const refused: number[] = [];
      for (let i = 0; i < rows.length; i += SIGNALS_AT_ONCE) {
        const chunk = rows.slice(i, i + SIGNALS_AT_ONCE);
        const results = await Promise.allSettled(chunk.map((row) =>
          getExternalWorkflowHandle(householdWorkflowId(row.householdId)).signal(updateArrearsSignal, {
            arrearsCents: row.arrearsCents,
            ...(row.monthlyRentCents !== undefined && { monthlyRentCents: row.monthlyRentCents }),
          })));
        results.forEach((result, j) => {
          const row = chunk[j]!;
          // Rejected: the household's workflow has ended since the match (case closed meanwhile).
          if (result.status === 'fulfilled') applied.push(row.rowNumber);
          else refused.push(row.rowNumber);
        });
      }
      await importDb.markArrearsRowsApplied({ importId, applied, refused });
      afterRow = rows[rows.length - 1]!.rowNumber;
      sent += rows.length;
      if (sent >= SIGNALS_PER_RUN || workflowInfo().continueAsNewSuggested) {
        continueAfterRow = afterRow;
        break;
      }
    }
    if (continueAfterRow === undefined) {
      const summary = await importDb.finishArrearsImport({ importId });
      return { status: summary.status };
    }
  } catch (error) {
    if (isCancellation(error)) throw error;
    log.error('arrears import failed', { importId, error: String(error) });
    await importDb.failArrearsImport({ importId, failure: FAILURE });
    return { status: 'failed' };
  }
  return continueAsNew<typeof arrearsImportWorkflow>({ importId, sendAfterRow: continueAfterRow });
}
