import { randomUUID } from 'node:crypto';
import {
  WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError, isGrpcServiceError, type Client,
} from '@temporalio/client';
import { ApplicationFailure, type SignalDefinition, type UpdateDefinition } from '@temporalio/common';
import type { Db } from '../../lib/db';
import type { Actor } from '../../domain/household';
import { getHouseholdStateQuery, householdWorkflowId } from '../../workflows/household/messages';
import { projectedView } from './projection';
import { recordAudit } from '../audit';
import { AppError, ForbiddenError, NotFoundError, ValidationError } from '../errors';
import type { RequestContext } from './service';

/** The rules said no: 409 with the rules' code and their French reason, and nothing changed. */
export class RefusedError extends AppError {
  constructor(code: string, reason: string) {
    super(409, code, reason);
  }
}

const UPDATE_DEADLINE_MS = 60_000;

export function createProcessService(deps: { db: Db; temporal: Client }) {
  const { db, temporal } = deps;

  async function requireHousehold(householdId: string) {
    const household = await db.household.findUnique({ where: { id: householdId }, select: { id: true, closedAt: true } });
    if (!household) throw new NotFoundError('Ménage introuvable.');
    return household;
  }

  const closedRefusal = () => new RefusedError('household_closed', 'Le dossier de ce ménage est clôturé : plus aucune action n\'est possible.');

  return {
    /** Removes what a refused action wrote first (its notes, its referent). */
    async discard(written: { noteIds?: (string | undefined)[]; referentIds?: (string | undefined)[] }): Promise<void> {
      const ids = (list: (string | undefined)[] = []) => list.filter((x): x is string => !!x);
      await db.note.deleteMany({ where: { id: { in: ids(written.noteIds) } } });
      await db.referentWorker.deleteMany({ where: { id: { in: ids(written.referentIds) } } });
    },

    /** Writes a person's free text in the case file; the workflow only ever sees its id. */
    async writeNote(householdId: string, kind: string, body: string | undefined, ctx: RequestContext): Promise<string | undefined> {
      if (!body) return undefined;
      const id = randomUUID();
      await db.note.create({ data: { id, householdId, kind, body, author: ctx.actor } });
      return id;
    },

    /** An admitted household is followed by a real, active educator. */
    async requireEducator(educatorId: string): Promise<void> {
      const educator = await db.user.findFirst({ where: { id: educatorId, role: 'educator', active: true } });
      if (!educator) throw new ValidationError([{ field: 'decision.educatorId', message: 'Éducateur inconnu.' }]);
    },

    async saveReferent(householdId: string, partnerOrganisationId: string, referent: { name: string; email?: string; phone?: string }) {
      const id = randomUUID();
      await db.referentWorker.create({ data: { id, householdId, partnerOrganisationId, ...referent } });
      return id;
    },

    /** A partner acknowledges only a handoff to a scheme addressed to its organisation. */
    async requireHandoffAddressedTo(householdId: string, scheme: string, partnerOrganisationId: string | null): Promise<void> {
      const task = await db.task.findFirst({
        // An open task only: an organisation whose earlier handoff was cancelled is no longer asked.
        where: { householdId, type: 'handoff_acknowledgement', partnerOrganisationId, status: { in: ['open', 'claimed'] }, form: { path: ['scheme'], equals: scheme } },
        select: { id: true },
      });
      if (!task) throw new ForbiddenError('Ce passage de relais n\'a pas été adressé à votre organisation.');
    },

    /** Sends a person's decision as an Update and answers with the new state, or the refusal. */
    async execute<P extends object>(
      householdId: string,
      update: UpdateDefinition<void, [P]>,
      payload: Omit<P, 'by'>,
      ctx: RequestContext & { role: Actor['role']; idempotencyKey?: string },
    ) {
      const household = await requireHousehold(householdId);
      if (household.closedAt) throw closedRefusal();
      const handle = temporal.workflow.getHandle(householdWorkflowId(householdId));
      const by: Actor = { id: ctx.actor, role: ctx.role };
      try {
        await temporal.connection.withDeadline(Date.now() + UPDATE_DEADLINE_MS, () =>
          handle.executeUpdate(update, {
            args: [{ ...payload, by } as unknown as P],
            // The same Idempotency-Key sent again lands on the same update: a retry after a
            // timeout never records an attempt or a decision twice.
            ...(ctx.idempotencyKey && { updateId: `${update.name}:${ctx.idempotencyKey}` }),
          }),
        );
      } catch (error) {
        throw translate(error);
      }
      await recordAudit(db, { actor: ctx.actor, action: `household.${update.name}`, householdId, requestId: ctx.requestId });
      // The Update completes after its step's activity wrote the view: read it back, no query needed.
      return (await projectedView(db, householdId))
        ?? temporal.connection.withDeadline(Date.now() + UPDATE_DEADLINE_MS, () => handle.query(getHouseholdStateQuery));
    },

    /** Machine feeds (landlords' systems) are Signals: accepted once delivered, applied in order. */
    async signal<P extends object>(householdId: string, signal: SignalDefinition<[P]>, payload: P, ctx: RequestContext) {
      const household = await requireHousehold(householdId);
      if (household.closedAt) throw closedRefusal();
      try {
        await temporal.workflow.getHandle(householdWorkflowId(householdId)).signal(signal, payload);
      } catch (error) {
        throw translate(error);
      }
      await recordAudit(db, { actor: ctx.actor, action: `household.${signal.name}`, householdId, requestId: ctx.requestId });
    },
  };
}

export type ProcessService = ReturnType<typeof createProcessService>;

function translate(error: unknown): Error {
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
    return new AppError(504, 'pending', 'L\'action est acceptée mais pas encore appliquée. Consultez l\'état du ménage avant de la renvoyer (avec la même clé Idempotency-Key).');
  }
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    return new RefusedError(error.cause.type ?? 'refused', error.cause.message);
  }
  if (error instanceof WorkflowNotFoundError) {
    return new RefusedError('process_not_running', 'Le suivi de ce ménage n\'est pas (ou plus) en cours.');
  }
  if (isGrpcServiceError(error) && /completed/i.test(error.details ?? '')) {
    return new RefusedError('household_closed', 'Le dossier de ce ménage est clôturé : plus aucune action n\'est possible.');
  }
  return error instanceof Error ? error : new Error(String(error));
}
