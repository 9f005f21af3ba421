import type { TaskType } from '../household/vocabulary';
import { days } from './policy';

/**
 * When an open task counts as overdue. Some tasks are due the moment they open (a review, a watch
 * check-in) or carry the earliest time to act rather than a deadline (a contact attempt's
 * `notBefore`): they get a grace before the coordination hears of them, or every such task would
 * escalate.
 */
export const OVERDUE_GRACE_MS: Record<TaskType, number> = {
  partner_check: 0,
  committee_decision: 0,
  committee_review: 0,
  contact_attempt: days(3),
  support_review: days(7),
  handoff_acknowledgement: 0,
  watch_check: days(7),
  legal_deadline_warning: 0,
};

/** When an open task with a due date becomes overdue (its due date plus the type's grace). */
export const overdueAt = (task: { type: string; dueAt: Date }): Date =>
  new Date(task.dueAt.getTime() + (OVERDUE_GRACE_MS[task.type as TaskType] ?? 0));
