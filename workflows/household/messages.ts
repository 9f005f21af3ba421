import { defineQuery } from '@temporalio/workflow';

/**
 * The household workflow's contract, shared by the workflow, the worker, the API and the tests.
 * Ids and process facts only: names, addresses and notes stay in PostgreSQL.
 */
export const HOUSEHOLD_TASK_QUEUE = 'april-households';

export function householdWorkflowId(householdId: string): string {
  return `household-${householdId}`;
}

export type HouseholdPhase =
  | 'referred'
  | 'partner_check'
  | 'committee'
  | 'contact'
  | 'support'
  | 'handoff'
  | 'watch'
  | 'closed';

export interface HouseholdWorkflowInput {
  householdId: string;
  landlordId: string;
  /** ISO instant of the referral, fixed by the API so that a restarted start is the same start. */
  referredAt: string;
  /** Who referred: a user id, or `api` until accounts exist. */
  referredBy: string;
}

export interface HouseholdHistoryEntry {
  at: string;
  type: string;
}

export interface HouseholdState {
  householdId: string;
  landlordId: string;
  phase: HouseholdPhase;
  referralRecorded: boolean;
  history: HouseholdHistoryEntry[];
}

export const getHouseholdStateQuery = defineQuery<HouseholdState>('getHouseholdState');
