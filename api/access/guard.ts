import type { Request } from 'express';
import type { Db } from '../../lib/db';
import type { ProgrammePolicy } from '../../domain/programme/policy';
import type { Principal } from '../auth/principal';
import { ForbiddenError, NotFoundError, UnauthenticatedError } from '../errors';
import { partnerReachWhere } from '../tasks/scope';
import { householdInScope, isAllowed, PARTNER_TASK_TYPES, type Permission } from './permissions';
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

/** What a scope check reads: the database, today, and the policy's correction window. */
export interface ScopeContext {
  db: Db;
  clock: () => Date;
  policy: Pick<ProgrammePolicy, 'partnerCorrectionWindowMs'>;
}

/** Answers given by a partner since this instant still keep the household in its scope. */
export function correctionSince({ clock, policy }: Pick<ScopeContext, 'clock' | 'policy'>): Date {
  return new Date(clock().getTime() - policy.partnerCorrectionWindowMs);
}

/** Loads what decides a household's scope; 404 when it does not exist or lies outside the scope. */
export async function requireHouseholdInScope(scope: ScopeContext, principal: Principal, householdId: string): Promise<void> {
  const { db } = scope;
  const household = await db.household.findUnique({ where: { id: householdId }, select: { landlordId: true } });
  const addressed = principal.role === 'partner_worker' && household
    ? await db.task.findMany({
      where: { householdId, type: { in: [...PARTNER_TASK_TYPES] }, ...partnerReachWhere(principal.partnerOrganisationId, correctionSince(scope)) },
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
