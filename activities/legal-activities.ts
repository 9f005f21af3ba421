import { randomUUID } from 'node:crypto';
import type { HouseholdState } from '../domain/household';
import { legalDeadlinesOf, legalWarningPlan, warningKey } from '../domain/legal/warnings';
import type { ProgrammePolicy } from '../domain/programme/policy';
import type { ActivityDeps } from './index';
import { createOutbox } from './outbox';
import { legalDeadlineWarning } from './mail-templates';

export function createLegalActivities(deps: ActivityDeps) {
  const { db } = deps;
  const sendOnce = createOutbox(deps);
  return {
    /** Which legal deadlines to warn of now, and when the next warning falls (see legal-warnings.ts). */
    async planLegalWarnings(input: { state: HouseholdState; policy: ProgrammePolicy; warned: string[]; nowMs: number }) {
      const plan = legalWarningPlan(input.state, input.policy, input.warned, input.nowMs);
      return { dueKeys: plan.due.map(warningKey), nextAtMs: plan.nextAtMs };
    },

    /**
     * Warns the household's educator (or the coordination, before an educator is named) of legal
     * deadlines ahead: one task, one timeline event and one mail per deadline, keyed by deadline.
     */
    async warnOfLegalDeadlines(input: { householdId: string; workflowId: string; state: HouseholdState; keys: string[]; nowMs: number }) {
      const today = new Date(input.nowMs).toISOString().slice(0, 10);
      const deadlines = legalDeadlinesOf(input.state, today).deadlines.filter((d) => input.keys.includes(warningKey(d)));
      const household = await db.household.findUniqueOrThrow({ where: { id: input.householdId } });
      const recipients = input.state.educatorId
        ? await db.user.findMany({ where: { id: input.state.educatorId, active: true } })
        : await db.user.findMany({ where: { role: 'coordinator', active: true } });
      for (const deadline of deadlines) {
        const key = `${input.workflowId}:legal:${warningKey(deadline)}`;
        const form = { kind: deadline.kind, dueDate: deadline.dueDate, label: deadline.label, basis: deadline.basis, leverHint: deadline.leverHint ?? null };
        await db.$transaction([
          db.task.createMany({
            skipDuplicates: true,
            data: [{
              id: randomUUID(), idempotencyKey: key, householdId: input.householdId, type: 'legal_deadline_warning',
              candidateRole: input.state.educatorId ? 'educator' : 'coordinator', assigneeId: input.state.educatorId ?? null,
              dueAt: new Date(`${deadline.dueDate}T00:00:00Z`), priority: deadline.severity === 'lever' ? 2 : 1, form,
            }],
          }),
          db.timelineEvent.createMany({
            skipDuplicates: true,
            data: [{ id: randomUUID(), idempotencyKey: key, householdId: input.householdId, type: 'legalDeadlineWarning', actor: 'system', occurredAt: new Date(input.nowMs), data: form }],
          }),
        ]);
        const mail = legalDeadlineWarning({ tenancyReference: household.tenancyReference, deadline, link: `${deps.publicUrl}/api/households/${household.id}` });
        for (const recipient of recipients) {
          await sendOnce(`${key}:mail:${recipient.id}`, recipient.email, 'legal_deadline_warning', mail, { householdId: household.id, userId: recipient.id });
        }
      }
    },
  };
}
