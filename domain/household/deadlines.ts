import type { ProgrammePolicy } from '../programme/policy';
import type { TimerCommand, TimerCommandType } from './commands';
import type { HouseholdState } from './state';
import { addMs, isBefore, latest, type Instant } from './time';
import type { Phase } from './vocabulary';

export type DeadlineKind =
  | 'partner_check_reminder' | 'partner_check_deadline'
  | 'contact_attempt_due' | 'contact_time_limit'
  | 'support_review_due'
  | 'handoff_acknowledgement_reminder' | 'handoff_overlap_end'
  | 'watch_check_due' | 'watch_end';

export interface Deadline {
  kind: DeadlineKind;
  at: Instant;
}

/** The command the shell sends when a deadline of this kind has passed. */
export const TIMER_COMMAND_FOR: Record<DeadlineKind, TimerCommandType> = {
  partner_check_reminder: 'partnerCheckReminderDue',
  partner_check_deadline: 'partnerCheckDeadlineReached',
  contact_attempt_due: 'contactAttemptDue',
  contact_time_limit: 'contactTimeLimitReached',
  support_review_due: 'supportReviewDue',
  handoff_acknowledgement_reminder: 'handoffReminderDue',
  handoff_overlap_end: 'handoffOverlapEnded',
  watch_check_due: 'watchCheckDue',
  watch_end: 'watchEnded',
};

export const DEADLINE_KIND_FOR = Object.fromEntries(
  Object.entries(TIMER_COMMAND_FOR).map(([kind, type]) => [type, kind]),
) as Record<TimerCommandType, DeadlineKind>;

/** Timers each phase runs; on a tie the earlier in the list wins (an end before a reminder). */
const TIMERS_BY_PHASE: Record<Phase, readonly DeadlineKind[]> = {
  referred: [],
  partner_check: ['partner_check_deadline', 'partner_check_reminder'],
  committee: [],
  contact: ['contact_time_limit', 'contact_attempt_due'],
  support: ['support_review_due'],
  handoff: ['handoff_overlap_end', 'handoff_acknowledgement_reminder'],
  watch: ['watch_end', 'watch_check_due'],
  closed: [],
};

/**
 * When a timer of this kind is due, or undefined when it is not running (already done, waiting
 * for a person, or not this phase). Due times are computed from recorded facts rather than from
 * "now", so a worker that was down for a week still finds every missed deadline.
 */
export function dueAt(s: HouseholdState, policy: ProgrammePolicy, kind: DeadlineKind): Instant | undefined {
  if (!TIMERS_BY_PHASE[s.phase].includes(kind)) return undefined;
  switch (kind) {
    case 'partner_check_deadline':
      return s.partnerCheck && addMs(s.partnerCheck.openedAt, policy.partnerCheck.deadlineMs);
    case 'partner_check_reminder': {
      const check = s.partnerCheck;
      if (!check || check.lastReminderAt) return undefined;
      return addMs(check.openedAt, policy.partnerCheck.deadlineMs - policy.partnerCheck.reminderLeadMs);
    }
    case 'contact_time_limit':
      if (!s.contact || s.contact.escalation) return undefined;
      return addMs(s.contact.windowStartedAt, policy.contact.maxDurationMs);
    case 'contact_attempt_due': {
      const c = s.contact;
      // While the committee is asked, or while a requested attempt is still to be reported, no new request.
      if (!c || c.escalation || c.openRequest) return undefined;
      const lastAttemptAt = c.attempts[c.attempts.length - 1]?.at;
      return lastAttemptAt ? addMs(lastAttemptAt, policy.contact.attemptSpacingMs) : c.startedAt;
    }
    case 'support_review_due': {
      // An unanswered request is asked again one period later: a review is never forgotten.
      const since = latest(s.support.startedAt, s.support.lastReviewAt, s.support.lastReviewRequestedAt);
      return since && addMs(since, policy.support.reviewPeriodMs);
    }
    case 'handoff_overlap_end':
      return s.handoff && !s.handoff.overlapEnded ? addMs(s.handoff.startedAt, policy.handoff.overlapMs) : undefined;
    case 'handoff_acknowledgement_reminder': {
      const h = s.handoff;
      if (!h || h.schemes.every((x) => x.acknowledgedAt)) return undefined;
      return addMs(latest(h.startedAt, h.lastReminderAt) ?? h.startedAt, policy.handoff.acknowledgementReminderMs);
    }
    case 'watch_end':
      return s.watch && addMs(s.watch.startedAt, policy.watch.lengthMs);
    case 'watch_check_due': {
      if (!s.watch) return undefined;
      const next = addMs(s.watch.lastCheckAt ?? s.watch.startedAt, policy.watch.checkPeriodMs);
      // No check-in on the day the watch ends or after: the closure takes over.
      return isBefore(next, addMs(s.watch.startedAt, policy.watch.lengthMs)) ? next : undefined;
    }
    default: {
      const unknown: never = kind;
      throw new Error(`Unknown deadline kind ${String(unknown)}`);
    }
  }
}

/** The next timer the workflow must wait for in the current phase; undefined = wait for a message. */
export function nextDeadline(s: HouseholdState, policy: ProgrammePolicy): Deadline | undefined {
  let next: Deadline | undefined;
  for (const kind of TIMERS_BY_PHASE[s.phase]) {
    const at = dueAt(s, policy, kind);
    if (at !== undefined && (next === undefined || isBefore(at, next.at))) next = { kind, at };
  }
  return next;
}

/** What the shell sends once `deadline` has passed; `now` is the workflow's clock. */
export function commandForDeadline(deadline: Deadline, now: Instant): TimerCommand {
  return { type: TIMER_COMMAND_FOR[deadline.kind], at: now };
}

/**
 * When a closed case's personal data must be anonymised. Not a workflow timer: the workflow can
 * finish at closure and a daily Schedule anonymises what is due.
 */
export function anonymisationDueAt(s: HouseholdState, policy: ProgrammePolicy): Instant | undefined {
  return s.closedAt && addMs(s.closedAt, policy.retentionAfterClosureMs);
}
