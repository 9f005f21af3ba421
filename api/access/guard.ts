import type { Request } from 'express';
import type { Db } from '../../lib/db';
import type { Principal } from '../auth/principal';
import { ForbiddenError, NotFoundError, UnauthenticatedError } from '../errors';
import { householdInScope, isAllowed, type Permission } from './permissions';
import { ROLE_LABELS } from '../../domain/labels';

/** The caller, if their role may do `action` at all (else 401 or 403). Scope is checked next. */
export function allow(req: Request, action: Permission): Principal {
  const principal = req.principal;
  if (!principal) throw new UnauthenticatedError();
  if (!isAllowed(principal.role, action)) {
    throw new ForbiddenError(`Cette action n'est pas ouverte au rôle « ${ROLE_LABELS[principal.role]} ».`);
  }
  return principal;
}

/** Loads what decides a household's scope; 404 when it does not exist or lies outside the scope. */
export async function requireHouseholdInScope(db: Db, principal: Principal, householdId: string): Promise<void> {
  const household = await db.household.findUnique({ where: { id: householdId }, select: { landlordId: true } });
  const addressed = principal.role === 'partner_worker' && household
    ? await db.task.findMany({
      where: { householdId, partnerOrganisationId: principal.partnerOrganisationId, type: { in: ['partner_check', 'handoff_acknowledgement'] } },
      select: { partnerOrganisationId: true },
      take: 1,
    })
    : [];
  const inScope = household !== null && householdInScope(principal, {
    landlordId: household.landlordId,
    addressedPartnerOrgIds: addressed.map((task) => task.partnerOrganisationId!),
  });
  if (!inScope) throw new NotFoundError('Ménage introuvable.');
}
