import { randomUUID } from 'node:crypto';
import type { CommitteeDecision } from '../../domain/household';
import { recordAudit } from '../audit';
import type { ApiCore } from '../context';
import { NotFoundError } from '../errors';
import type { RequestContext } from '../households/service';
import { capacityOf } from './capacity';

/**
 * What committee_decisions.decision holds: the decision as sent to the household's workflow, and
 * the caseload counted when it was taken (the minutes show the capacity at the time from it).
 */
export type StoredDecision = CommitteeDecision & { caseload?: { landlord: number; total: number } };

export function splitStored(stored: unknown): { decision: CommitteeDecision; caseload?: { landlord: number; total: number } } {
  const { caseload, ...decision } = stored as StoredDecision;
  return { decision: decision as CommitteeDecision, ...(caseload && { caseload }) };
}

const day = (date: Date) => date.toISOString().slice(0, 10);

/**
 * How a partner's answer was obtained, for the committee: by the organisation's worker, by the
 * coordination (an answer given by phone), by the organisation's caseload list of that date
 * (docs/privacy/caseload-lists.md), not by the deadline, or not yet.
 */
export type AnswerObtained =
  | { by: 'organisation' | 'coordination' | 'deadline' | 'pending' }
  | { by: 'list'; listDate: string | null };

interface RecordedAnswer { answer: string; referentWorkerRef?: string; at: Date; obtained: AnswerObtained }
const cents = (value: number) => value / 100;

/** Deadline for starting the agenda mail: the session exists either way, the mail is a courtesy. */
const AGENDA_START_DEADLINE_MS = 5_000;

export function createCommitteeSessions(ctx: ApiCore) {
  const { db } = ctx;

  async function requireSession(sessionId: string) {
    const session = await db.committeeSession.findUnique({ where: { id: sessionId } });
    if (!session) throw new NotFoundError('Séance du comité introuvable.');
    return session;
  }

  /** Names of the people a session refers to (who created it, who decided, which educator). */
  async function namesOf(ids: string[]) {
    const users = await db.user.findMany({ where: { id: { in: [...new Set(ids)] } }, select: { id: true, displayName: true, role: true } });
    return new Map(users.map((u) => [u.id, u]));
  }

  /**
   * The households awaiting a decision, with what the committee weighs: debt, procedure, the
   * partners' answers (and the referent already following, if any), and since when it waits.
   */
  async function agenda() {
    const [households, partners] = await Promise.all([
      db.household.findMany({
        where: { phase: 'committee', closedAt: null, anonymisedAt: null },
        include: {
          landlord: { select: { id: true, name: true } },
          tasks: { where: { type: 'partner_check' }, orderBy: { createdAt: 'asc' } },
          referentWorkers: true,
          timeline: { where: { type: { in: ['partnerAnswerRecorded', 'partnerCheckCompleted', 'committeeReviewRequested'] } }, orderBy: { occurredAt: 'asc' } },
        },
        orderBy: { createdAt: 'asc' },
      }),
      db.partnerOrganisation.findMany({ select: { id: true, name: true } }),
    ]);
    const partnerName = new Map(partners.map((p) => [p.id, p.name]));

    return households.map((household) => {
      // The answers as the workflow recorded them (a later answer corrects an earlier one).
      const answers = new Map<string, RecordedAnswer>();
      for (const event of household.timeline.filter((e) => e.type === 'partnerAnswerRecorded')) {
        const data = event.data as { partnerOrgId?: string; answer?: string; referentWorkerRef?: string; source?: string; listDate?: string; by?: { role?: string } } | null;
        if (data?.partnerOrgId && data.answer) {
          answers.set(data.partnerOrgId, {
            answer: data.answer, referentWorkerRef: data.referentWorkerRef, at: event.occurredAt,
            obtained: data.source === 'list' ? { by: 'list', listDate: data.listDate ?? null } : { by: data.by?.role === 'partner_worker' ? 'organisation' : 'coordination' },
          });
        }
      }
      // One line per organisation asked (its latest check task says whether it is still pending), and
      // one per organisation answered by its caseload list, which was never asked (docs/privacy/caseload-lists.md).
      const latestTask = new Map(household.tasks.filter((t) => t.partnerOrganisationId).map((t) => [t.partnerOrganisationId!, t]));
      const line = (orgId: string, task: (typeof household.tasks)[number] | undefined) => {
        const answer = answers.get(orgId);
        const status = answer?.answer ?? (task && (task.status === 'open' || task.status === 'claimed') ? 'pending' : 'no_answer');
        const referents = answer?.answer === 'followed'
          ? household.referentWorkers.filter((r) => r.id === answer.referentWorkerRef).map((r) => ({ id: r.id, name: r.name, email: r.email, phone: r.phone }))
          : [];
        const obtained: AnswerObtained = answer?.obtained ?? (status === 'pending' ? { by: 'pending' } : { by: 'deadline' });
        return {
          organisation: { id: orgId, name: partnerName.get(orgId) ?? orgId },
          taskId: task?.id ?? null,
          taskStatus: task?.status ?? null,
          answer: status,
          answeredAt: answer?.at.toISOString() ?? null,
          obtained,
          referents,
        };
      };
      const byListOnly = [...answers.entries()].filter(([orgId, a]) => a.obtained.by === 'list' && !latestTask.has(orgId)).map(([orgId]) => orgId);
      const partnerAnswers = [
        ...[...latestTask.entries()].map(([orgId, task]) => line(orgId, task)),
        ...byListOnly.map((orgId) => line(orgId, undefined)),
      ];
      const arrival = household.timeline.filter((e) => e.type !== 'partnerAnswerRecorded').at(-1);
      return {
        id: household.id,
        headName: household.headName,
        landlord: household.landlord,
        tenancyReference: household.tenancyReference,
        arrears: cents(household.arrearsCents),
        monthlyRent: cents(household.monthlyRentCents),
        procedureStage: household.procedureStage,
        partnerAnswers,
        waitingSince: (arrival?.occurredAt ?? household.createdAt).toISOString(),
      };
    });
  }

  async function decisionsOf(sessionId: string) {
    const rows = await db.committeeDecision.findMany({
      where: { sessionId },
      include: { household: { select: { id: true, headName: true, tenancyReference: true, phase: true, landlord: { select: { id: true, name: true } } } } },
      orderBy: { decidedAt: 'asc' },
    });
    const names = await namesOf(rows.flatMap((r) => {
      const { decision } = splitStored(r.decision);
      return decision.kind === 'admit' ? [r.decidedById, decision.educatorId] : [r.decidedById];
    }));
    return rows.map((row) => {
      const { decision, caseload } = splitStored(row.decision);
      const decider = names.get(row.decidedById);
      return {
        householdId: row.householdId,
        headName: row.household.headName,
        tenancyReference: row.household.tenancyReference,
        landlord: row.household.landlord,
        phase: row.household.phase,
        decision,
        ...(decision.kind === 'admit' && { educator: { id: decision.educatorId, name: names.get(decision.educatorId)?.displayName ?? null } }),
        caseloadWhenDecided: caseload ?? null,
        decidedBy: { id: row.decidedById, name: decider?.displayName ?? null, role: decider?.role ?? null },
        decidedAt: row.decidedAt.toISOString(),
      };
    });
  }

  return {
    requireSession,
    namesOf,
    decisionsOf,

    async create(heldOn: string, rc: RequestContext) {
      const session = await db.committeeSession.create({
        data: { id: randomUUID(), heldOn: new Date(`${heldOn}T00:00:00Z`), createdById: rc.actor, createdAt: ctx.clock() },
      });
      try {
        // By name: the agenda workflow lives with the worker; the API never loads workflow code.
        await ctx.temporal.connection.withDeadline(Date.now() + AGENDA_START_DEADLINE_MS, () =>
          ctx.temporal.workflow.start('committeeAgendaWorkflow', {
            taskQueue: ctx.taskQueue,
            workflowId: `committee-agenda-${session.id}`,
            args: [{ sessionId: session.id }],
          }),
        );
      } catch (error) {
        // The session is what the coordinator asked for; the agenda mail can be sent again later.
        ctx.logger.warn({ err: error, sessionId: session.id, requestId: rc.requestId }, 'committee agenda workflow not started');
      }
      return session;
    },

    async list() {
      const sessions = await db.committeeSession.findMany({ orderBy: [{ heldOn: 'desc' }, { createdAt: 'desc' }], include: { _count: { select: { decisions: true } } } });
      return sessions.map((s) => ({ id: s.id, heldOn: day(s.heldOn), createdById: s.createdById, createdAt: s.createdAt.toISOString(), decisionCount: s._count.decisions }));
    },

    /** The session with its agenda (built now), the capacity, and the decisions already taken. */
    async get(sessionId: string, rc: RequestContext) {
      const session = await requireSession(sessionId);
      const [items, capacity, decisions, names] = await Promise.all([
        agenda(), capacityOf(db, ctx.policy), decisionsOf(session.id), namesOf([session.createdById]),
      ]);
      const decided = new Map(decisions.map((d) => [d.householdId, d.decision]));
      // Names, addresses of referents, debts: reading the agenda is reading each household's file.
      for (const householdId of new Set([...items.map((i) => i.id), ...decisions.map((d) => d.householdId)])) {
        await recordAudit(db, { actor: rc.actor, action: 'household.read', householdId, requestId: rc.requestId, details: { via: 'committee_agenda', sessionId: session.id } });
      }
      return {
        id: session.id,
        heldOn: day(session.heldOn),
        createdBy: { id: session.createdById, name: names.get(session.createdById)?.displayName ?? null },
        createdAt: session.createdAt.toISOString(),
        agenda: items.map((item) => ({ ...item, decisionInThisSession: decided.get(item.id) ?? null })),
        capacity,
        decisions,
      };
    },
  };
}

export type CommitteeSessions = ReturnType<typeof createCommitteeSessions>;
