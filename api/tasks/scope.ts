import type { Prisma } from '../../generated/prisma/client';
import { NIL_UUID, PARTNER_TASK_TYPES, type Viewer } from '../access/permissions';

/**
 * The database side of `keepsPartnerInScope`: the organisation's tasks that are open, or answered
 * since `correctionSince`.
 */
export function partnerReachWhere(partnerOrganisationId: string | null, correctionSince: Date): Prisma.TaskWhereInput {
  return {
    partnerOrganisationId: partnerOrganisationId ?? NIL_UUID,
    OR: [{ status: { in: ['open', 'claimed'] } }, { status: 'completed', completedAt: { gte: correctionSince } }],
  };
}

/** Households a partner organisation reads now: a check or handoff addressed to it keeps them in scope. */
export function partnerHouseholdsWhere(partnerOrganisationId: string | null, correctionSince: Date): Prisma.HouseholdWhereInput {
  return { tasks: { some: { type: { in: [...PARTNER_TASK_TYPES] }, ...partnerReachWhere(partnerOrganisationId, correctionSince) } } };
}

/** The tasks a viewer sees, as a query (the same rule as `taskInScope`, which guards single tasks). */
export function taskScopeWhere(viewer: Viewer, correctionSince: Date): Prisma.TaskWhereInput {
  switch (viewer.role) {
    case 'coordinator':
      return {};
    case 'committee_member':
    case 'educator':
      return { candidateRole: viewer.role };
    case 'partner_worker':
      return { candidateRole: 'partner_worker', ...partnerReachWhere(viewer.partnerOrganisationId, correctionSince) };
    case 'landlord_agent':
    case 'admin':
      return { id: NIL_UUID };
  }
}
