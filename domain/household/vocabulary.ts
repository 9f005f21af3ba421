/**
 * The words of the household process (glossary: docs/design/process.md), as constant lists so
 * that the API can build its zod enums from the same source as the rules.
 */
export const PHASES = [
  'referred', 'partner_check', 'committee', 'contact', 'support', 'handoff', 'watch', 'closed',
] as const;
export type Phase = (typeof PHASES)[number];

export const TRACKS = ['pre_litigation', 'post_termination'] as const;
export type Track = (typeof TRACKS)[number];

export const OUTCOMES = [
  'maintained', 'rehoused', 'oriented', 'reoriented', 'rejected', 'unreachable', 'evicted', 'left', 'withdrawn',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const REFERRAL_SOURCES = ['proximity', 'pre_litigation', 'litigation', 'social_management'] as const;
export type ReferralSource = (typeof REFERRAL_SOURCES)[number];

export const TIME_SLOTS = ['weekday', 'evening', 'weekend'] as const;
export type TimeSlot = (typeof TIME_SLOTS)[number];

export const CONTACT_CHANNELS = ['home_visit', 'phone', 'letter', 'text_message', 'partner_meeting', 'other'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

export const CONTACT_OUTCOMES = ['contact_made', 'absent', 'refused', 'wrong_address', 'appointment_set'] as const;
export type ContactOutcome = (typeof CONTACT_OUTCOMES)[number];

/**
 * An appointment can only be set by talking with the household, so it re-creates the link as much
 * as a conversation does. A refusal is not a first contact: support cannot start, and the
 * household may change its mind, so it counts as a failed attempt until the committee decides.
 */
export const FIRST_CONTACT_OUTCOMES: readonly ContactOutcome[] = ['contact_made', 'appointment_set'];

export const isFirstContact = (outcome: ContactOutcome): boolean => FIRST_CONTACT_OUTCOMES.includes(outcome);

/** The eight domains of global support named in the project sheet. */
export const SUPPORT_DOMAINS = [
  'budget', 'rights', 'housing', 'administrative', 'health', 'employment', 'justice', 'parenting',
] as const;
export type SupportDomain = (typeof SUPPORT_DOMAINS)[number];

export const SUPPORT_STATUSES = ['not_started', 'in_progress', 'done'] as const;
export type SupportStatus = (typeof SUPPORT_STATUSES)[number];

export const MAINSTREAM_SCHEMES = [
  'asll', 'fsl', 'protection_measure', 'sector_social_worker', 'ccapex_followup', 'other',
] as const;
export type MainstreamScheme = (typeof MAINSTREAM_SCHEMES)[number];

export const PROCEDURE_EVENT_TYPES = [
  'caf_report', 'ccapex_referral', 'payment_order', 'summons', 'prefect_notified', 'hearing', 'judgment',
  'judgment_served', 'lease_terminated', 'social_cohesion_protocol', 'order_to_leave', 'grace_period_granted',
  'police_assistance_requested', 'eviction',
] as const;
export type ProcedureEventType = (typeof PROCEDURE_EVENT_TYPES)[number];

/** Steps that protect the household rather than push the procedure on: not a sign of relapse. */
export const PROTECTIVE_PROCEDURE_EVENTS: readonly ProcedureEventType[] = ['social_cohesion_protocol', 'grace_period_granted'];

/** How far the procedure had gone when the household was referred. */
export type ProcedureStage = 'none' | ProcedureEventType;

export const REJECT_REASONS = ['not_eligible', 'already_followed', 'out_of_territory', 'household_declined', 'other'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export const PARTNER_ANSWERS = ['not_known', 'followed'] as const;
export type PartnerAnswer = (typeof PARTNER_ANSWERS)[number];

export const ACTOR_ROLES = [
  'coordinator', 'committee_member', 'educator', 'landlord_agent', 'partner_worker', 'admin',
] as const;
export type ActorRole = (typeof ACTOR_ROLES)[number];

/**
 * Who acted, kept for the history and the audit trail. Whether that role may act is the API's
 * check (it knows the scopes); the rules only decide whether the act fits the process.
 */
export interface Actor {
  id: string;
  role: ActorRole;
}

/** Every kind of human task a household's events open (the task inbox: docs/design/process.md). */
export const TASK_TYPES = [
  'partner_check', 'committee_decision', 'contact_attempt', 'committee_review', 'support_review',
  'handoff_acknowledgement', 'watch_check', 'legal_deadline_warning',
] as const;
export type TaskType = (typeof TASK_TYPES)[number];
