import { randomUUID } from 'node:crypto';
import type { Prisma, Role, TaskStatus } from '../generated/prisma/client';
import type { NumberedEvent } from '../workflows/household/side-effects';

/**
 * Which human tasks an event opens or closes (the task inbox: docs/design/process.md). Pure: the activity
 * writes what this returns. Task keys derive from the event number, so a retry opens nothing twice.
 */
export interface TaskChanges {
  create: Prisma.TaskCreateManyInput[];
  close: { where: Prisma.TaskWhereInput; status: TaskStatus }[];
  /**
   * What is written on tasks whatever their status: a partner's answer on its own check, so that
   * the organisation reads it back (and a correction replaces it) however it was given.
   */
  record?: { where: Prisma.TaskWhereInput; result: Prisma.InputJsonObject }[];
}

export function taskChangesFor(
  { seq, event, taskDueAt }: NumberedEvent,
  ctx: { workflowId: string; householdId: string; educatorId?: string },
): TaskChanges {
  const task = (suffix: string, type: string, candidateRole: Role, extra: Partial<Prisma.TaskCreateManyInput> = {}) => ({
    id: randomUUID(),
    idempotencyKey: `${ctx.workflowId}:event:${seq}:${suffix}`,
    householdId: ctx.householdId,
    type,
    candidateRole,
    dueAt: taskDueAt ? new Date(taskDueAt) : null,
    ...extra,
  });
  const done = (where: Prisma.TaskWhereInput): TaskChanges['close'][number] => ({ where, status: 'completed' });
  const cancelled = (where: Prisma.TaskWhereInput): TaskChanges['close'][number] => ({ where, status: 'cancelled' });
  const none: TaskChanges = { create: [], close: [] };

  switch (event.type) {
    case 'partnerCheckOpened':
      return {
        create: event.partnerOrgIds.map((partnerOrganisationId) =>
          task(partnerOrganisationId, 'partner_check', 'partner_worker', { partnerOrganisationId, form: { partnerOrgId: partnerOrganisationId } }),
        ),
        close: [],
      };
    case 'partnerAnswerRecorded': {
      const check = { type: 'partner_check', partnerOrganisationId: event.partnerOrgId };
      const result = { partnerOrgId: event.partnerOrgId, answer: event.answer, ...(event.referentWorkerRef && { referentWorkerRef: event.referentWorkerRef }) };
      return { create: [], close: [done(check)], record: [{ where: { ...check, status: { not: 'cancelled' } }, result }] };
    }
    case 'partnerCheckCompleted':
      return {
        create: [task('committee', 'committee_decision', 'committee_member', { priority: 1 })],
        close: [cancelled({ type: 'partner_check' })],
      };
    case 'committeeDecisionRecorded':
      return event.decision.kind === 'defer' ? none : { create: [], close: [done({ type: { in: ['committee_decision', 'committee_review'] } })] };
    case 'contactAttemptRequested':
      return {
        create: [task('attempt', 'contact_attempt', 'educator', { assigneeId: ctx.educatorId ?? null, form: { suggestedSlot: event.slot, notBefore: event.notBefore } })],
        close: [],
      };
    case 'contactAttemptRecorded':
      return { create: [], close: [done({ type: 'contact_attempt' })] };
    case 'contactEscalated':
      return { create: [task('escalation', 'committee_review', 'committee_member', { priority: 2, form: { reason: event.reason } })], close: [] };
    case 'committeeReviewRequested':
      return { create: [task('review', 'committee_review', 'committee_member', { priority: 2, form: { reason: event.reason } })], close: [] };
    case 'contactEscalationResolved':
      return { create: [], close: [done({ type: 'committee_review' })] };
    case 'supportStarted':
      // Whatever led here (first contact, readmission, relapse) ends the previous phase's tasks.
      return { create: [], close: [cancelled({ type: { in: ['contact_attempt', 'committee_review', 'watch_check'] } })] };
    case 'watchStarted':
      return { create: [], close: [cancelled({ type: { in: ['support_review', 'handoff_acknowledgement'] } })] };
    case 'supportReviewRequested':
      return { create: [task('review', 'support_review', 'educator', { assigneeId: ctx.educatorId ?? null })], close: [] };
    case 'reviewRecorded':
      return { create: [], close: [done({ type: 'support_review' })] };
    case 'handoffStarted':
      return {
        create: event.schemes.map(({ scheme, partnerOrgId, sharedNoteRef }) =>
          task(scheme, 'handoff_acknowledgement', 'partner_worker', { partnerOrganisationId: partnerOrgId ?? null, form: { scheme, ...(sharedNoteRef && { sharedNoteRef }) } }),
        ),
        close: [],
      };
    case 'handoffAcknowledged':
      return { create: [], close: [done({ type: 'handoff_acknowledgement', form: { path: ['scheme'], equals: event.scheme } })] };
    case 'handoffCancelled':
      return { create: [], close: [cancelled({ type: 'handoff_acknowledgement' })] };
    case 'watchCheckRequested':
      return { create: [task('check', 'watch_check', 'educator', { assigneeId: ctx.educatorId ?? null })], close: [cancelled({ type: 'watch_check' })] };
    case 'caseClosed':
      return { create: [], close: [cancelled({})] };
    default:
      return none;
  }
}
