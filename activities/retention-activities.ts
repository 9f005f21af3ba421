import { randomUUID } from 'node:crypto';
import { Prisma } from '../generated/prisma/client';
import type { ActivityDeps } from './index';

/** What stays of a household's identity once anonymised: enough to read a report, nothing to find the person. */
export const ANONYMISED_HEAD_NAME = 'Ménage anonymisé';
/** Unique per household (the open-tenancy index is partial, but a report may still group by reference). */
export const anonymisedReference = (householdId: string) => `anonymise-${householdId}`;

/**
 * Retention (CNIL framework for social support data): a closed case's personal data is blanked
 * once the policy's period after closure has passed. The figures the programme reports on stay:
 * landlord, rent, arrears, procedure stage, phase, track, outcome, dates, referral figures,
 * timeline event types and task types.
 */
export function createRetentionActivities({ db, clock }: ActivityDeps) {
  return {
    /** Closed before the cutoff and not anonymised yet, oldest closure first; ids only. */
    async listHouseholdsToAnonymise(input: { cutoffMs: number; batchSize: number; excludeIds?: string[] }): Promise<string[]> {
      const rows = await db.household.findMany({
        where: { closedAt: { lte: new Date(input.cutoffMs) }, anonymisedAt: null, ...(input.excludeIds?.length ? { id: { notIn: input.excludeIds } } : {}) },
        select: { id: true },
        orderBy: [{ closedAt: 'asc' }, { id: 'asc' }],
        take: input.batchSize,
      });
      return rows.map((r) => r.id);
    },

    /**
     * Blanks one household's personal data in one transaction, with its audit row. Idempotent: a
     * household already anonymised (or reopened, or closed after the cutoff) is left alone.
     */
    async anonymiseHousehold(input: { householdId: string; cutoffMs: number }): Promise<boolean> {
      return db.$transaction(async (tx) => {
        const household = await tx.household.findUnique({ where: { id: input.householdId }, select: { id: true, workflowId: true } });
        if (!household) return false;
        const now = clock();
        // The conditions are checked by the UPDATE itself: of two overlapping runs, the second
        // waits for the first's row lock, then finds the row anonymised and writes nothing.
        const claimed = await tx.household.updateMany({
          where: { id: household.id, anonymisedAt: null, closedAt: { not: null, lte: new Date(input.cutoffMs) } },
          data: {
            headName: ANONYMISED_HEAD_NAME, address: '', phone: null, email: null, referralNote: null,
            tenancyReference: anonymisedReference(household.id), anonymisedAt: now,
          },
        });
        if (claimed.count === 0) return false;
        const notes = await tx.note.updateMany({ where: { householdId: household.id }, data: { body: '' } });
        const referents = await tx.referentWorker.updateMany({ where: { householdId: household.id }, data: { name: 'Référent anonymisé', email: null, phone: null } });
        // Task answers may quote a referent's contact or a person's words; the task's type and dates stay.
        const tasks = await tx.task.updateMany({ where: { householdId: household.id }, data: { result: Prisma.DbNull } });
        await tx.taskEvent.updateMany({ where: { task: { householdId: household.id } }, data: { details: Prisma.DbNull } });
        // Mails about the household: whom they went to, and subjects that quote the tenancy reference.
        const mails = await tx.mailMessage.updateMany({
          where: { OR: [{ householdId: household.id }, { idempotencyKey: { startsWith: `${household.workflowId}:` } }] },
          data: { recipient: '[anonymisé]', subject: '[anonymisé]', text: null, lastError: null },
        });
        // The landlords' arrears files named the household by its tenancy reference: the rows keep
        // their figures and statuses for the import's report, not the reference nor the link.
        const importRows = await tx.arrearsImportRow.updateMany({ where: { householdId: household.id }, data: { tenancyReference: null, householdId: null } });
        await tx.auditEvent.create({
          data: {
            id: randomUUID(), actor: 'retention', action: 'household.anonymise', householdId: household.id, at: now,
            details: { notes: notes.count, referentWorkers: referents.count, tasks: tasks.count, mails: mails.count, importRows: importRows.count },
          },
        });
        return true;
      });
    },
  };
}
