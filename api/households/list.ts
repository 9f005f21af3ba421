import type { Prisma } from '../../generated/prisma/client';
import { correctionSince, type ScopeContext } from '../access/guard';
import { recordListAudit } from '../audit';
import { NIL_UUID, type Viewer } from '../access/permissions';
import { partnerHouseholdsWhere } from '../tasks/scope';
import type { ListQuery } from './schemas';

export type HouseholdFilter = Pick<ListQuery, 'phase' | 'landlordId' | 'track' | 'educatorId'>;

/**
 * The households a viewer may list, narrowed by the filter: the database side of `householdInScope`.
 * Lists read the households' projection (phase, track, educator: written by the workflow's
 * activities), indexed and complete; Temporal's visibility keeps the same facts for operators.
 */
export function householdListWhere(filter: HouseholdFilter, viewer: Viewer, partnerAnswersSince: Date): Prisma.HouseholdWhereInput {
  const scope: Prisma.HouseholdWhereInput = {
    coordinator: {},
    committee_member: {},
    educator: {},
    // A landlord agent lists its own landlord's households, whatever it asks for.
    landlord_agent: { landlordId: viewer.landlordId ?? NIL_UUID },
    // A partner worker lists only the households whose check or handoff is addressed to it now.
    partner_worker: partnerHouseholdsWhere(viewer.partnerOrganisationId, partnerAnswersSince),
    admin: { id: NIL_UUID },
  }[viewer.role];
  return {
    AND: [
      scope,
      // Without a phase, the households still followed: a closed case is listed when asked for.
      filter.phase ? { phase: filter.phase } : { phase: { not: 'closed' } },
      filter.landlordId ? { landlordId: filter.landlordId } : {},
      filter.track ? { track: filter.track } : {},
      filter.educatorId ? { educatorId: filter.educatorId } : {},
    ],
  };
}

export const householdListSelect = {
  id: true, landlordId: true, tenancyReference: true, phase: true, track: true, educatorId: true, createdAt: true,
} as const satisfies Prisma.HouseholdSelect;

/** `GET /api/households`: one page, oldest referral first; the id makes the order total for offset paging. */
export async function listHouseholds(scope: ScopeContext, query: ListQuery, viewer: Viewer & { id: string }, requestId?: string) {
  const { db } = scope;
  const where = householdListWhere(query, viewer, correctionSince(scope));
  const [total, rows] = await Promise.all([
    db.household.count({ where }),
    db.household.findMany({ where, select: householdListSelect, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], skip: query.offset, take: query.limit }),
  ]);
  // What was read, by whom: one audit row per household listed.
  await recordListAudit(db, { actor: viewer.id, action: 'household.list', householdIds: rows.map((r) => r.id), requestId });
  const nextOffset = query.offset + rows.length < total ? query.offset + rows.length : null;
  return {
    households: rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })),
    page: { limit: query.limit, offset: query.offset, total, nextOffset },
  };
}
