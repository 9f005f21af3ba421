import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  AcknowledgeHandoffCommand, CancelHandoffCommand, CloseCommand, CommandType, ContactEscalationDecisionCommand,
  Deadline, HouseholdState, OpenPartnerCheckCommand, RecordCommitteeDecisionCommand, RecordContactAttemptCommand,
  RecordPartnerAnswerCommand, RecordPaymentCommand, RecordProcedureEventCommand, RecordReviewCommand,
  RelapseDetectedCommand, StartCommand, StartHandoffCommand, UpdateArrearsCommand, UpdateSupportPlanCommand,
  WithdrawCommand,
} from '../../domain/household';
import type { ProgrammePolicy } from '../../domain/programme/policy';

/**
 * The household workflow's contract, shared by the workflow, the worker, the API and the tests.
 * Ids and process facts only: names, addresses and notes stay in PostgreSQL.
 */
export function householdWorkflowId(householdId: string): string {
  return `household-${householdId}`;
}

export type { HouseholdState } from '../../domain/household';

/** What the referral said, in figures and codes (the case file keeps the rest): the start command's facts. */
export type ReferralFacts = Omit<StartCommand, 'type' | 'at' | 'by' | 'landlordId'>;

export interface HouseholdWorkflowInput {
  householdId: string;
  landlordId: string;
  /** ISO instant of the referral, fixed by the API so that a restarted start is the same start. */
  referredAt: string;
  /** Who referred (a user id), or `api` until accounts exist. */
  referredBy: string;
  referral: ReferralFacts;
  /** Snapshot of the deployment's policy at referral: the household keeps its rhythm for life. */
  policy: ProgrammePolicy;
  /** Set by continue-as-new: the state and event counter of the previous run. */
  carried?: { state: HouseholdState; eventSeq: number; warned?: string[] };
}

/** One query answers everything a page or the API shows about the process. */
export interface HouseholdView {
  state: HouseholdState;
  nextDeadline?: Deadline;
  acceptedCommands: CommandType[];
  /** Events applied so far (across continue-as-new): their timeline rows are numbered by it. */
  eventSeq: number;
}

export const getHouseholdStateQuery = defineQuery<HouseholdView>('getHouseholdState');

/** A person's command without its time: the workflow stamps it, so every replay sees the same. */
type Payload<C> = Omit<C, 'type' | 'at'>;

// Updates: what people decide or complete. The validator refuses synchronously with the rules'
// French reason (failure type = the rules' refusal code), and nothing changes.
export const openPartnerCheckUpdate = defineUpdate<void, [Payload<OpenPartnerCheckCommand>]>('openPartnerCheck');
export const recordPartnerAnswerUpdate = defineUpdate<void, [Payload<RecordPartnerAnswerCommand>]>('recordPartnerAnswer');
export const recordCommitteeDecisionUpdate = defineUpdate<void, [Payload<RecordCommitteeDecisionCommand>]>('recordCommitteeDecision');
export const recordContactAttemptUpdate = defineUpdate<void, [Payload<RecordContactAttemptCommand>]>('recordContactAttempt');
export const contactEscalationDecisionUpdate = defineUpdate<void, [Payload<ContactEscalationDecisionCommand>]>('contactEscalationDecision');
export const updateSupportPlanUpdate = defineUpdate<void, [Payload<UpdateSupportPlanCommand>]>('updateSupportPlan');
export const recordReviewUpdate = defineUpdate<void, [Payload<RecordReviewCommand>]>('recordReview');
export const startHandoffUpdate = defineUpdate<void, [Payload<StartHandoffCommand>]>('startHandoff');
export const acknowledgeHandoffUpdate = defineUpdate<void, [Payload<AcknowledgeHandoffCommand>]>('acknowledgeHandoff');
export const cancelHandoffUpdate = defineUpdate<void, [Payload<CancelHandoffCommand>]>('cancelHandoff');
export const reportRelapseUpdate = defineUpdate<void, [Payload<RelapseDetectedCommand>]>('relapseDetected');
export const closeHouseholdUpdate = defineUpdate<void, [Payload<CloseCommand>]>('close');
export const withdrawHouseholdUpdate = defineUpdate<void, [Payload<WithdrawCommand>]>('withdraw');

/** Every person update, by the command type it carries (the workflow registers them all alike). */
export const personUpdates = [
  openPartnerCheckUpdate, recordPartnerAnswerUpdate, recordCommitteeDecisionUpdate, recordContactAttemptUpdate,
  contactEscalationDecisionUpdate, updateSupportPlanUpdate, recordReviewUpdate, startHandoffUpdate,
  acknowledgeHandoffUpdate, cancelHandoffUpdate, reportRelapseUpdate, closeHouseholdUpdate, withdrawHouseholdUpdate,
] as const;

// Signals: machine feeds from the landlords' systems. Nobody waits for an answer; a feed that the
// rules refuse (a payment after closure, say) is recorded in the history summary and dropped.
export const recordProcedureEventSignal = defineSignal<[Payload<RecordProcedureEventCommand>]>('recordProcedureEvent');
export const recordPaymentSignal = defineSignal<[Payload<RecordPaymentCommand>]>('recordPayment');
export const updateArrearsSignal = defineSignal<[Payload<UpdateArrearsCommand>]>('updateArrears');

export const machineSignals = [recordProcedureEventSignal, recordPaymentSignal, updateArrearsSignal] as const;
