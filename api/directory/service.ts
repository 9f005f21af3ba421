import type { Db } from '../../lib/db';

/**
 * Who and what a form offers to choose, and the names a page shows for an id: the active
 * educators, the landlords, the partner organisations, people and households by name. One read
 * for each, so that every page lists them the same way (by name, in French order of the database).
 */
export function createDirectory(db: Db) {
  const byName = { name: 'asc' } as const;
  return {
    /** The educators a household can be entrusted to. */
    activeEducators() {
      return db.user.findMany({ where: { role: 'educator', active: true }, select: { id: true, displayName: true }, orderBy: { displayName: 'asc' } });
    },

    landlords() {
      return db.landlord.findMany({ select: { id: true, name: true }, orderBy: byName });
    },

    async landlordName(id: string): Promise<string | undefined> {
      return (await db.landlord.findUnique({ where: { id }, select: { name: true } }))?.name;
    },

    partnerOrganisations() {
      return db.partnerOrganisation.findMany({ select: { id: true, name: true }, orderBy: byName });
    },

    /** Every account, active or not (the audit log names who did what). */
    people() {
      return db.user.findMany({ select: { id: true, displayName: true, email: true, role: true }, orderBy: { displayName: 'asc' } });
    },

    /** The head of each household named by id (unknown ids are left out). */
    async householdNames(ids: readonly string[]): Promise<Map<string, string>> {
      if (!ids.length) return new Map();
      const rows = await db.household.findMany({ where: { id: { in: [...new Set(ids)] } }, select: { id: true, headName: true } });
      return new Map(rows.map((h) => [h.id, h.headName]));
    },
  };
}

export type Directory = ReturnType<typeof createDirectory>;
