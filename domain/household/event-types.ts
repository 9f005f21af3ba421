import type { EscalationDecision, ProcedureDetails } from './commands';
import type { CommitteeDecision, Referral, SupportItem } from './state';
import type { Instant } from './time';
import type {
  Actor, ContactChannel, ContactOutcome, MainstreamScheme, Outcome, PartnerAnswer, ProcedureEventType,
  SupportDomain, TimeSlot, Track,
} from './vocabulary';

/**
 * What happened, as decided by the rules. The phase changes only through the events named
 * `…Started`, `partnerCheckCompleted`, `committeeReviewRequested` and `caseClosed`, so a reader
 * of a decision sees where the household goes next. Events the shell must act on outside the
 * state (e-mail, tasks) say so below.
 */
export type HouseholdEvent =
  | ({ type: 'referralRecorded'; landlordId: string; arrearsCents: number; monthlyRentCents: number } & Referral)
  | { type: 'partnerCheckOpened'; at: Instant; by: Actor; partnerOrgIds: string[] }
  /** Shell: remind the partners still silent. */
  | { type: 'partnerReminderIssued'; at: Instant; pendingPartnerOrgIds: string[] }
  /** `source: 'list'`: read from the organisation's caseload list of `listDate`, nobody was asked. */
  | { type: 'partnerAnswerRecorded'; at: Instant; by: Actor; partnerOrgId: string; answer: PartnerAnswer; referentWorkerRef?: string; source?: 'list'; listDate?: string }
  /** Shell: e-mail the referent worker that the household is being referred to APRIL. */
  | { type: 'referentWorkerAlertRequested'; at: Instant; partnerOrgId: string; referentWorkerRef: string }
  | { type: 'partnerCheckCompleted'; at: Instant; reason: 'all_answered' | 'deadline_reached'; pendingPartnerOrgIds: string[] }
  | { type: 'committeeDecisionRecorded'; at: Instant; by: Actor; sessionId: string; decision: CommitteeDecision; capacityExceeded: boolean }
  | { type: 'contactStarted'; at: Instant; track: Track; educatorId: string }
  /** Shell: create the contact-attempt task for the educator. */
  | { type: 'contactAttemptRequested'; at: Instant; notBefore: Instant; slot: TimeSlot }
  | { type: 'contactAttemptRecorded'; at: Instant; by: Actor; slot: TimeSlot; channel: ContactChannel; outcome: ContactOutcome }
  /** Shell: put the household on the committee's agenda. */
  | { type: 'contactEscalated'; at: Instant; reason: 'too_many_attempts' | 'too_long'; failedAttempts: number }
  | { type: 'contactEscalationResolved'; at: Instant; by: Actor; sessionId?: string; decision: EscalationDecision }
  | { type: 'supportStarted'; at: Instant; reason: 'first_contact' | 'readmitted' | 'relapse' | 'handoff_cancelled'; track: Track; educatorId?: string }
  | { type: 'supportPlanUpdated'; at: Instant; by: Actor; changes: Partial<Record<SupportDomain, SupportItem>> }
  /** Shell: create the review task. */
  | { type: 'supportReviewRequested'; at: Instant }
  | { type: 'reviewRecorded'; at: Instant; by: Actor; noteRef?: string }
  | { type: 'procedureEventRecorded'; at: Instant; procedureType: ProcedureEventType; occurredOn: Instant; details?: ProcedureDetails }
  | { type: 'trackSwitched'; at: Instant; from: Track; to: Track; cause: ProcedureEventType }
  | { type: 'paymentRecorded'; at: Instant; amountCents: number }
  | { type: 'paymentResumed'; at: Instant }
  | { type: 'arrearsUpdated'; at: Instant; arrearsCents: number; monthlyRentCents?: number }
  /** Shell: tell each receiving partner and create their acknowledgement tasks. */
  | { type: 'handoffStarted'; at: Instant; by: Actor; schemes: { scheme: MainstreamScheme; partnerOrgId?: string; sharedNoteRef?: string }[] }
  /** Shell: remind the receiving partners that have not acknowledged. */
  | { type: 'handoffReminderIssued'; at: Instant; pendingSchemes: MainstreamScheme[] }
  | { type: 'handoffAcknowledged'; at: Instant; by: Actor; scheme: MainstreamScheme }
  | { type: 'handoffOverlapEnded'; at: Instant }
  | { type: 'handoffCancelled'; at: Instant; by: Actor; reasonNoteRef?: string }
  | { type: 'watchStarted'; at: Instant }
  /** Shell: create the light-touch check-in task. */
  | { type: 'watchCheckRequested'; at: Instant }
  | { type: 'relapseDetected'; at: Instant; by?: Actor; signals: RelapseSignal[] }
  /** Shell: put the household on the committee's agenda (relapse fast-track). */
  | { type: 'committeeReviewRequested'; at: Instant; reason: 'relapse' }
  | { type: 'caseClosed'; at: Instant; by?: Actor; outcome: Outcome; reasonNoteRef?: string; scheme?: MainstreamScheme };

export type RelapseSignal =
  | { kind: 'arrears_above_threshold'; arrearsCents: number; thresholdCents: number }
  | { kind: 'procedure_event'; procedureType: ProcedureEventType; recordedAt: Instant }
  | { kind: 'reported'; noteRef?: string };

export type HouseholdEventType = HouseholdEvent['type'];
