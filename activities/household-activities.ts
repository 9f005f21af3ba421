import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityDeps } from './index';

export function createHouseholdActivities({ db, clock }: ActivityDeps) {
  return {
    /**
     * Records the referral and its timeline event in one transaction. Keyed by the workflow step,
     * so a retry after a crash finds what the first attempt wrote and writes nothing twice.
     */
    async recordReferral(input: {
      householdId: string;
      referredAt: string;
      actor: string;
      idempotencyKey: string;
    }): Promise<void> {
      await db.$transaction(async (tx) => {
        const household = await tx.household.findUnique({ where: { id: input.householdId } });
        if (!household) {
          // The API writes the row before it starts the workflow: a missing row is a bug, not a
          // transient fault, and retrying would not help.
          throw ApplicationFailure.nonRetryable(`household ${input.householdId} not found`, 'HouseholdMissing');
        }
        await tx.referral.upsert({
          where: { householdId: input.householdId },
          create: {
            id: randomUUID(),
            householdId: input.householdId,
            source: household.referralSource,
            arrearsCents: household.arrearsCents,
            recordedAt: clock(),
          },
          update: {},
        });
        await tx.timelineEvent.upsert({
          where: { idempotencyKey: input.idempotencyKey },
          create: {
            id: randomUUID(),
            idempotencyKey: input.idempotencyKey,
            householdId: input.householdId,
            type: 'referral_recorded',
            actor: input.actor,
            occurredAt: new Date(input.referredAt),
            data: { source: household.referralSource, arrearsCents: household.arrearsCents },
          },
          update: {},
        });
        await tx.household.update({ where: { id: input.householdId }, data: { phase: 'referred' } });
      });
    },
  };
}
