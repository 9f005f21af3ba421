import { patched } from '@temporalio/workflow';
import { days } from '../../domain/programme/policy';
import { jobSteps, anonymisation } from './proxies';
import type { JobSummary, RetentionInput } from './messages';

/** Batches per run: a backlog (the first run of a deployment) is worked off over a few days. */
const MAX_BATCHES = 20;

/** The policy's default, for a schedule set before the period existed (domain/programme/policy.ts). */
const DEFAULT_RECORDS_RETENTION_MS = days(90);

/**
 * Started every night by the `april-retention` Schedule with the deployment's policy: households
 * closed longer ago than the retention period are anonymised, one transaction each, in batches;
 * then mails and the lines of the landlords' files older than the records period are erased
 * (docs/privacy/data-inventory.md).
 */
export async function retentionWorkflow(input: RetentionInput): Promise<JobSummary> {
  const nowMs = input.nowMs ?? Date.now();
  const cutoffMs = nowMs - input.policy.retentionAfterClosureMs;
  const batchSize = input.batchSize ?? 50;
  const failed: string[] = [];
  const skipped: string[] = [];
  let planned = 0;
  let done = 0;
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    // A household that failed for good (or was skipped) is left out of the next listings, or it would come back forever.
    const ids = await jobSteps.listHouseholdsToAnonymise({ cutoffMs, batchSize, excludeIds: [...failed, ...skipped] });
    if (ids.length === 0) break;
    planned += ids.length;
    // One at a time: each is a short transaction, and the database serves people meanwhile.
    for (const householdId of ids) {
      try {
        if (await anonymisation.anonymiseHousehold({ householdId, cutoffMs })) done++;
        else skipped.push(householdId);
      } catch {
        failed.push(householdId);
      }
    }
  }
  if (patched('retention-by-age')) {
    const recordsCutoffMs = nowMs - (input.policy.recordsRetentionMs ?? DEFAULT_RECORDS_RETENTION_MS);
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const mails = await jobSteps.purgeOldMails({ cutoffMs: recordsCutoffMs, batchSize: batchSize * 10 });
      if (mails.deleted + mails.cleared === 0) break;
    }
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      if ((await jobSteps.clearOldImportRows({ cutoffMs: recordsCutoffMs, batchSize })) === 0) break;
    }
  }
  return { planned, done, failed };
}
