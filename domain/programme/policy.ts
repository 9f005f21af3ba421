/**
 * The programme's rhythm: every duration, count and threshold the household rules use.
 *
 * Durations are plain milliseconds (`…Ms` fields) because that is what Temporal's `sleep` and
 * `condition` timeouts take without conversion and what survives JSON in the workflow input.
 * Write them with `days(n)`. Months are counted as 30 days and a year as 365: these are
 * programme habits, not legal deadlines (the law's deadlines live in `domain/legal/`).
 *
 * The policy is snapshotted into each workflow's input, so tests can shrink it to seconds and a
 * programme can tune it without touching code. Kept free of imports so that workflow code,
 * the API and the tests can all load it.
 */
export const DAY_MS = 24 * 60 * 60 * 1000;

export const days = (count: number): number => count * DAY_MS;

/** Arrears above which a household under watch has relapsed. */
export type RelapseArrearsThreshold =
  | { kind: 'months_of_rent'; months: number }
  | { kind: 'amount'; cents: number };

export interface ProgrammePolicy {
  partnerCheck: {
    /** Time partners have to say whether they already follow the household. */
    deadlineMs: number;
    /** How long before that deadline the partners still silent are reminded. */
    reminderLeadMs: number;
    /**
     * How long an organisation's caseload list answers for it (docs/privacy/caseload-lists.md): within
     * this age a list without the household answers "not known"; older, the organisation is asked.
     * Absent from policies snapshotted before the lists: `caseloadListFreshness` gives the default.
     */
    caseloadListFreshMs?: number;
  };
  committee: {
    /** Deferrals allowed in a row; beyond, the committee must admit, reorient or reject. */
    deferLimit: number;
  };
  contact: {
    /** Minimum gap between two contact attempts. */
    attemptSpacingMs: number;
    /** Failed attempts before the committee is asked whether to go on. */
    maxFailedAttempts: number;
    /** Time without a first contact before the committee is asked whether to go on. */
    maxDurationMs: number;
  };
  support: {
    /** A review task is due this long after the last review (or the start of support). */
    reviewPeriodMs: number;
  };
  handoff: {
    /** Overlap during which APRIL and the mainstream scheme both follow the household. */
    overlapMs: number;
    /** Receiving partners that have not acknowledged are reminded at this interval. */
    acknowledgementReminderMs: number;
  };
  watch: {
    lengthMs: number;
    checkPeriodMs: number;
    relapseArrears: RelapseArrearsThreshold;
    /** When true a relapse goes back through the committee; otherwise straight to support. */
    relapseThroughCommittee: boolean;
  };
  /** Active caseload targets from the project sheet: shown to the committee, not enforced. */
  capacity: { perLandlord: number; total: number };
  /** How far ahead of a legal deadline the educator is warned. */
  legalDeadlineWarningLeadMs: number;
  /**
   * How long a partner organisation still reads a household after answering what was asked of it
   * (a check, a handoff), to see and correct its answer; then the household leaves its scope.
   * Read by the API only (docs/design/roles-and-access.md).
   */
  partnerCorrectionWindowMs: number;
  /** Closed cases are anonymised this long after closure (CNIL framework). */
  retentionAfterClosureMs: number;
  /**
   * Mails and the lines of the landlords' arrears files are kept this long after they were written,
   * sent or not (docs/privacy/data-inventory.md): then mails linked to no household (daily digests,
   * committee agendas) are deleted, the others lose their text and error (their subject and
   * recipient go with the household's anonymisation), and the lines lose their reference and error.
   */
  recordsRetentionMs: number;
  /**
   * Not a programme rhythm but the engine's: a household's run starts afresh (continue-as-new,
   * state carried over) once its history has this many events, so years of watch stay cheap to
   * replay. Temporal suggests it on its own much later (tens of thousands of events).
   */
  historyEventsBeforeContinueAsNew: number;
}

export const defaultProgrammePolicy: ProgrammePolicy = {
  partnerCheck: { deadlineMs: days(10), reminderLeadMs: days(3), caseloadListFreshMs: days(31) },
  committee: { deferLimit: 3 },
  // The sheet says it takes 4 visits on average before a first contact: 8 leaves room for the tail.
  contact: { attemptSpacingMs: days(3), maxFailedAttempts: 8, maxDurationMs: days(60) },
  support: { reviewPeriodMs: days(30) },
  handoff: { overlapMs: days(60), acknowledgementReminderMs: days(7) },
  watch: {
    lengthMs: days(365),
    checkPeriodMs: days(30),
    relapseArrears: { kind: 'months_of_rent', months: 1 },
    relapseThroughCommittee: false,
  },
  capacity: { perLandlord: 20, total: 60 },
  legalDeadlineWarningLeadMs: days(14),
  partnerCorrectionWindowMs: days(7),
  retentionAfterClosureMs: days(730),
  // Long enough to resend a failed mail or read an import's report; a digest is stale the next day.
  recordsRetentionMs: days(90),
  historyEventsBeforeContinueAsNew: 2_000,
};

/** How long a caseload list answers for its organisation: the policy's, else 31 days. */
export function caseloadListFreshness(p: ProgrammePolicy): number {
  return p.partnerCheck.caseloadListFreshMs ?? days(31);
}

/**
 * What is wrong with a policy, in French for the administrator who tuned it; empty when valid.
 * Plain checks rather than zod so that the module stays import-free for workflow code.
 */
export function validateProgrammePolicy(p: ProgrammePolicy): string[] {
  const problems: string[] = [];
  const duration = (path: string, value: number) => {
    if (!Number.isSafeInteger(value) || value <= 0) {
      problems.push(`${path} : une durée strictement positive en millisecondes est attendue.`);
    }
  };
  const count = (path: string, value: number, min: number) => {
    if (!Number.isSafeInteger(value) || value < min) {
      problems.push(`${path} : un nombre entier supérieur ou égal à ${min} est attendu.`);
    }
  };

  duration('partnerCheck.deadlineMs', p.partnerCheck.deadlineMs);
  duration('partnerCheck.reminderLeadMs', p.partnerCheck.reminderLeadMs);
  duration('partnerCorrectionWindowMs', p.partnerCorrectionWindowMs);
  if (p.partnerCheck.caseloadListFreshMs !== undefined) duration('partnerCheck.caseloadListFreshMs', p.partnerCheck.caseloadListFreshMs);
  if (p.partnerCheck.reminderLeadMs >= p.partnerCheck.deadlineMs) {
    problems.push('partnerCheck.reminderLeadMs : la relance doit précéder la date limite de vérification.');
  }
  count('committee.deferLimit', p.committee.deferLimit, 0);
  duration('contact.attemptSpacingMs', p.contact.attemptSpacingMs);
  count('contact.maxFailedAttempts', p.contact.maxFailedAttempts, 1);
  duration('contact.maxDurationMs', p.contact.maxDurationMs);
  duration('support.reviewPeriodMs', p.support.reviewPeriodMs);
  duration('handoff.overlapMs', p.handoff.overlapMs);
  duration('handoff.acknowledgementReminderMs', p.handoff.acknowledgementReminderMs);
  duration('watch.lengthMs', p.watch.lengthMs);
  duration('watch.checkPeriodMs', p.watch.checkPeriodMs);
  if (p.watch.checkPeriodMs > p.watch.lengthMs) {
    problems.push('watch.checkPeriodMs : le point de veille doit revenir au moins une fois pendant la veille.');
  }
  const threshold = p.watch.relapseArrears;
  if (threshold.kind === 'months_of_rent' && !(Number.isFinite(threshold.months) && threshold.months > 0)) {
    problems.push('watch.relapseArrears.months : un nombre de mois de loyer strictement positif est attendu.');
  }
  if (threshold.kind === 'amount') count('watch.relapseArrears.cents', threshold.cents, 0);
  if (typeof p.watch.relapseThroughCommittee !== 'boolean') {
    problems.push('watch.relapseThroughCommittee : vrai ou faux est attendu.');
  }
  count('capacity.perLandlord', p.capacity.perLandlord, 1);
  count('capacity.total', p.capacity.total, 1);
  if (p.capacity.perLandlord > p.capacity.total) {
    problems.push('capacity.perLandlord : la capacité par bailleur ne peut dépasser la capacité totale.');
  }
  duration('legalDeadlineWarningLeadMs', p.legalDeadlineWarningLeadMs);
  duration('retentionAfterClosureMs', p.retentionAfterClosureMs);
  duration('recordsRetentionMs', p.recordsRetentionMs);
  count('historyEventsBeforeContinueAsNew', p.historyEventsBeforeContinueAsNew, 50);
  return problems;
}
