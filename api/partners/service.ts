import type { Role } from '../../generated/prisma/client';
import { recordAudit } from '../audit';
import type { Principal } from '../auth/principal';
import type { ApiCore } from '../context';
import { ACTIONS, runAction } from '../households/actions';
import { ConflictError, NotFoundError } from '../errors';
import type { CheckAnswerBody } from './schemas';

const PENDING = ['open', 'claimed'] as const;

/**
 * Partner checks seen from the partner's side (issue 5, item 5): the checks addressed to the
 * caller's organisation (all of them for the coordination), with the minimum a partner needs to
 * recognise a household it may follow: name, address, landlord. No debt, no notes.
 */
export function createPartnerChecks(ctx: ApiCore) {
  const { db } = ctx;

  const minimal = {
    id: true, householdId: true, partnerOrganisationId: true, status: true, createdAt: true, dueAt: true, completedAt: true,
    household: { select: { headName: true, address: true, closedAt: true, landlord: { select: { name: true } } } },
  } as const;

  async function organisationNames(ids: string[]) {
    const organisations = await db.partnerOrganisation.findMany({ where: { id: { in: [...new Set(ids)] } }, select: { id: true, name: true } });
    return new Map(organisations.map((o) => [o.id, o.name]));
  }

  function toView(
    task: { id: string; householdId: string; partnerOrganisationId: string | null; status: string; createdAt: Date; dueAt: Date | null; completedAt: Date | null; household: { headName: string; address: string; landlord: { name: string } } },
    role: Role,
    names: Map<string, string>,
  ) {
    return {
      taskId: task.id,
      householdId: task.householdId,
      headName: task.household.headName,
      address: task.household.address,
      landlord: task.household.landlord.name,
      askedOn: task.createdAt.toISOString(),
      dueAt: task.dueAt?.toISOString() ?? null,
      status: task.status,
      // The coordination sees every organisation's checks: it needs to know whose they are.
      ...(role === 'coordinator' && task.partnerOrganisationId && {
        organisation: { id: task.partnerOrganisationId, name: names.get(task.partnerOrganisationId) ?? null },
      }),
    };
  }

  /** The check, if it is addressed to the caller's organisation (else 404: no existence leak). */
  async function requireCheck(taskId: string, principal: Principal) {
    const task = await db.task.findFirst({ where: { id: taskId, type: 'partner_check' }, select: minimal });
    const inScope = task !== null && task.partnerOrganisationId !== null
      && (principal.role === 'coordinator' || (principal.partnerOrganisationId !== null && task.partnerOrganisationId === principal.partnerOrganisationId));
    if (!inScope) throw new NotFoundError('Vérification introuvable.');
    return task as typeof task & { partnerOrganisationId: string };
  }

  const audit = (principal: Principal, householdId: string, requestId: string) =>
    recordAudit(db, { actor: principal.id, action: 'household.read', householdId, requestId, details: { via: 'partner_checks' } });

  return {
    async listPending(principal: Principal, requestId: string) {
      const tasks = await db.task.findMany({
        where: {
          type: 'partner_check',
          status: { in: [...PENDING] },
          household: { closedAt: null },
          // A partner worker without organisation sees nothing (never everyone's checks).
          ...(principal.role === 'coordinator' ? { partnerOrganisationId: { not: null } } : { partnerOrganisationId: principal.partnerOrganisationId ?? '00000000-0000-0000-0000-000000000000' }),
        },
        select: minimal,
        orderBy: [{ dueAt: 'asc' }, { createdAt: 'asc' }],
        take: 500,
      });
      const names = principal.role === 'coordinator' ? await organisationNames(tasks.map((t) => t.partnerOrganisationId!)) : new Map<string, string>();
      for (const householdId of new Set(tasks.map((t) => t.householdId))) await audit(principal, householdId, requestId);
      return tasks.map((task) => toView(task, principal.role, names));
    },

    async get(taskId: string, principal: Principal, requestId: string) {
      const task = await requireCheck(taskId, principal);
      await audit(principal, task.householdId, requestId);
      return toView(task, principal.role, await organisationNames([task.partnerOrganisationId]));
    },

    /** Checks the task, then answers it (kept apart so that the body is read after the scope). */
    requireCheck,

    async answer(task: Awaited<ReturnType<typeof requireCheck>>, body: CheckAnswerBody, principal: Principal, requestId: string) {
      if (task.status === 'completed') throw new ConflictError('Cette vérification a déjà reçu une réponse.');
      if (task.status === 'cancelled') {
        // Past its deadline (the committee took over) or the case is closed: a late answer goes
        // through the coordination, who records it on the household.
        throw new ConflictError('Cette vérification est close (délai dépassé ou dossier clôturé) : transmettez votre réponse à la coordination.');
      }
      const outcome = await runAction(ACTIONS.recordPartnerAnswer, { ...body, partnerOrgId: task.partnerOrganisationId }, {
        householdId: task.householdId, principal, process: ctx.process,
        // A double submission of the same check lands on the same Update.
        ctx: { actor: principal.id, role: principal.role, requestId, idempotencyKey: `partner-check:${task.id}` },
      });
      const referentWorkerRef = outcome.payload.referentWorkerRef as string | undefined;
      const view = outcome.state!;
      // The partner learns its answer was taken, not the rest of the household's file.
      return { taskId: task.id, householdId: task.householdId, answer: body.answer, referentId: referentWorkerRef ?? null, phase: view.state.phase };
    },
  };
}
