import type { PartnerListAnswer, ProcedureDetails } from './commands';
import type { Instant } from './time';
import type {
  Actor, ContactChannel, ContactOutcome, MainstreamScheme, Outcome, PartnerAnswer, Phase, ProcedureEventType,
  ProcedureStage, ReferralSource, RejectReason, SupportDomain, SupportStatus, TimeSlot, Track,
} from './vocabulary';
import { SUPPORT_DOMAINS } from './vocabulary';

/**
 * One household's process facts. Ids only: names, addresses, phone numbers and notes stay in
 * PostgreSQL (notes are referenced by id), because this state is shown by a query, carried across
 * continue-as-new and stored by Temporal without encryption.
 */
export interface HouseholdState {
  householdId: string;
  landlordId: string;
  phase: Phase;
  referral?: Referral;
  track?: Track;
  educatorId?: string;
  partnerCheck?: PartnerCheck;
  committee: { decisions: CommitteeDecisionRecord[]; deferCount: number };
  contact?: ContactProgress;
  firstContactAt?: Instant;
  support: SupportProgress;
  procedureEvents: ProcedureEventRecord[];
  finances: Finances;
  handoff?: Handoff;
  watch?: { startedAt: Instant; lastCheckAt?: Instant };
  relapseCount: number;
  outcome?: Outcome;
  /** The scheme a reoriented household was sent to: the funders count reorientations by scheme. */
  reorientedTo?: MainstreamScheme;
  closedAt?: Instant;
  history: HistoryEntry[];
}

export interface Referral {
  at: Instant;
  by: Actor;
  source: ReferralSource;
  procedureStage: ProcedureStage;
  /** YYYY-MM-DD; the legal deadlines depend on whether the lease predates the 2023 reform. */
  leaseStartDate?: string;
  partnerOrgIds: string[];
  /** Organisations answered by their caseload list at referral, never asked (docs/privacy/caseload-lists.md). */
  partnersAnsweredByList?: PartnerListAnswer[];
}

export interface PartnerAnswerRecord {
  status: 'pending' | PartnerAnswer;
  /** Id of the referent worker's contact card, when the partner already follows the household. */
  referentWorkerRef?: string;
  answeredAt?: Instant;
  /** How the answer was obtained when not from a person: the organisation's caseload list. */
  source?: 'list';
  /** With `source: 'list'`: the day that list was uploaded (YYYY-MM-DD). */
  listDate?: string;
}

export interface PartnerCheck {
  openedAt: Instant;
  lastReminderAt?: Instant;
  answers: Record<string, PartnerAnswerRecord>;
}

export type CommitteeDecision =
  | { kind: 'admit'; track: Track; educatorId: string }
  | { kind: 'reorient'; scheme: MainstreamScheme }
  | { kind: 'reject'; reason: RejectReason }
  | { kind: 'defer'; untilSessionId?: string };

export interface CommitteeDecisionRecord {
  at: Instant;
  by: Actor;
  sessionId: string;
  decision: CommitteeDecision;
}

export interface ContactAttempt {
  at: Instant;
  by: Actor;
  slot: TimeSlot;
  channel: ContactChannel;
  outcome: ContactOutcome;
}

export interface ContactProgress {
  startedAt: Instant;
  /** Escalation counts from here; a committee "continue" moves it forward. */
  windowStartedAt: Instant;
  failedInWindow: number;
  totalAttempts: number;
  /** The most recent attempts only (see ATTEMPTS_KEPT); the counters keep the totals. */
  attempts: ContactAttempt[];
  /** The attempt task the educator has been asked for and has not reported yet. */
  openRequest?: { at: Instant; notBefore: Instant; slot: TimeSlot };
  escalation?: { at: Instant; reason: 'too_many_attempts' | 'too_long' };
}

export interface SupportItem {
  status: SupportStatus;
  goalRef?: string;
}

export interface SupportProgress {
  /** Start of the current support period (a relapse starts a new one). */
  startedAt?: Instant;
  plan: Record<SupportDomain, SupportItem>;
  lastReviewAt?: Instant;
  lastReviewRequestedAt?: Instant;
}

export interface ProcedureEventRecord {
  type: ProcedureEventType;
  /** When the step legally took place (the deadlines run from it). */
  occurredOn: Instant;
  details?: ProcedureDetails;
  /** When the landlord's feed told us (relapse is judged on what we learn during the watch). */
  recordedAt: Instant;
}

export interface Finances {
  arrearsCents: number;
  monthlyRentCents: number;
  lastPaymentAt?: Instant;
  /** Set by the first payment after referral: the "reprise de paiement" the funders count. */
  paymentResumed: boolean;
}

export interface HandoffScheme {
  scheme: MainstreamScheme;
  partnerOrgId?: string;
  acknowledgedAt?: Instant;
  acknowledgedBy?: Actor;
}

export interface Handoff {
  startedAt: Instant;
  schemes: HandoffScheme[];
  overlapEnded: boolean;
  lastReminderAt?: Instant;
}

export interface HistoryEntry {
  at: Instant;
  type: string;
  /** A short code (decision kind, outcome, procedure step…), never free text. */
  detail?: string;
}

/** The state travels through continue-as-new: lists that could grow for years are capped. */
export const HISTORY_LIMIT = 50;
export const ATTEMPTS_KEPT = 30;

export function initialState(ids: { householdId: string; landlordId: string }): HouseholdState {
  const plan = Object.fromEntries(SUPPORT_DOMAINS.map((d) => [d, { status: 'not_started' }])) as Record<SupportDomain, SupportItem>;
  return {
    householdId: ids.householdId,
    landlordId: ids.landlordId,
    phase: 'referred',
    committee: { decisions: [], deferCount: 0 },
    support: { plan },
    procedureEvents: [],
    finances: { arrearsCents: 0, monthlyRentCents: 0, paymentResumed: false },
    relapseCount: 0,
    history: [],
  };
}
