import { digestMail, jobSteps } from './proxies';
import { forEachSettled, MAIL_CONCURRENCY } from './fan-out';
import type { DailyDigestInput, JobSummary } from './messages';

/**
 * Started every morning by the `april-daily-digest` Schedule: each active user with open work
 * gets one mail listing it, overdue first (one digest per user and Paris day).
 */
export async function dailyDigestWorkflow(input: DailyDigestInput = {}): Promise<JobSummary> {
  const nowMs = input.nowMs ?? Date.now();
  const scope = input.householdIds ? { householdIds: input.householdIds } : {};
  const userIds = await jobSteps.listDigestRecipients({ nowMs, ...scope });
  const { done, failed } = await forEachSettled(userIds, MAIL_CONCURRENCY, (userId) => digestMail.sendDailyDigest({ userId, nowMs, ...scope }));
  return { planned: userIds.length, done, failed };
}
