import { defaultProgrammePolicy, type ProgrammePolicy } from '../../domain/programme/policy';

const SECOND = 1000;

/**
 * The programme's rhythm shrunk to seconds, so that whole paths run on the real dev server in a
 * test. Durations nobody waits for in a test stay long, so they cannot fire by surprise.
 */
export const fastPolicy: ProgrammePolicy = {
  ...defaultProgrammePolicy,
  partnerCheck: { deadlineMs: 4 * SECOND, reminderLeadMs: 2 * SECOND },
  contact: { attemptSpacingMs: 100, maxFailedAttempts: 6, maxDurationMs: 10 * 60 * SECOND },
  support: { reviewPeriodMs: 10 * 60 * SECOND },
  handoff: { overlapMs: 1 * SECOND, acknowledgementReminderMs: 10 * 60 * SECOND },
  watch: { ...defaultProgrammePolicy.watch, lengthMs: 4 * SECOND, checkPeriodMs: 1 * SECOND, relapseThroughCommittee: false },
  // Legal deadlines are real calendar dates: warn three months ahead so a test sees warnings now.
  legalDeadlineWarningLeadMs: 90 * 24 * 3600 * SECOND,
};

/** The fast rhythm with partners given half an hour: their checks stay open while a test answers them. */
export const patientPartnersPolicy: ProgrammePolicy = {
  ...fastPolicy,
  partnerCheck: { deadlineMs: 30 * 60 * SECOND, reminderLeadMs: 60 * SECOND },
};
