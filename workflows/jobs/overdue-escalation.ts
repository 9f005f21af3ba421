import { jobSteps, jobMail } from './proxies';
import { forEachSettled, MAIL_CONCURRENCY } from './fan-out';
import type { JobSummary, OverdueEscalationInput } from './messages';

/**
 * Started every hour by the `april-overdue-escalation` Schedule: each task past its due date
 * (plus its type's grace, activities/mail-labels.ts) and still open is mailed once to the
 * coordination, and its holder reminded. Hourly rather than with the morning digest, so that a
 * missed legal deadline is heard of the same day.
 */
export async function overdueEscalationWorkflow(input: OverdueEscalationInput = {}): Promise<JobSummary> {
  const nowMs = input.nowMs ?? Date.now();
  const taskIds = await jobSteps.listOverdueTasks({ nowMs, ...(input.householdIds ? { householdIds: input.householdIds } : {}) });
  const { done, failed } = await forEachSettled(taskIds, MAIL_CONCURRENCY, (taskId) => jobMail.escalateOverdueTask({ taskId }));
  return { planned: taskIds.length, done, failed };
}
