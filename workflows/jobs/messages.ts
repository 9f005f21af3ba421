import type { ProgrammePolicy } from '../../domain/programme/policy';

/**
 * The cross-household jobs' contract (docs/design/process.md), shared with the schedules (lib/schedules.ts),
 * the API and the tests. Inputs carry ids and figures only, like the household workflow's.
 *
 * `nowMs` pins the job's notion of "now" (tests, drills, a late re-run); a scheduled run leaves it
 * out and uses the workflow's start time. `householdIds` narrows a run to some households: tests
 * share one database with other work; production runs leave it out.
 */
export interface DailyDigestInput {
  nowMs?: number;
  householdIds?: string[];
}

export type OverdueEscalationInput = DailyDigestInput;

export interface CommitteeAgendaInput {
  sessionId: string;
  /** The agenda as the caller built it; by default every household awaiting a decision (phase `committee`). */
  householdIds?: string[];
}

export interface RetentionInput {
  /**
   * The deployment's policy, set as the schedule's argument: only its retention periods are read
   * (a schedule set before the mail period existed runs with the default one).
   */
  policy: Pick<ProgrammePolicy, 'retentionAfterClosureMs'> & Partial<Pick<ProgrammePolicy, 'recordsRetentionMs'>>;
  nowMs?: number;
  /** Households per listing (each is anonymised in its own transaction). */
  batchSize?: number;
}

export interface JobSummary {
  /** What the run found to do (people, tasks or households). */
  planned: number;
  done: number;
  /** Ids whose step failed for good (the outbox row or the worker log says why). */
  failed: string[];
}

/** The API starts one agenda run per session: a second request for the same session is refused by Temporal, not mailed twice. */
export const committeeAgendaWorkflowId = (sessionId: string) => `committee-agenda-${sessionId}`;
