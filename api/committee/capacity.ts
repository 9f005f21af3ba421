import type { Db } from '../../lib/db';
import type { ProgrammePolicy } from '../../domain/programme/policy';

/** Phases in which a household occupies an educator of the programme (the project sheet's "active" caseload). */
export const ACTIVE_PHASES = ['contact', 'support', 'handoff'] as const;

export interface Capacity {
  perLandlord: { landlordId: string; landlordName: string; active: number; capacity: number; full: boolean }[];
  total: { active: number; capacity: number; full: boolean };
}

/**
 * Active caseload against the programme's targets (20 per landlord, 60 in all by default), from the
 * database projection. Shown to the committee, never enforced: the rules only flag an admission
 * beyond it. `full` means no room for one more admission.
 */
export async function capacityOf(db: Db, policy: ProgrammePolicy): Promise<Capacity> {
  const [landlords, counts] = await Promise.all([
    db.landlord.findMany({ orderBy: { name: 'asc' }, select: { id: true, name: true } }),
    db.household.groupBy({ by: ['landlordId'], where: { phase: { in: [...ACTIVE_PHASES] }, closedAt: null }, _count: { _all: true } }),
  ]);
  const active = new Map(counts.map((row) => [row.landlordId, row._count._all]));
  const perLandlord = landlords.map((landlord) => {
    const count = active.get(landlord.id) ?? 0;
    return { landlordId: landlord.id, landlordName: landlord.name, active: count, capacity: policy.capacity.perLandlord, full: count >= policy.capacity.perLandlord };
  });
  const total = counts.reduce((sum, row) => sum + row._count._all, 0);
  return { perLandlord, total: { active: total, capacity: policy.capacity.total, full: total >= policy.capacity.total } };
}

/** The caseload the workflow is told when a decision is taken (it flags an admission beyond capacity). */
export async function caseloadFor(db: Db, landlordId: string): Promise<{ landlord: number; total: number }> {
  const active = { phase: { in: [...ACTIVE_PHASES] }, closedAt: null };
  const [landlord, total] = await Promise.all([
    db.household.count({ where: { ...active, landlordId } }),
    db.household.count({ where: active }),
  ]);
  return { landlord, total };
}
