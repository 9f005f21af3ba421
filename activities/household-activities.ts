import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { Prisma } from '../generated/prisma/client';
import type { HouseholdEvent } from '../domain/household';
import type { HouseholdView } from '../workflows/household/messages';
import type { NumberedEvent } from '../workflows/household/side-effects';
import type { ActivityDeps } from './index';
import { taskChangesFor } from './household-tasks';

export interface Projection {
  phase: string;
  track?: string;
  outcome?: string;
  closedAt?: string;
  educatorId?: string;
}

/** Who did it, as the timeline shows it: a person's id, or the machine feed / timer. */
function actorOf(event: HouseholdEvent): string {
  return 'by' in event && event.by ? event.by.id : 'system';
}

/** What the timeline keeps of an event: process facts only (ids, codes, amounts), never free text. */
function timelineData(event: HouseholdEvent): Prisma.InputJsonValue {
  const { type: _type, at: _at, ...rest } = event as HouseholdEvent & Record<string, unknown>;
  return JSON.parse(JSON.stringify(rest)) as Prisma.InputJsonValue;
}

export function createHouseholdActivities({ db }: ActivityDeps) {
  return {
    /**
     * Writes a batch of applied events: timeline rows, the tasks they open or close, the referral
     * row, and the household's projection, in one transaction. Every row is keyed by the event's
     * number, so a retried activity writes nothing twice.
     */
    async recordHouseholdEvents(input: {
      householdId: string;
      workflowId: string;
      events: NumberedEvent[];
      projection: Projection;
      /**
       * The workflow's view after these events (what its query answers), written with them in the
       * same transaction: the API reads it instead of querying the workflow. Absent from the steps
       * of workflows running older code, replayed: their view is then written at their next step.
       */
      view?: HouseholdView;
    }): Promise<void> {
      await db.$transaction(async (tx) => {
        const household = await tx.household.findUnique({ where: { id: input.householdId } });
        if (!household) {
          // The API writes the row before it starts the workflow: a missing row is a bug, not a
          // transient fault, and retrying would not help.
          throw ApplicationFailure.nonRetryable(`household ${input.householdId} not found`, 'HouseholdMissing');
        }
        await tx.timelineEvent.createMany({
          skipDuplicates: true,
          data: input.events.map(({ seq, event }) => ({
            id: randomUUID(),
            idempotencyKey: `${input.workflowId}:event:${seq}`,
            householdId: input.householdId,
            type: event.type,
            actor: actorOf(event),
            occurredAt: new Date(event.at),
            data: timelineData(event),
          })),
        });
        for (const numbered of input.events) {
          if (numbered.event.type === 'referralRecorded') {
            await tx.referral.upsert({
              where: { householdId: input.householdId },
              create: {
                id: randomUUID(),
                householdId: input.householdId,
                source: household.referralSource,
                arrearsCents: numbered.event.arrearsCents,
                recordedAt: new Date(numbered.event.at),
              },
              update: {},
            });
          }
          const changes = taskChangesFor(numbered, { workflowId: input.workflowId, householdId: input.householdId, educatorId: input.projection.educatorId });
          // Close before create: a new watch check supersedes the previous one, not itself.
          const ownKeys = changes.create.map((t) => t.idempotencyKey);
          for (const close of changes.close) {
            await tx.task.updateMany({
              // Never the tasks this very event opens (a retry after a lost commit finds them open).
              where: { householdId: input.householdId, status: { in: ['open', 'claimed'] }, idempotencyKey: { notIn: ownKeys }, ...close.where },
              data: { status: close.status, completedAt: new Date(numbered.event.at) },
            });
          }
          if (changes.create.length > 0) await tx.task.createMany({ skipDuplicates: true, data: changes.create });
          for (const record of changes.record ?? []) {
            await tx.task.updateMany({ where: { householdId: input.householdId, ...record.where }, data: { result: record.result } });
          }
        }
        await tx.household.update({
          where: { id: input.householdId },
          data: {
            phase: input.projection.phase,
            track: input.projection.track ?? null,
            outcome: input.projection.outcome ?? null,
            educatorId: input.projection.educatorId ?? null,
            closedAt: input.projection.closedAt ? new Date(input.projection.closedAt) : null,
          },
        });
        if (input.view) {
          // Only forward: a retried older step never replaces a newer view.
          await tx.household.updateMany({
            where: { id: input.householdId, viewSeq: { lt: input.view.eventSeq } },
            data: { view: input.view as unknown as Prisma.InputJsonObject, viewSeq: input.view.eventSeq },
          });
        }
      });
    },
  };
}
