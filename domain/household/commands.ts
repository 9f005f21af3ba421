import type { CommitteeDecision, SupportItem } from './state';
import type { Instant } from './time';
import type {
  Actor, ContactChannel, ContactOutcome, MainstreamScheme, Outcome, PartnerAnswer, ProcedureEventType,
  ProcedureStage, ReferralSource, SupportDomain, TimeSlot,
} from './vocabulary';

/**
 * What can be asked of a household's process. Every command says when (`at`, given by the
 * caller: the rules never read a clock); commands a person performs also say who (`by`).
 * Machine feeds (landlord imports) and timers have no `by`.
 */
interface Timed { at: Instant }
interface ByPerson extends Timed { by: Actor }

export type StartCommand = ByPerson & {
  type: 'start';
  landlordId: string;
  arrearsCents: number;
  monthlyRentCents: number;
  procedureStage: ProcedureStage;
  referralSource: ReferralSource;
  leaseStartDate?: string;
  /** Organisations to ask (a check task each). */
  partnerOrgIds: string[];
  /**
   * Organisations already answered by their caseload list at referral (docs/privacy/caseload-lists.md):
   * a fresh list without this household. Absent on referrals made before the lists existed.
   */
  partnersAnsweredByList?: PartnerListAnswer[];
};

/** "Not known, by list of <date>": an organisation's answer read from its caseload list. */
export interface PartnerListAnswer {
  partnerOrgId: string;
  /** YYYY-MM-DD, the day the list was uploaded. */
  listDate: string;
}

/** Partners to ask default to those named at referral. */
export type OpenPartnerCheckCommand = ByPerson & { type: 'openPartnerCheck'; partnerOrgIds?: string[] };

export type RecordPartnerAnswerCommand = ByPerson & {
  type: 'recordPartnerAnswer';
  partnerOrgId: string;
  answer: PartnerAnswer;
  referentWorkerRef?: string;
};

export type RecordCommitteeDecisionCommand = ByPerson & {
  type: 'recordCommitteeDecision';
  sessionId: string;
  decision: CommitteeDecision;
  /** Active caseload when deciding, as the API counted it: flagged on the event, never blocking. */
  caseload?: { landlord: number; total: number };
};

export type RecordContactAttemptCommand = ByPerson & {
  type: 'recordContactAttempt';
  slot: TimeSlot;
  channel: ContactChannel;
  outcome: ContactOutcome;
};

export type EscalationDecision =
  | { kind: 'continue' }
  | { kind: 'close_unreachable' }
  | { kind: 'reorient'; scheme: MainstreamScheme };

export type ContactEscalationDecisionCommand = ByPerson & {
  type: 'contactEscalationDecision';
  sessionId?: string;
  decision: EscalationDecision;
};

export type UpdateSupportPlanCommand = ByPerson & {
  type: 'updateSupportPlan';
  changes: Partial<Record<SupportDomain, SupportItem>>;
};

export type RecordReviewCommand = ByPerson & { type: 'recordReview'; noteRef?: string };

export type RecordProcedureEventCommand = Timed & {
  type: 'recordProcedureEvent';
  procedureType: ProcedureEventType;
  occurredOn: Instant;
  /** What the legal deadlines need beyond the date (hearing date, months granted…): figures only. */
  details?: ProcedureDetails;
};

export interface ProcedureDetails {
  hearingDate?: string;
  terminationOrdered?: boolean;
  suspensionGranted?: boolean;
  paymentDelayMonths?: number;
  interimOrder?: boolean;
  durationMonths?: number;
  extensionMonths?: number;
  judgeShortenedToDays?: number;
  months?: number;
}

export type RecordPaymentCommand = Timed & { type: 'recordPayment'; amountCents: number };

export type UpdateArrearsCommand = Timed & { type: 'updateArrears'; arrearsCents: number; monthlyRentCents?: number };

export type StartHandoffCommand = ByPerson & {
  type: 'startHandoff';
  /** `sharedNoteRef`: what the household agreed to share with that scheme's organisation (a note). */
  schemes: { scheme: MainstreamScheme; partnerOrgId?: string; sharedNoteRef?: string }[];
};

export type AcknowledgeHandoffCommand = ByPerson & { type: 'acknowledgeHandoff'; scheme: MainstreamScheme };

/** The receiving scheme fell through: support resumes and a new handoff can be prepared. */
export type CancelHandoffCommand = ByPerson & { type: 'cancelHandoff'; reasonNoteRef?: string };

/** An educator or coordinator saw the situation slide again, whatever the figures say. */
export type RelapseDetectedCommand = ByPerson & { type: 'relapseDetected'; noteRef?: string };

export type CloseCommand = ByPerson & {
  type: 'close';
  outcome: Outcome;
  reasonNoteRef: string;
  /** Required when the outcome is `reoriented`. */
  scheme?: MainstreamScheme;
};

export type WithdrawCommand = ByPerson & { type: 'withdraw'; reasonNoteRef?: string };

/** Sent by the workflow shell when the deadline returned by `nextDeadline` has passed. */
export const TIMER_COMMAND_TYPES = [
  'partnerCheckReminderDue', 'partnerCheckDeadlineReached', 'contactAttemptDue', 'contactTimeLimitReached',
  'supportReviewDue', 'handoffReminderDue', 'handoffOverlapEnded', 'watchCheckDue', 'watchEnded',
] as const;
export type TimerCommandType = (typeof TIMER_COMMAND_TYPES)[number];
export type TimerCommand = Timed & { type: TimerCommandType };

export type HouseholdCommand =
  | StartCommand
  | OpenPartnerCheckCommand
  | RecordPartnerAnswerCommand
  | RecordCommitteeDecisionCommand
  | RecordContactAttemptCommand
  | ContactEscalationDecisionCommand
  | UpdateSupportPlanCommand
  | RecordReviewCommand
  | RecordProcedureEventCommand
  | RecordPaymentCommand
  | UpdateArrearsCommand
  | StartHandoffCommand
  | AcknowledgeHandoffCommand
  | CancelHandoffCommand
  | RelapseDetectedCommand
  | CloseCommand
  | WithdrawCommand
  | TimerCommand;

export type CommandType = HouseholdCommand['type'];
