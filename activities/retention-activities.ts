import { randomUUID } from 'node:crypto';
import { AGE_ERASURE, householdErasure } from '../lib/personal-data';
import type { ActivityDeps } from './index';

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
        // What is cleared is the inventory's list (lib/personal-data.ts), column for column.
        const erase = householdErasure(household.id);
        // The conditions are checked by the UPDATE itself: of two overlapping runs, the second
        // waits for the first's row lock, then finds the row anonymised and writes nothing.
        const claimed = await tx.household.updateMany({
          where: { id: household.id, anonymisedAt: null, closedAt: { not: null, lte: new Date(input.cutoffMs) } },
          data: { ...erase.household, anonymisedAt: now },
        });
        if (claimed.count === 0) return false;
        const notes = await tx.note.updateMany({ where: { householdId: household.id }, data: erase.note });
        const referents = await tx.referentWorker.updateMany({ where: { householdId: household.id }, data: erase.referentWorker });
        // Task answers may quote a referent's contact or a person's words; the task's type and dates stay.
        const tasks = await tx.task.updateMany({ where: { householdId: household.id }, data: erase.task });
        await tx.taskEvent.updateMany({ where: { task: { householdId: household.id } }, data: erase.taskEvent });
        // Mails about the household: whom they went to, and subjects that quote the tenancy reference.
        const mails = await tx.mailMessage.updateMany({
          where: { OR: [{ householdId: household.id }, { idempotencyKey: { startsWith: `${household.workflowId}:` } }] },
          data: erase.mailMessage,
        });
        // The landlords' arrears files named the household by its tenancy reference: the rows keep
        // their figures and statuses for the import's report, not the reference nor the link.
        const importRows = await tx.arrearsImportRow.updateMany({ where: { householdId: household.id }, data: erase.arrearsImportRow });
        await tx.auditEvent.create({
          data: {
            id: randomUUID(), actor: 'retention', action: 'household.anonymise', householdId: household.id, at: now,
            details: { notes: notes.count, referentWorkers: referents.count, tasks: tasks.count, mails: mails.count, importRows: importRows.count },
          },
        });
        return true;
      });
    },

    /**
     * Mails written before the cutoff, a batch at a time: those linked to no household (daily
     * digests, committee agendas; legacy rows) are deleted, the others lose their text and error.
     * Sent or failed alike: a failed digest kept for ever would be names and references kept for
     * ever. Idempotent: a second run finds nothing left to do.
     */
    async purgeOldMails(input: { cutoffMs: number; batchSize: number }): Promise<{ deleted: number; cleared: number }> {
      const before = { createdAt: { lt: new Date(input.cutoffMs) } };
      const orphans = await db.mailMessage.findMany({ where: { ...before, householdId: null }, select: { id: true }, orderBy: { createdAt: 'asc' }, take: input.batchSize });
      const deleted = orphans.length ? (await db.mailMessage.deleteMany({ where: { id: { in: orphans.map((m) => m.id) }, ...before, householdId: null } })).count : 0;
      const withText = await db.mailMessage.findMany({
        where: { ...before, householdId: { not: null }, OR: [{ text: { not: null } }, { lastError: { not: null } }] },
        select: { id: true }, orderBy: { createdAt: 'asc' }, take: input.batchSize,
      });
      const cleared = withText.length ? (await db.mailMessage.updateMany({ where: { id: { in: withText.map((m) => m.id) } }, data: AGE_ERASURE.cleared.mailMessage })).count : 0;
      return { deleted, cleared };
    },

    /**
     * The lines of the landlords' files uploaded before the cutoff lose their tenancy reference and
     * error (most name tenancies APRIL does not follow); the figures and statuses stay for the
     * import's counts. A batch of imports at a time; idempotent.
     */
    async clearOldImportRows(input: { cutoffMs: number; batchSize: number }): Promise<number> {
      const imports = await db.arrearsImport.findMany({
        where: { createdAt: { lt: new Date(input.cutoffMs) }, rows: { some: { OR: [{ tenancyReference: { not: null } }, { error: { not: null } }] } } },
        select: { id: true }, orderBy: { createdAt: 'asc' }, take: input.batchSize,
      });
      if (imports.length === 0) return 0;
      const rows = await db.arrearsImportRow.updateMany({
        where: { importId: { in: imports.map((i) => i.id) }, OR: [{ tenancyReference: { not: null } }, { error: { not: null } }] },
        data: AGE_ERASURE.cleared.arrearsImportRow,
      });
      return rows.count;
    },
  };
}
