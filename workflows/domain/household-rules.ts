/**
 * The household process rules (DESIGN §3) as a pure Decider: `decide` turns a command into
 * events or a French refusal, `evolve` applies events, `nextDeadline` says which timer the
 * workflow waits for. No I/O, no clock, no Temporal import: the workflow shell and the API both
 * use this module, and its tests are plain tables (test/household-rules.unit.test.ts).
 */
export * from './household/vocabulary';
export * from './household/time';
export { ATTEMPTS_KEPT, HISTORY_LIMIT, initialState } from './household/state';
export type {
  CommitteeDecision, CommitteeDecisionRecord, ContactAttempt, ContactProgress, Finances, Handoff, HandoffScheme,
  HistoryEntry, HouseholdState, PartnerAnswerRecord, PartnerCheck, ProcedureEventRecord, Referral, SupportItem,
  SupportProgress,
} from './household/state';
export { TIMER_COMMAND_TYPES } from './household/commands';
export type {
  AcknowledgeHandoffCommand, CancelHandoffCommand, CloseCommand, CommandType, ContactEscalationDecisionCommand,
  EscalationDecision, HouseholdCommand, ProcedureDetails, OpenPartnerCheckCommand, RecordCommitteeDecisionCommand,
  RecordContactAttemptCommand, RecordPartnerAnswerCommand, RecordPaymentCommand, RecordProcedureEventCommand,
  RecordReviewCommand, RelapseDetectedCommand, StartCommand, StartHandoffCommand, TimerCommand, TimerCommandType,
  UpdateArrearsCommand, UpdateSupportPlanCommand, WithdrawCommand,
} from './household/commands';
export type { HouseholdEvent, HouseholdEventType, RelapseSignal } from './household/event-types';
export type { Decision } from './household/decision';
export { decide } from './household/decide';
export { evolve } from './household/evolve';
export { acceptedCommands, COMMAND_LABELS, PHASE_LABELS } from './household/phases';
export { anonymisationDueAt, commandForDeadline, dueAt, nextDeadline } from './household/deadlines';
export type { Deadline, DeadlineKind } from './household/deadlines';
export { suggestNextAttempt } from './household/contact';
export type { AttemptSuggestion } from './household/contact';
export { detectRelapse, isAdverseProcedureEvent, relapseThresholdCents } from './household/relapse';
