import { correctionSince } from '../access/guard';
import { caseFileViewFor } from '../access/permissions';
import { recordListAudit } from '../audit';
import type { Principal } from '../auth/principal';
import type { ApiCore } from '../context';
import type { Directory } from '../directory/service';
import { householdListSelect, householdListWhere, type HouseholdFilter } from './list';

/**
 * The households the pages list, with the scope and filters of `GET /api/households`
 * (api/households/list.ts): the household list (with each one's nearest due date and educator,
 * as the viewer may see them) and the landlord space's list.
 */
export function createHouseholdLists(core: Pick<ApiCore, 'db' | 'clock' | 'policy'>, directory: Directory) {
  const { db } = core;
  return {
    /**
     * The viewer's households under the filter, shaped by what the viewer may see (`caseFileViewFor`):
     * a partner sees neither debt nor reference, only the full view sees due dates and educators.
     * Also the active educators (for the filter's choices) when the view shows them.
     */
    async forViewer(principal: Principal, filter: HouseholdFilter, requestId?: string) {
      const view = caseFileViewFor(principal.role);
      const where = householdListWhere(filter, principal, correctionSince(core));
      const [listed, deadlines, educators] = await Promise.all([
        db.household.findMany({ where, select: { ...householdListSelect, headName: true, arrearsCents: true, landlord: { select: { name: true } } } }),
        db.task.groupBy({ by: ['householdId'], where: { household: where, status: { in: ['open', 'claimed'] }, dueAt: { not: null } }, _min: { dueAt: true } }),
        view === 'full' ? directory.activeEducators() : [],
      ]);
      // Names and debts read: one audit row per household shown, as for the task inbox.
      await recordListAudit(db, { actor: principal.id, action: 'household.list', householdIds: listed.map((h) => h.id), requestId });
      const dueById = new Map(deadlines.map((d) => [d.householdId, d._min.dueAt]));
      const educatorName = new Map(educators.map((e) => [e.id, e.displayName]));
      const rows = listed.map(({ landlord, arrearsCents, ...row }) => ({
        ...row,
        createdAt: row.createdAt.toISOString(),
        landlordName: landlord.name,
        arrears: view === 'partner' ? undefined : arrearsCents / 100,
        nextDue: view === 'full' ? dueById.get(row.id) ?? undefined : undefined,
        educatorName: view === 'full' && row.educatorId ? educatorName.get(row.educatorId) : undefined,
        tenancyReference: view === 'partner' ? undefined : row.tenancyReference,
      }));
      return { view, rows, educators };
    },

    /** The landlord space: the households of one landlord (or all the viewer may list), newest first. */
    async forLandlordSpace(principal: Principal, landlordId: string | undefined, requestId?: string) {
      const listed = await db.household.findMany({
        where: householdListWhere(landlordId ? { landlordId } : {}, principal, correctionSince(core)),
        select: { id: true, tenancyReference: true, phase: true, createdAt: true, headName: true, arrearsCents: true },
        orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      });
      await recordListAudit(db, { actor: principal.id, action: 'household.list', householdIds: listed.map((h) => h.id), requestId });
      return listed.map(({ arrearsCents, createdAt, ...h }) => ({ ...h, createdAt: createdAt.toISOString(), arrears: arrearsCents / 100 }));
    },
  };
}

export type HouseholdLists = ReturnType<typeof createHouseholdLists>;
