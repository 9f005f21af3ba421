import { jobSteps, jobMail } from './proxies';
import { forEachSettled, MAIL_CONCURRENCY } from './fan-out';
import type { CommitteeAgendaInput, JobSummary } from './messages';

/**
 * Started by the API when a committee session is set (workflow id `committee-agenda-<sessionId>`):
 * each active committee member and coordinator gets the session's agenda. The agenda is fixed
 * once, as ids, so that everyone receives the same list.
 */
export async function committeeAgendaWorkflow(input: CommitteeAgendaInput): Promise<JobSummary> {
  const plan = await jobSteps.planCommitteeAgenda({ sessionId: input.sessionId, ...(input.householdIds ? { householdIds: input.householdIds } : {}) });
  const { done, failed } = await forEachSettled(plan.userIds, MAIL_CONCURRENCY, (userId) =>
    jobMail.sendCommitteeAgenda({ sessionId: input.sessionId, userId, householdIds: plan.householdIds }));
  return { planned: plan.userIds.length, done, failed };
}
