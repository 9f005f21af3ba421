import type { ProgrammePolicy } from '../../domain/programme/policy';
import type { AccountName } from './accounts';
import { eventually, type Harness } from './harness';
import { request } from './http';
import { fastPolicy } from './policy';

// The fast rhythm, with the few changes the inbox tests need: partners answer at their pace (no deadline
// cancelling their checks mid-test), one deferral allowed (the second is the rules' refusal), and
// watch check-ins spaced enough to be completed before the next one supersedes them.
export const taskPolicy: ProgrammePolicy = {
  ...fastPolicy,
  partnerCheck: { deadlineMs: 10 * 60_000, reminderLeadMs: 60_000 },
  committee: { deferLimit: 1 },
  watch: { ...fastPolicy.watch, lengthMs: 10 * 60_000, checkPeriodMs: 4_000 },
};

/** The task inbox through HTTP, as each role calls it (tasks*.api.test.ts). */
export function taskApi(h: Harness) {
  const api = (as: AccountName, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    request(h.baseUrl, method, path, body, { ...h.as[as].headers, ...headers });

  /** The task of this type the workflow opened for the household (waits for it). */
  const openTaskOf = (householdId: string, type: string, extra: Record<string, unknown> = {}) =>
    eventually(async () => (await h.db.task.findFirst({
      where: { householdId, type, status: { in: ['open', 'claimed'] }, ...extra },
      orderBy: { createdAt: 'desc' },
    })) ?? undefined, 30_000, `${type} task of ${householdId}`);

  const listIds = async (as: AccountName, query: string) => {
    const res = await api(as, 'GET', `/api/tasks?${query}`);
    expect(res.status).toBe(200);
    return (res.body.tasks as { id: string }[]).map((t) => t.id);
  };

  const eventsOf = (taskId: string) => h.db.taskEvent.findMany({ where: { taskId }, orderBy: [{ at: 'asc' }] });
  return { api, openTaskOf, listIds, eventsOf };
}
