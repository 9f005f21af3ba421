import { randomUUID } from 'node:crypto';
import { Prisma, type Task } from '../../generated/prisma/client';
import { correctionSince, type ScopeContext } from '../access/guard';
import { caseFileViewFor, isAllowed, taskInScope } from '../access/permissions';
import { recordAudit, recordListAudit } from '../audit';
import type { Principal } from '../auth/principal';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors';
import { RefusedError, type ProcessService } from '../households/process-service';
import { parseBody } from '../validation';
import { completionFor, type CompletionOutcome } from './completions';
import type { ListTasksQuery } from './schemas';
import { taskScopeWhere } from './scope';
import { label, ROLE_LABELS, TASK_TYPE_PROMPTS } from '../../domain/labels';

/**
 * The task inbox (docs/design/process.md, « The task inbox »). The workflows open and close tasks (activities/household-tasks.ts);
 * people list, claim, release and complete them here. Rules of ownership:
 *
 * - An open task without assignee belongs to the team of its candidate role: anyone of that team may
 *   claim it. An open task with an assignee was given by the workflow to the household's educator:
 *   that educator claims it, anyone else gets 409 (the coordination may release it to the team first).
 * - Claiming moves the task to `claimed` with me as assignee; claiming my own claim again is a no-op.
 *   Every status change is a conditional update (`updateMany` on the state read), so of two people
 *   claiming at once exactly one wins and the other gets 409 naming the holder.
 * - Releasing (unclaim) is for the holder or the coordination; the task goes back to the team (open,
 *   no assignee), not to the educator it was first given to: whoever releases it wants someone else
 *   to take it, and the coordination releases a task precisely to hand it to someone else.
 * - Completing does not require an explicit claim: an educator in the field completes an open team
 *   task in one step. The completion claims the task first (the same conditional update), so two
 *   people completing at once never send the workflow two Updates; if the rules refuse, or anything
 *   fails, that automatic claim is undone and only a `refused` event remains.
 */
const ACTIVE: Task['status'][] = ['open', 'claimed'];

/** What the household page's handoff form wrote for one scheme: the scheme, and what the household agreed to share. */
type HandoffForm = { scheme?: string; sharedNoteRef?: string } | null;

/** What a receiving organisation learns of a handoff: the scheme, APRIL's referent, what the household agreed to share. */
function handoffOf(task: { form: unknown; household: { educatorId: string | null } }, facts: HandoffFacts) {
  const form = task.form as HandoffForm;
  const educator = task.household.educatorId ? facts.referents.get(task.household.educatorId) : undefined;
  return {
    scheme: form?.scheme ?? null,
    referent: educator ? { displayName: educator.displayName, contact: educator.email } : null,
    sharedWithPartner: (form?.sharedNoteRef && facts.shared.get(form.sharedNoteRef)) ?? null,
  };
}

interface HandoffFacts {
  referents: Map<string, { displayName: string; email: string }>;
  shared: Map<string, string>;
}

const householdSelect = { id: true, headName: true, tenancyReference: true, phase: true, educatorId: true } as const;
type TaskRow = Prisma.TaskGetPayload<{ include: { household: { select: typeof householdSelect } } }>;

export interface TaskRequestContext {
  requestId: string;
  /** The client's Idempotency-Key, already checked: a retried completion lands on the same Update. */
  idempotencyKey?: string;
}

export function createTaskService(deps: ScopeContext & { process: ProcessService }) {
  const { db, process, clock } = deps;

  const displayNames = async (ids: (string | null | undefined)[]) => {
    const wanted = [...new Set(ids.filter((id): id is string => !!id && /^[0-9a-f-]{36}$/i.test(id)))];
    const users = wanted.length ? await db.user.findMany({ where: { id: { in: wanted } }, select: { id: true, displayName: true } }) : [];
    return new Map(users.map((u) => [u.id, u.displayName]));
  };
  const person = (names: Map<string, string>, id: string | null) => (id ? { id, displayName: names.get(id) ?? null } : null);

  /**
   * A handoff's referent on APRIL's side: the household's educator, with a professional contact, so
   * that the receiving organisation knows whom to call (docs/design/roles-and-access.md).
   */
  const handoffReferents = async (tasks: TaskRow[]): Promise<HandoffFacts> => {
    const handoffs = tasks.filter((t) => t.type === 'handoff_acknowledgement');
    const ids = [...new Set(handoffs.filter((t) => t.household.educatorId).map((t) => t.household.educatorId!))];
    const noteIds = [...new Set(handoffs.map((t) => (t.form as HandoffForm)?.sharedNoteRef).filter((id): id is string => !!id))];
    const [users, notes] = await Promise.all([
      ids.length ? db.user.findMany({ where: { id: { in: ids } }, select: { id: true, displayName: true, email: true } }) : [],
      noteIds.length ? db.note.findMany({ where: { id: { in: noteIds } }, select: { id: true, body: true } }) : [],
    ]);
    return { referents: new Map(users.map((u) => [u.id, u])), shared: new Map(notes.map((n) => [n.id, n.body])) };
  };

  function toItem(task: TaskRow, names: Map<string, string>, viewer: Principal, referents: HandoffFacts = { referents: new Map(), shared: new Map() }) {
    const now = clock();
    const { household } = task;
    return {
      id: task.id,
      type: task.type,
      label: label(TASK_TYPE_PROMPTS, task.type),
      // Data minimisation: a partner worker learns whom the task is about, nothing more.
      household: caseFileViewFor(viewer.role) === 'full'
        ? { id: household.id, headName: household.headName, tenancyReference: household.tenancyReference, phase: household.phase }
        : { id: household.id, headName: household.headName },
      candidateRole: task.candidateRole,
      partnerOrganisationId: task.partnerOrganisationId,
      assignee: person(names, task.assigneeId),
      dueAt: task.dueAt?.toISOString() ?? null,
      overdue: task.dueAt !== null && task.dueAt < now && ACTIVE.includes(task.status),
      priority: task.priority,
      status: task.status,
      form: task.form,
      ...(task.type === 'handoff_acknowledgement' && { handoff: handoffOf(task, referents) }),
      result: task.result,
      createdAt: task.createdAt.toISOString(),
      claimedAt: task.claimedAt?.toISOString() ?? null,
      completedAt: task.completedAt?.toISOString() ?? null,
    };
  }

  const findTask = (id: string) => db.task.findUnique({ where: { id }, include: { household: { select: householdSelect } } });

  /** The task, or 404 when it does not exist or lies outside the viewer's scope (no existence leak). */
  async function requireTask(id: string, viewer: Principal): Promise<TaskRow> {
    const task = await findTask(id);
    if (!task || !taskInScope(viewer, task, correctionSince(deps))) throw new NotFoundError('Tâche introuvable.');
    return task;
  }

  async function itemOf(task: TaskRow, viewer: Principal) {
    const [names, referents] = await Promise.all([displayNames([task.assigneeId]), handoffReferents([task])]);
    return toItem(task, names, viewer, referents);
  }

  /** Why this person cannot take the task now (409, naming who holds it), or undefined if they can. */
  async function conflictFor(task: Pick<Task, 'status' | 'assigneeId'>, me: string): Promise<ConflictError | undefined> {
    if (task.status === 'completed') return new ConflictError('Cette tâche est déjà terminée.');
    if (task.status === 'cancelled') return new ConflictError('Cette tâche a été annulée : le dossier a évolué entre-temps.');
    if (task.assigneeId === null || task.assigneeId === me) return undefined;
    const holder = (await displayNames([task.assigneeId])).get(task.assigneeId) ?? 'une autre personne';
    return task.status === 'claimed'
      ? new ConflictError(`Cette tâche est déjà prise en charge par ${holder}.`, { assigneeId: task.assigneeId })
      : new ConflictError(`Cette tâche est attribuée à ${holder} ; la coordination peut la remettre à l'équipe.`, { assigneeId: task.assigneeId });
  }

  async function refreshed(id: string) {
    const task = await findTask(id);
    if (!task) throw new NotFoundError('Tâche introuvable.');
    return task;
  }

  /**
   * Takes the task for `me`: open and unassigned (or assigned to me) → claimed by me. Conditional,
   * so of concurrent takers exactly one wins. Returns false when I already held it.
   */
  async function take(task: TaskRow, me: string, at: Date): Promise<boolean> {
    if (task.status === 'claimed' && task.assigneeId === me) return false;
    const conflict = await conflictFor(task, me);
    if (conflict) throw conflict;
    const { count } = await db.task.updateMany({
      where: { id: task.id, status: 'open', OR: [{ assigneeId: null }, { assigneeId: me }] },
      data: { status: 'claimed', assigneeId: me, claimedAt: at },
    });
    if (count === 1) return true;
    // Someone was faster: say who, or treat my own claim (a concurrent double click) as mine.
    const now = await refreshed(task.id);
    if (now.status === 'claimed' && now.assigneeId === me) return false;
    throw (await conflictFor(now, me)) ?? new ConflictError('Cette tâche vient de changer ; rechargez-la.');
  }

  const event = (taskId: string, actorId: string, action: string, at: Date, details?: Prisma.InputJsonObject) => ({
    id: randomUUID(), taskId, actorId, action, at, ...(details && { details }),
  });

  return {
    async list(query: ListTasksQuery, viewer: Principal, ctx: TaskRequestContext) {
      const now = clock();
      const since = correctionSince(deps);
      const viewWhere: Prisma.TaskWhereInput = {
        mine: { assigneeId: viewer.id },
        // The team's pool: open work nobody else was given.
        team: { status: 'open' as const, OR: [{ assigneeId: null }, { assigneeId: viewer.id }] },
        overdue: { dueAt: { lt: now }, status: { in: ACTIVE } },
        all: {},
      }[query.view];
      const where: Prisma.TaskWhereInput = {
        AND: [
          taskScopeWhere(viewer, since),
          viewWhere,
          query.status ? { status: query.status } : { status: { in: ACTIVE } },
          query.type ? { type: query.type } : {},
          query.householdId ? { householdId: query.householdId } : {},
          query.phase ? { household: { phase: query.phase } } : {},
        ],
      };
      const [total, rows] = await Promise.all([
        db.task.count({ where }),
        db.task.findMany({
          where,
          include: { household: { select: householdSelect } },
          // Most urgent first; the id makes the order total, so offset paging neither skips nor repeats.
          orderBy: [{ priority: 'desc' }, { dueAt: { sort: 'asc', nulls: 'last' } }, { createdAt: 'asc' }, { id: 'asc' }],
          skip: query.offset,
          take: query.limit,
        }),
      ]);
      // The query is the scope; the policy is asked again so that a drift between the two shows no task.
      const visible = rows.filter((task) => taskInScope(viewer, task, since));
      // Listing names is a read of personal data: one audit row per household shown, so that the
      // admin's per-household audit view (indexed by household) finds it like any other read.
      const householdIds = [...new Set(visible.map((task) => task.householdId))];
      const [, names, referents] = await Promise.all([
        recordListAudit(db, { actor: viewer.id, action: 'task.list', householdIds, requestId: ctx.requestId, details: { view: query.view } }),
        displayNames(visible.map((task) => task.assigneeId)),
        handoffReferents(visible),
      ]);
      const nextOffset = query.offset + rows.length < total ? query.offset + rows.length : null;
      return { tasks: visible.map((task) => toItem(task, names, viewer, referents)), page: { limit: query.limit, offset: query.offset, total, nextOffset } };
    },

    /** The task and what happened to it. The workflow writes no events: opening and closing are derived. */
    async get(id: string, viewer: Principal, ctx: TaskRequestContext) {
      const task = await requireTask(id, viewer);
      const events = await db.taskEvent.findMany({ where: { taskId: id }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
      const [names, referents] = await Promise.all([displayNames([task.assigneeId, ...events.map((e) => e.actorId)]), handoffReferents([task])]);
      const history = [
        { action: 'created', at: task.createdAt.toISOString(), actor: null, source: 'workflow', details: null },
        ...events.map((e) => ({ action: e.action, at: e.at.toISOString(), actor: person(names, e.actorId), source: 'inbox', details: e.details })),
      ];
      // Closed by the workflow (an action on the household route, a phase change), not through the inbox.
      if ((task.status === 'completed' || task.status === 'cancelled') && !events.some((e) => e.action === 'completed') && task.completedAt) {
        history.push({ action: task.status, at: task.completedAt.toISOString(), actor: null, source: 'workflow', details: null });
      }
      await recordAudit(db, { actor: viewer.id, action: 'task.read', householdId: task.householdId, requestId: ctx.requestId, details: { taskId: id } });
      return { ...toItem(task, names, viewer, referents), history };
    },

    async claim(id: string, viewer: Principal, ctx: TaskRequestContext) {
      const task = await requireTask(id, viewer);
      const at = clock();
      if (await take(task, viewer.id, at)) {
        await db.taskEvent.create({ data: event(id, viewer.id, 'claimed', at) });
        await recordAudit(db, { actor: viewer.id, action: 'task.claim', householdId: task.householdId, requestId: ctx.requestId, details: { taskId: id } });
      }
      return itemOf(await refreshed(id), viewer);
    },

    async unclaim(id: string, viewer: Principal, ctx: TaskRequestContext) {
      const task = await requireTask(id, viewer);
      if (task.status === 'completed' || task.status === 'cancelled') throw (await conflictFor(task, viewer.id))!;
      // Nobody holds it: already released (a retried request), nothing to do.
      if (task.status === 'open' && task.assigneeId === null) return itemOf(task, viewer);
      if (task.assigneeId !== viewer.id && viewer.role !== 'coordinator') {
        const holder = (await displayNames([task.assigneeId])).get(task.assigneeId!) ?? 'une autre personne';
        throw new ConflictError(`Cette tâche est prise en charge par ${holder} : seule cette personne, ou la coordination, peut la libérer.`, { assigneeId: task.assigneeId });
      }
      const at = clock();
      const { count } = await db.task.updateMany({
        where: { id, status: task.status, assigneeId: task.assigneeId },
        data: { status: 'open', assigneeId: null, claimedAt: null },
      });
      if (count === 0) throw new ConflictError('Cette tâche vient de changer ; rechargez-la.');
      await db.taskEvent.create({ data: event(id, viewer.id, 'unclaimed', at, { from: task.assigneeId }) });
      await recordAudit(db, { actor: viewer.id, action: 'task.unclaim', householdId: task.householdId, requestId: ctx.requestId, details: { taskId: id } });
      return itemOf(await refreshed(id), viewer);
    },

    /**
     * Completes the task with its form: sends the workflow the Update the task stands for (the same
     * service as the household routes) and records the result. Order of answers: role (403), scope
     * (404), the action the Update stands for (403), form (400), ownership (409), the rules (409).
     */
    async complete(id: string, body: unknown, viewer: Principal, ctx: TaskRequestContext) {
      const task = await requireTask(id, viewer);
      const completion = completionFor(task);
      if (completion.permission && !isAllowed(viewer.role, completion.permission)) {
        throw new ForbiddenError(`Cette tâche n'est pas ouverte au rôle « ${ROLE_LABELS[viewer.role]} ».`);
      }
      const form = parseBody(completion.form, body) as Record<string, unknown>;
      const env = {
        task,
        process,
        principal: viewer,
        ctx: { actor: viewer.id, role: viewer.role, requestId: ctx.requestId, ...(ctx.idempotencyKey && { idempotencyKey: `task-${id}-${ctx.idempotencyKey}` }) },
      };
      await completion.check?.(form, env);

      const claimedAt = clock();
      const automatic = await take(task, viewer.id, claimedAt);
      // Undoes the automatic claim, unless the task moved on meanwhile (the workflow closed it).
      const giveBack = () => db.task.updateMany({
        where: { id, status: 'claimed', assigneeId: viewer.id, claimedAt },
        data: { status: 'open', assigneeId: task.assigneeId, claimedAt: task.claimedAt },
      });

      let outcome: CompletionOutcome;
      try {
        outcome = await completion.run(form, env);
      } catch (error) {
        if (automatic) await giveBack();
        if (error instanceof RefusedError) {
          await db.taskEvent.create({ data: event(id, viewer.id, 'refused', clock(), { code: error.code, message: error.message }) });
        }
        throw error;
      }

      const at = new Date(Math.max(clock().getTime(), claimedAt.getTime() + 1));
      const events = automatic ? [event(id, viewer.id, 'claimed', claimedAt, { automatic: true })] : [];
      if (outcome.done) {
        await db.$transaction([
          // The workflow's activity closes the task too, during the Update (without a result): fill
          // in the result on a row this completion holds, never on one another completion closed.
          db.task.updateMany({
            where: { id, assigneeId: viewer.id, OR: [{ status: 'claimed' }, { status: { in: ['completed', 'cancelled'] }, result: { equals: Prisma.DbNull } }] },
            data: { status: 'completed', completedAt: at, result: outcome.result },
          }),
          db.taskEvent.createMany({ data: [...events, event(id, viewer.id, 'completed', at, outcome.result)] }),
        ]);
      } else {
        // The household still waits for this work (a deferred decision): back to the team.
        await db.$transaction([
          db.task.updateMany({ where: { id, status: 'claimed', assigneeId: viewer.id }, data: { status: 'open', assigneeId: null, claimedAt: null } }),
          db.taskEvent.createMany({ data: [...events, event(id, viewer.id, 'deferred', at, outcome.result)] }),
        ]);
      }
      if (!outcome.workflow) {
        // Without an Update the process service audited nothing: the task's note is a write to the case file.
        await recordAudit(db, { actor: viewer.id, action: 'task.complete', householdId: task.householdId, requestId: ctx.requestId, details: { taskId: id } });
      }
      return { task: await itemOf(await refreshed(id), viewer), workflow: outcome.workflow ?? null };
    },
  };
}

export type TaskService = ReturnType<typeof createTaskService>;
