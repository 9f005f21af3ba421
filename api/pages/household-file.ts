import type { Request } from 'express';
import { acceptedCommands } from '../../domain/household/phases';
import type { Phase } from '../../domain/household/vocabulary';
import type { HouseholdState, HouseholdView } from '../../workflows/household/messages';
import { visibleTo } from '../access/fields';
import { allow, requireHouseholdInScope } from '../access/guard';
import { caseFileViewFor, type Permission } from '../access/permissions';
import type { Principal } from '../auth/principal';
import type { ApiContext } from '../context';
import { NotFoundError } from '../errors';
import { availableActions, type HouseholdAction } from '../households/actions';
import { householdIdParam } from '../households/schemas';

/**
 * What the household page and its action pages both read: who asks (role 403, then scope 404, the
 * API's order), the case file as that role may read it, and the actions open to them now.
 */
export interface WorkflowInfo {
  available: boolean;
  reason?: string;
  state?: HouseholdState;
  nextDeadline?: HouseholdView['nextDeadline'];
  acceptedCommands?: string[];
  phase?: string;
}

export async function openHousehold(ctx: ApiContext, req: Request, permission: Permission): Promise<{ principal: Principal; id: string }> {
  const principal = allow(req, permission);
  const id = householdIdParam.safeParse(req.params.id);
  if (!id.success) throw new NotFoundError('Ménage introuvable.');
  await requireHouseholdInScope(ctx, principal, id.data);
  return { principal, id: id.data };
}

export async function readHousehold(ctx: ApiContext, req: Request, principal: Principal, id: string) {
  const view = caseFileViewFor(principal.role);
  // One of the service's three views (full, landlord, partner): what it holds is what we show.
  const file = visibleTo('household', principal.role, await ctx.households.get(id, { actor: principal.id, requestId: req.id }, view)) as { phase: string; headName?: string; workflow?: WorkflowInfo } & Record<string, unknown>;
  const workflow = file.workflow;
  const phase = (workflow?.state?.phase ?? workflow?.phase ?? file.phase) as Phase;
  // The workflow's own list when we read it; else the rules' table for the phase (same source).
  const accepted = workflow?.acceptedCommands ?? (workflow?.available === false ? [] : [...acceptedCommands(phase)]);
  const actions: HouseholdAction[] = availableActions(accepted, principal);
  return { view, file, workflow, phase, actions };
}
