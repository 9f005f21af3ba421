import type { ProgrammePolicy } from '../programme/policy';
import type { RelapseSignal } from './event-types';
import type { HouseholdState } from './state';
import { isBefore } from './time';
import { PROTECTIVE_PROCEDURE_EVENTS, type ProcedureEventType } from './vocabulary';

export function relapseThresholdCents(state: HouseholdState, policy: ProgrammePolicy): number {
  const threshold = policy.watch.relapseArrears;
  return threshold.kind === 'amount'
    ? threshold.cents
    : Math.round(threshold.months * state.finances.monthlyRentCents);
}

/** A step that pushes the eviction procedure on, as opposed to one that protects the household. */
export const isAdverseProcedureEvent = (type: ProcedureEventType): boolean => !PROTECTIVE_PROCEDURE_EVENTS.includes(type);

/**
 * Signs of relapse during the watch (empty when none): arrears strictly above the policy
 * threshold, or an adverse procedure step the landlord reported since the watch began.
 */
export function detectRelapse(state: HouseholdState, policy: ProgrammePolicy): RelapseSignal[] {
  if (!state.watch) return [];
  const signals: RelapseSignal[] = [];
  const thresholdCents = relapseThresholdCents(state, policy);
  if (state.finances.arrearsCents > thresholdCents) {
    signals.push({ kind: 'arrears_above_threshold', arrearsCents: state.finances.arrearsCents, thresholdCents });
  }
  const since = state.watch.startedAt;
  for (const p of state.procedureEvents) {
    if (isAdverseProcedureEvent(p.type) && !isBefore(p.recordedAt, since)) {
      signals.push({ kind: 'procedure_event', procedureType: p.type, recordedAt: p.recordedAt });
    }
  }
  return signals;
}
