import { defaultProgrammePolicy, type ProgrammePolicy } from '../../domain/programme/policy';

const SECOND = 1000;
const HOUR = 3600 * SECOND;

/**
 * The programme's rhythm shrunk to seconds where a household must move on by itself (handoff
 * overlap, watch checks, end of watch), like test/support/policy.ts. Every other timer stays long
 * so that none fires by surprise under load: the partners answer before their deadline, and a
 * slow driver must not add reminders (mails, events) that the counts do not expect.
 */
export const benchPolicy: ProgrammePolicy = {
  ...defaultProgrammePolicy,
  partnerCheck: { deadlineMs: 2 * HOUR, reminderLeadMs: 1 * HOUR },
  contact: { attemptSpacingMs: 100, maxFailedAttempts: 6, maxDurationMs: 24 * HOUR },
  support: { reviewPeriodMs: 24 * HOUR },
  handoff: { overlapMs: 1 * SECOND, acknowledgementReminderMs: 24 * HOUR },
  watch: { ...defaultProgrammePolicy.watch, lengthMs: 4 * SECOND, checkPeriodMs: 1 * SECOND, relapseThroughCommittee: false },
};

/** For the scale run: households stay in watch for a year, with a check every `checkPeriodMs`. */
export function scalePolicy(checkPeriodMs: number): ProgrammePolicy {
  return { ...benchPolicy, watch: { ...benchPolicy.watch, lengthMs: 365 * 24 * HOUR, checkPeriodMs } };
}
