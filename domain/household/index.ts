/**
 * The household process rules (docs/design/process.md) as a pure Decider: `decide` turns a command into
 * events or a French refusal, `evolve` applies events, `nextDeadline` says which timer the
 * workflow waits for. No I/O, no clock, no Temporal import: the workflow shell and the API both
 * use this module, and its tests are plain tables (test/household-rules.unit.test.ts).
 */
export * from './vocabulary';
export * from './time';
export { ATTEMPTS_KEPT, HISTORY_LIMIT, initialState } from './state';
export type {
  CommitteeDecision, CommitteeDecisionRecord, ContactAttempt, ContactProgress, Finances, Handoff, HandoffScheme,
  HistoryEntry, HouseholdState, PartnerAnswerRecord, PartnerCheck, ProcedureEventRecord, Referral, SupportItem,
  SupportProgress,
} from './state';
export { TIMER_COMMAND_TYPES } from './commands';
export type {
  AcknowledgeHandoffCommand, CancelHandoffCommand, CloseCommand, CommandType, ContactEscalationDecisionCommand,
  EscalationDecision, HouseholdCommand, PartnerListAnswer, ProcedureDetails, OpenPartnerCheckCommand, RecordCommitteeDecisionCommand,
  RecordContactAttemptCommand, RecordPartnerAnswerCommand, RecordPaymentCommand, RecordProcedureEventCommand,
  RecordReviewCommand, RelapseDetectedCommand, StartCommand, StartHandoffCommand, TimerCommand, TimerCommandType,
  UpdateArrearsCommand, UpdateSupportPlanCommand, WithdrawCommand,
} from './commands';
export type { HouseholdEvent, HouseholdEventType, RelapseSignal } from './event-types';
export type { Decision } from './decision';
export { decide } from './decide';
export { evolve } from './evolve';
export { acceptedCommands, COMMAND_LABELS, PHASE_LABELS } from './phases';
export { anonymisationDueAt, commandForDeadline, dueAt, nextDeadline } from './deadlines';
export type { Deadline, DeadlineKind } from './deadlines';
export { suggestNextAttempt } from './contact';
export type { AttemptSuggestion } from './contact';
export { detectRelapse, isAdverseProcedureEvent, relapseThresholdCents } from './relapse';
