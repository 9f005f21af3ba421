/**
 * The legal deadlines of the French eviction procedure (docs/legal/deadlines.md), computed from
 * the lease date and the procedure events. Pure and deterministic: no I/O, no clock (today is an
 * input), no Temporal import, so workflow code, the API and the tests can all use it.
 * Rules are versioned by the date they took effect (legal/rules.ts); dates are calendar dates
 * 'YYYY-MM-DD' computed in UTC (legal/dates.ts documents the counting conventions).
 */
export { computeLegalDeadlines, warningsDue } from './compute';
export { deadlineStatus } from './context';
export {
  addDays, addMonths, addPeriod, daysBetween, formatFr, isIsoDate, type IsoDate, type Period,
} from './dates';
export {
  addWorkingDays, easterSunday, frenchPublicHolidays, isPublicHoliday, isWorkingDay, nextWorkingDayOnOrAfter,
  workingDaysBetween, type PublicHoliday,
} from './holidays';
export {
  afterWinterTruce, checkGracePeriod, earliestEvictionDate, isWinterTruce, orderToLeaveExpiry, policeAssistanceDecision,
} from './eviction';
export { isArrearsConstituted } from './arrears';
export { RULES, ruleAt, type Rule, type RuleVersion } from './rules';
export { LEGAL_DEADLINE_KINDS, LEGAL_EVENT_TYPES } from './types';
export type {
  DeadlineStatus, LegalDeadline, LegalDeadlineInput, LegalDeadlineKind, LegalDeadlineReport, LegalEvent, LegalEventType,
  LegalFlag, LegalFlagCode, LegalInputError, LegalInputErrorCode, LegalSeverity,
} from './types';
