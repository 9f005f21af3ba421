/** Inputs and outputs of the legal deadline computation. */
import type { IsoDate } from './dates';

/** Same names as the household's procedure events (vocabulary.ts); a unit test keeps them in step. */
export const LEGAL_EVENT_TYPES = [
  'caf_report', 'ccapex_referral', 'payment_order', 'summons', 'prefect_notified', 'hearing', 'judgment',
  'judgment_served', 'lease_terminated', 'social_cohesion_protocol', 'order_to_leave', 'grace_period_granted',
  'police_assistance_requested', 'eviction',
] as const;
export type LegalEventType = (typeof LEGAL_EVENT_TYPES)[number];

type WithDetails = 'summons' | 'judgment' | 'social_cohesion_protocol' | 'order_to_leave' | 'grace_period_granted';

/** A step of the procedure, on the calendar date it legally took place. */
export type LegalEvent =
  | { type: Exclude<LegalEventType, WithDetails>; date: IsoDate }
  | { type: 'summons'; date: IsoDate; hearingDate?: IsoDate }
  | {
      type: 'judgment'; date: IsoDate; terminationOrdered?: boolean; suspensionGranted?: boolean;
      /** Payment delays granted by the judge (at most 36). */
      paymentDelayMonths?: number;
      /** Ordonnance de référé: appeal within 15 days instead of one month. */
      interimOrder?: boolean;
    }
  | { type: 'social_cohesion_protocol'; date: IsoDate; durationMonths?: number; extensionMonths?: number }
  | { type: 'order_to_leave'; date: IsoDate; judgeShortenedToDays?: number }
  | { type: 'grace_period_granted'; date: IsoDate; months: number };

export interface LegalDeadlineInput {
  /** Date the lease was signed or last renewed: decides whether the 2023 reform applies to it. */
  leaseStartDate?: IsoDate;
  /** Day the debt reached two months of rent and charges (see isArrearsConstituted). */
  arrearsConstitutedOn?: IsoDate;
  events: readonly LegalEvent[];
  today: IsoDate;
}

export const LEGAL_DEADLINE_KINDS = [
  'caf_report', 'earliest_summons', 'payment_order_expiry', 'prefect_notice_latest', 'dsf_interview_offer',
  'dsf_transmission', 'full_rent_before_hearing', 'payment_delays_end', 'appeal', 'protocol_end', 'protocol_new_lease',
  'order_to_leave_expiry', 'grace_period_end', 'earliest_eviction', 'police_decision',
] as const;
export type LegalDeadlineKind = (typeof LEGAL_DEADLINE_KINDS)[number];

/**
 * lever: the household (with the educator) can still act before this date;
 * protection: something adverse cannot happen before it;
 * info: someone else's deadline, worth checking.
 */
export type LegalSeverity = 'lever' | 'protection' | 'info';
export type DeadlineStatus = 'upcoming' | 'today' | 'passed';

export interface LegalDeadline {
  kind: LegalDeadlineKind;
  /** The last day to act, or for a protection the first day the adverse step becomes possible. */
  dueDate: IsoDate;
  /** French, for the educator. */
  label: string;
  /** Legal reference of the version applied. */
  basis: string;
  ruleId: string;
  ruleVersion: string;
  effectiveFrom: IsoDate;
  severity: LegalSeverity;
  /** French: what the educator can do about it. */
  leverHint?: string;
  status: DeadlineStatus;
  /** The event the délai runs from. */
  from: { type: LegalEventType | 'arrears_constituted'; date: IsoDate };
}

export type LegalFlagCode =
  | 'lease_date_unknown' | 'premature_summons' | 'late_prefect_notice' | 'premature_police_request' | 'eviction_during_truce';

/** Something in the recorded procedure that a lawyer should look at. */
export interface LegalFlag {
  code: LegalFlagCode;
  date: IsoDate;
  message: string;
  basis: string;
}

export type LegalInputErrorCode =
  | 'invalid_date' | 'invalid_grace_period' | 'invalid_payment_delay' | 'invalid_protocol_duration' | 'invalid_shortened_period';

/** An input the rules refuse; the event it concerns is left out of the computation rather than guessed. */
export interface LegalInputError {
  code: LegalInputErrorCode;
  /** Index in `events`, when the error concerns an event. */
  eventIndex?: number;
  message: string;
}

export interface LegalDeadlineReport {
  deadlines: LegalDeadline[];
  flags: LegalFlag[];
  errors: LegalInputError[];
}
