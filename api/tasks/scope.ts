import type { Prisma } from '../../generated/prisma/client';
import { NIL_UUID, type Viewer } from '../access/permissions';

/** The tasks a viewer sees, as a query (the same rule as `taskInScope`, which guards single tasks). */
export function taskScopeWhere(viewer: Viewer): Prisma.TaskWhereInput {
  switch (viewer.role) {
    case 'coordinator':
      return {};
    case 'committee_member':
    case 'educator':
      return { candidateRole: viewer.role };
    case 'partner_worker':
      return { candidateRole: 'partner_worker', partnerOrganisationId: viewer.partnerOrganisationId ?? NIL_UUID };
    case 'landlord_agent':
    case 'admin':
      return { id: NIL_UUID };
  }
}
