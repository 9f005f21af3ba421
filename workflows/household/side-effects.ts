import { addMs, type HouseholdEvent } from '../../domain/household';
import type { ProgrammePolicy } from '../../domain/programme/policy';

/** One applied event with its number in the household's life (the key of its timeline row). */
export interface NumberedEvent {
  seq: number;
  event: HouseholdEvent;
  /** For events that open a task: when it is due, from the policy. */
  taskDueAt?: string;
}

/** When the task an event opens is due; undefined for events that open none or have no due date. */
export function taskDueAt(event: HouseholdEvent, policy: ProgrammePolicy): string | undefined {
  switch (event.type) {
    case 'partnerCheckOpened':
      return addMs(event.at, policy.partnerCheck.deadlineMs);
    case 'contactAttemptRequested':
      return event.notBefore;
    case 'supportReviewRequested':
    case 'watchCheckRequested':
      return event.at;
    case 'handoffStarted':
      return addMs(event.at, policy.handoff.acknowledgementReminderMs);
    default:
      return undefined;
  }
}
