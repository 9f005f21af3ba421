import { createHash } from 'node:crypto';
import type { Prisma, Role } from '../../generated/prisma/client';
import { correctionSince } from '../access/guard';
import { keepsPartnerInScope } from '../access/permissions';
import { partnerReachWhere } from '../tasks/scope';
import { recordAudit } from '../audit';
import type { Principal } from '../auth/principal';
import type { ApiCore } from '../context';
import { ACTIONS, runAction } from '../households/actions';
import { ConflictError, NotFoundError } from '../errors';
import type { CheckAnswerBody } from './schemas';


/** What the organisation is asked, in the words of its page. */
export const CHECK_QUESTION = 'Votre organisation suit-elle déjà ce ménage ?';

/** The organisation's own answer, as recorded on its check (`result`) by `answer`. */
interface RecordedAnswer { partnerOrgId?: string; answer?: string; referentWorkerRef?: string }

/**
 * Partner checks seen from the partner's side (docs/design/roles-and-access.md): the checks
 * addressed to the caller's organisation (all of them for the coordination) that are still to be
 * answered, or were answered within the policy's correction window, with the minimum a partner
 * needs to recognise a household: name, address, landlord, the question, and its own answer.
 * No debt, no notes, no other organisation's answer; nothing once the window has passed.
 */
export function createPartnerChecks(ctx: ApiCore) {
  const { db } = ctx;

  const minimal = {
    id: true, householdId: true, partnerOrganisationId: true, status: true, createdAt: true, dueAt: true, completedAt: true, result: true,
    household: { select: { headName: true, address: true, closedAt: true, landlord: { select: { name: true } } } },
  } as const;
  type CheckRow = Prisma.TaskGetPayload<{ select: typeof minimal }>;

  async function organisationNames(ids: string[]) {
    const organisations = await db.partnerOrganisation.findMany({ where: { id: { in: [...new Set(ids)] } }, select: { id: true, name: true } });
    return new Map(organisations.map((o) => [o.id, o.name]));
  }

  async function referents(rows: CheckRow[]) {
    const ids = rows.map((row) => (row.result as RecordedAnswer | null)?.referentWorkerRef).filter((id): id is string => !!id);
    const found = ids.length ? await db.referentWorker.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, email: true, phone: true } }) : [];
    return new Map(found.map((r) => [r.id, r]));
  }

  /** Until when the organisation may still read and correct its answer (the correction window). */
  const correctableUntil = (task: CheckRow) =>
    task.status === 'completed' && task.completedAt ? new Date(task.completedAt.getTime() + ctx.policy.partnerCorrectionWindowMs) : null;

  function toView(task: CheckRow, role: Role, names: Map<string, string>, referentOf: Awaited<ReturnType<typeof referents>>) {
    const recorded = task.result as RecordedAnswer | null;
    const referent = recorded?.referentWorkerRef ? referentOf.get(recorded.referentWorkerRef) : undefined;
    return {
      taskId: task.id,
      householdId: task.householdId,
      headName: task.household.headName,
      address: task.household.address,
      landlord: task.household.landlord.name,
      question: CHECK_QUESTION,
      askedOn: task.createdAt.toISOString(),
      dueAt: task.dueAt?.toISOString() ?? null,
      status: task.status,
      ...(task.status === 'completed' && {
        ownAnswer: {
          answer: recorded?.answer ?? null,
          answeredOn: task.completedAt?.toISOString() ?? null,
          ...(referent && { referentName: referent.name, referentContact: [referent.email, referent.phone].filter(Boolean).join(' · ') || null }),
        },
        correctableUntil: correctableUntil(task)?.toISOString() ?? null,
      }),
      // The coordination sees every organisation's checks: it needs to know whose they are.
      ...(role === 'coordinator' && task.partnerOrganisationId && {
        organisation: { id: task.partnerOrganisationId, name: names.get(task.partnerOrganisationId) ?? null },
      }),
    };
  }

  async function viewsOf(tasks: CheckRow[], role: Role) {
    const [names, referentOf] = await Promise.all([
      role === 'coordinator' ? organisationNames(tasks.map((t) => t.partnerOrganisationId!)) : new Map<string, string>(),
      referents(tasks),
    ]);
    return tasks.map((task) => toView(task, role, names, referentOf));
  }

  /**
   * The check, if it is addressed to the caller's organisation and still open to it (pending, or
   * answered within the correction window); else 404, as if it did not exist.
   */
  async function requireCheck(taskId: string, principal: Principal) {
    const task = await db.task.findFirst({ where: { id: taskId, type: 'partner_check' }, select: minimal });
    const inScope = task !== null && task.partnerOrganisationId !== null && (principal.role === 'coordinator'
      || (principal.partnerOrganisationId !== null && task.partnerOrganisationId === principal.partnerOrganisationId
        && keepsPartnerInScope(task, correctionSince(ctx))));
    if (!inScope) throw new NotFoundError('Vérification introuvable.');
    return task as typeof task & { partnerOrganisationId: string };
  }

  /** Whether an answer says what the check already holds (same answer, same referent). */
  async function saysTheSame(task: CheckRow, body: CheckAnswerBody): Promise<boolean> {
    const recorded = task.result as RecordedAnswer | null;
    if (recorded?.answer !== body.answer) return false;
    if (!recorded.referentWorkerRef || !body.referent) return !recorded.referentWorkerRef && !body.referent;
    const referent = await db.referentWorker.findUnique({ where: { id: recorded.referentWorkerRef }, select: { name: true, email: true, phone: true } });
    return referent !== null && referent.name === body.referent.name
      && (referent.email ?? undefined) === body.referent.email && (referent.phone ?? undefined) === body.referent.phone;
  }

  const audit = (principal: Principal, householdId: string, requestId: string) =>
    recordAudit(db, { actor: principal.id, action: 'household.read', householdId, requestId, details: { via: 'partner_checks' } });

  return {
    /** The checks to answer, then those answered within the correction window (still correctable). */
    async listPending(principal: Principal, requestId: string) {
      const tasks = await db.task.findMany({
        where: {
          type: 'partner_check',
          household: { closedAt: null },
          // A partner worker without organisation sees nothing (never everyone's checks).
          ...partnerReachWhere(principal.role === 'coordinator' ? null : principal.partnerOrganisationId, correctionSince(ctx)),
          ...(principal.role === 'coordinator' && { partnerOrganisationId: { not: null } }),
        },
        select: minimal,
        orderBy: [{ completedAt: { sort: 'desc', nulls: 'first' } }, { dueAt: 'asc' }, { createdAt: 'asc' }],
        take: 500,
      });
      for (const householdId of new Set(tasks.map((t) => t.householdId))) await audit(principal, householdId, requestId);
      return viewsOf(tasks, principal.role);
    },

    async get(taskId: string, principal: Principal, requestId: string) {
      const task = await requireCheck(taskId, principal);
      await audit(principal, task.householdId, requestId);
      return (await viewsOf([task], principal.role))[0]!;
    },

    /** Checks the task, then answers it (kept apart so that the body is read after the scope). */
    requireCheck,

    /**
     * Answers the check, or corrects the answer within the correction window (the rules accept a
     * different answer while the household is before the committee, and refuse it after: 409).
     */
    async answer(task: Awaited<ReturnType<typeof requireCheck>>, body: CheckAnswerBody, principal: Principal, requestId: string) {
      const until = correctableUntil(task);
      if (task.status === 'completed' && !(until && until >= ctx.clock())) {
        throw new ConflictError('Cette vérification a déjà reçu une réponse, et le délai pour la corriger est passé : écrivez à la coordination.');
      }
      if (task.status === 'cancelled') {
        // Past its deadline (the committee took over) or the case is closed: a late answer goes
        // through the coordination, who records it on the household.
        throw new ConflictError('Cette vérification est close (délai dépassé ou dossier clôturé) : transmettez votre réponse à la coordination.');
      }
      if (task.status === 'completed' && await saysTheSame(task, body)) {
        // The answer on file, sent again (a reloaded form): nothing to correct, no second alert to the referent.
        const household = await db.household.findUniqueOrThrow({ where: { id: task.householdId }, select: { phase: true } });
        const recorded = task.result as RecordedAnswer | null;
        return { taskId: task.id, householdId: task.householdId, answer: body.answer, referentId: recorded?.referentWorkerRef ?? null, phase: household.phase };
      }
      // A double submission lands on the same Update; a correction is a new one (keyed by what it says).
      const key = task.status === 'completed'
        ? `partner-check:${task.id}:correction:${createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 32)}`
        : `partner-check:${task.id}`;
      const outcome = await runAction(ACTIONS.recordPartnerAnswer, { ...body, partnerOrgId: task.partnerOrganisationId }, {
        householdId: task.householdId, principal, process: ctx.process,
        ctx: { actor: principal.id, role: principal.role, requestId, idempotencyKey: key },
      });
      const referentWorkerRef = outcome.payload.referentWorkerRef as string | undefined;
      // The organisation's own answer, kept on its check so that it can read it back (and correct it).
      const recorded: RecordedAnswer = { partnerOrgId: task.partnerOrganisationId, answer: body.answer, ...(referentWorkerRef && { referentWorkerRef }) };
      await db.task.update({ where: { id: task.id }, data: { result: recorded as Prisma.InputJsonObject } });
      const view = outcome.state!;
      // The partner learns its answer was taken, not the rest of the household's file.
      return { taskId: task.id, householdId: task.householdId, answer: body.answer, referentId: referentWorkerRef ?? null, phase: view.state.phase };
    },
  };
}
