import { ApplicationFailure } from '@temporalio/common';
import type { Prisma, User } from '../generated/prisma/client';
import type { ActivityDeps } from './index';
import { productLinks } from './links';
import { label, PROCEDURE_LABELS, TASK_TYPE_LABELS, TEAM_LABELS } from '../domain/labels';
import { overdueAt } from '../domain/programme/overdue';
import { frenchDate, parisDay } from './mail-format';
import { committeeAgenda, dailyDigest, overdueEscalation, taskReminder, type DigestLine } from './mail-templates';
import { createOutbox, sendToEach } from './outbox';

/**
 * The cross-household jobs (docs/design/process.md): the daily digest, the overdue escalation and the
 * committee agenda. Each job lists what to do (ids only: workflow histories carry no personal
 * data), then sends per person or per task, so that Temporal retries each send on its own.
 *
 * `householdIds` narrows a run to some households. Production runs leave it out; tests and drills
 * share one database with other work and must not mail about households that are not theirs.
 */
export interface JobScope {
  householdIds?: string[];
}

const OPEN = { in: ['open', 'claimed'] } satisfies Prisma.EnumTaskStatusFilter;
/** A digest is a glance, not a report: beyond this, the mail says how many more and links the inbox. */
const DIGEST_MAX_LINES = 30;

const scoped = (scope: JobScope): Prisma.TaskWhereInput => ({
  household: { anonymisedAt: null },
  ...(scope.householdIds ? { householdId: { in: scope.householdIds } } : {}),
});

/**
 * The team work a user sees in the digest besides their own: the unassigned tasks of their role,
 * and for a partner worker only those addressed to their organisation (as api/access/permissions.ts
 * `taskInScope`). Landlord agents and admins have no team work. A coordinator's team work is the
 * tasks for the coordination role, not every task: overdue ones reach them by escalation.
 */
function teamWork(user: Pick<User, 'role' | 'partnerOrganisationId'>): Prisma.TaskWhereInput | undefined {
  switch (user.role) {
    case 'partner_worker':
      return user.partnerOrganisationId ? { assigneeId: null, candidateRole: 'partner_worker', partnerOrganisationId: user.partnerOrganisationId } : undefined;
    case 'coordinator':
    case 'committee_member':
    case 'educator':
      return { assigneeId: null, candidateRole: user.role };
    case 'landlord_agent':
    case 'admin':
      return undefined;
  }
}

export const digestKey = (userId: string, day: string) => `digest:${userId}:${day}`;
export const overdueKey = (taskId: string, coordinatorId: string) => `overdue:${taskId}:${coordinatorId}`;
export const reminderKey = (taskId: string) => `reminder:${taskId}`;
export const agendaKey = (sessionId: string, userId: string) => `committee-agenda:${sessionId}:${userId}`;

export function createJobActivities(deps: ActivityDeps) {
  const { db } = deps;
  const sendOnce = createOutbox(deps);
  const links = productLinks(deps.publicUrl);
  const coordinators = () => db.user.findMany({ where: { role: 'coordinator', active: true }, orderBy: { id: 'asc' } });

  return {
    /** Active users with open work (theirs or their team's) and no digest yet for that Paris day. */
    async listDigestRecipients(input: { nowMs: number } & JobScope): Promise<string[]> {
      const day = parisDay(input.nowMs);
      const open = await db.task.findMany({
        where: { status: OPEN, ...scoped(input) },
        select: { assigneeId: true, candidateRole: true, partnerOrganisationId: true },
        distinct: ['assigneeId', 'candidateRole', 'partnerOrganisationId'],
      });
      const assignees = open.flatMap((t) => (t.assigneeId ? [t.assigneeId] : []));
      const unassigned = open.filter((t) => !t.assigneeId);
      const teamRoles = [...new Set(unassigned.map((t) => t.candidateRole))].filter((r) => r === 'coordinator' || r === 'committee_member' || r === 'educator');
      const partnerOrgs = unassigned.flatMap((t) => (t.candidateRole === 'partner_worker' && t.partnerOrganisationId ? [t.partnerOrganisationId] : []));
      const users = await db.user.findMany({
        where: {
          active: true,
          OR: [
            { id: { in: assignees } },
            { role: { in: teamRoles } },
            { role: 'partner_worker', partnerOrganisationId: { in: partnerOrgs } },
          ],
        },
        select: { id: true },
        orderBy: { id: 'asc' },
      });
      // A digest already sent, or refused for good (its row is in the mail log), is not sent again.
      const done = await db.mailMessage.findMany({
        where: { idempotencyKey: { in: users.map((u) => digestKey(u.id, day)) } },
        select: { idempotencyKey: true, status: true },
      });
      const handled = new Set(done.filter((row) => row.status !== 'pending').map((row) => row.idempotencyKey));
      return users.map((u) => u.id).filter((id) => !handled.has(digestKey(id, day)));
    },

    /** One user's digest of the day: their open tasks and their team's, overdue first. False when there is none. */
    async sendDailyDigest(input: { userId: string; nowMs: number } & JobScope): Promise<boolean> {
      const user = await db.user.findUnique({ where: { id: input.userId } });
      if (!user?.active) return false;
      const team = teamWork(user);
      const tasks = await db.task.findMany({
        where: { status: OPEN, ...scoped(input), OR: [{ assigneeId: user.id }, ...(team ? [team] : [])] },
        include: { household: { select: { tenancyReference: true, landlord: { select: { name: true } } } } },
      });
      if (tasks.length === 0) return false;
      const now = new Date(input.nowMs);
      const sorted = tasks
        .map((task) => ({ task, overdue: task.dueAt !== null && overdueAt({ type: task.type, dueAt: task.dueAt }) <= now }))
        .sort((a, b) => Number(b.overdue) - Number(a.overdue)
          || (a.task.dueAt?.getTime() ?? Infinity) - (b.task.dueAt?.getTime() ?? Infinity)
          || b.task.priority - a.task.priority
          || a.task.id.localeCompare(b.task.id));
      const lines: DigestLine[] = sorted.slice(0, DIGEST_MAX_LINES).map(({ task, overdue }) => ({
        taskLabel: label(TASK_TYPE_LABELS, task.type),
        landlordName: task.household.landlord.name,
        tenancyReference: task.household.tenancyReference,
        dueOn: task.dueAt ? frenchDate(task.dueAt) : undefined,
        overdue,
        mine: task.assigneeId === user.id,
        link: task.type === 'partner_check' ? links.partnerCheck(task.id) : links.task(task.id),
      }));
      const mail = dailyDigest({ displayName: user.displayName, day: frenchDate(now), lines, more: sorted.length - lines.length, inboxLink: links.inbox() });
      await sendOnce(digestKey(user.id, parisDay(now)), user.email, 'daily_digest', mail, { userId: user.id });
      return true;
    },

    /** Open tasks past their due date (plus their type's grace) that the coordination has not heard of yet. */
    async listOverdueTasks(input: { nowMs: number } & JobScope): Promise<string[]> {
      const now = new Date(input.nowMs);
      const candidates = await db.task.findMany({
        where: { status: OPEN, dueAt: { lt: now }, ...scoped(input) },
        select: { id: true, type: true, dueAt: true, assigneeId: true },
        orderBy: { dueAt: 'asc' },
      });
      const overdue = candidates.filter((t) => overdueAt({ type: t.type, dueAt: t.dueAt! }) <= now);
      if (overdue.length === 0) return [];
      const recipients = await coordinators();
      const expected = new Map(overdue.map((t) => [t.id, [
        ...recipients.map((c) => overdueKey(t.id, c.id)),
        ...(t.assigneeId ? [reminderKey(t.id)] : []),
      ]]));
      const rows = await db.mailMessage.findMany({
        where: { idempotencyKey: { in: [...expected.values()].flat() }, status: { not: 'pending' } },
        select: { idempotencyKey: true },
      });
      const handled = new Set(rows.map((r) => r.idempotencyKey));
      return overdue.filter((t) => !expected.get(t.id)!.every((k) => handled.has(k))).map((t) => t.id);
    },

    /**
     * One overdue task: a reminder to the person holding it, and one mail to each coordinator.
     * A task done or cancelled since the listing is left alone.
     */
    async escalateOverdueTask(input: { taskId: string }): Promise<boolean> {
      const task = await db.task.findUnique({
        where: { id: input.taskId },
        include: { household: { select: { id: true, tenancyReference: true, anonymisedAt: true, landlord: { select: { name: true } } } } },
      });
      if (!task || !task.dueAt || (task.status !== 'open' && task.status !== 'claimed') || task.household.anonymisedAt) return false;
      const householdId = task.household.id;
      const facts = {
        taskLabel: label(TASK_TYPE_LABELS, task.type),
        landlordName: task.household.landlord.name,
        tenancyReference: task.household.tenancyReference,
        dueOn: frenchDate(task.dueAt),
        link: task.type === 'partner_check' ? links.partnerCheck(task.id) : links.task(task.id),
      };
      const recipients = await coordinators();
      const assignee = task.assigneeId ? await db.user.findUnique({ where: { id: task.assigneeId } }) : null;
      const partner = task.partnerOrganisationId ? await db.partnerOrganisation.findUnique({ where: { id: task.partnerOrganisationId } }) : null;
      const holder = assignee ? assignee.displayName
        : partner ? partner.name
          : `non attribuée (${label(TEAM_LABELS, task.candidateRole)})`;
      const sends: (() => Promise<void>)[] = [];
      // A coordinator holding the task hears of it through the escalation alone.
      if (assignee?.active && !recipients.some((c) => c.id === assignee.id)) {
        sends.push(() => sendOnce(reminderKey(task.id), assignee.email, 'task_reminder', taskReminder(facts), { householdId, userId: assignee.id }));
      }
      const mail = overdueEscalation({ ...facts, holder });
      for (const coordinator of recipients) {
        sends.push(() => sendOnce(overdueKey(task.id, coordinator.id), coordinator.email, 'overdue_escalation', mail, { householdId, userId: coordinator.id }));
      }
      await sendToEach(sends);
      return true;
    },

    /**
     * Who gets a session's agenda (active committee members and coordinators) and what is on it:
     * the households awaiting a decision, unless the caller gives the agenda it built.
     */
    async planCommitteeAgenda(input: { sessionId: string } & JobScope): Promise<{ userIds: string[]; householdIds: string[] }> {
      const session = await db.committeeSession.findUnique({ where: { id: input.sessionId } });
      if (!session) throw ApplicationFailure.nonRetryable(`committee session ${input.sessionId} not found`, 'SessionMissing');
      const households = await db.household.findMany({
        where: { phase: 'committee', anonymisedAt: null, ...(input.householdIds ? { id: { in: input.householdIds } } : {}) },
        select: { id: true },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      });
      const users = await db.user.findMany({
        where: { active: true, role: { in: ['committee_member', 'coordinator'] } },
        select: { id: true },
        orderBy: { id: 'asc' },
      });
      return { userIds: users.map((u) => u.id), householdIds: households.map((h) => h.id) };
    },

    /** One person's copy of the agenda: names (the committee decides about people), landlord, arrears, stage; no notes. */
    async sendCommitteeAgenda(input: { sessionId: string; userId: string; householdIds: string[] }): Promise<boolean> {
      const user = await db.user.findUnique({ where: { id: input.userId } });
      if (!user?.active) return false;
      const session = await db.committeeSession.findUnique({ where: { id: input.sessionId } });
      if (!session) throw ApplicationFailure.nonRetryable(`committee session ${input.sessionId} not found`, 'SessionMissing');
      const rows = await db.household.findMany({
        where: { id: { in: input.householdIds }, anonymisedAt: null },
        select: { id: true, headName: true, tenancyReference: true, arrearsCents: true, procedureStage: true, landlord: { select: { name: true } } },
      });
      // The agenda's order, as planned.
      const byId = new Map(rows.map((r) => [r.id, r]));
      const items = input.householdIds.flatMap((id) => {
        const h = byId.get(id);
        return h ? [{
          headName: h.headName, landlordName: h.landlord.name, tenancyReference: h.tenancyReference,
          arrearsCents: h.arrearsCents, procedureStage: label(PROCEDURE_LABELS, h.procedureStage),
        }] : [];
      });
      // heldOn is a calendar date (a DATE column, read at midnight UTC): print it as such.
      const heldOn = session.heldOn.toLocaleDateString('fr-FR', { timeZone: 'UTC' });
      const mail = committeeAgenda({ heldOn, items, link: links.committeeSession(session.id) });
      await sendOnce(agendaKey(session.id, user.id), user.email, 'committee_agenda', mail, { userId: user.id });
      return true;
    },
  };
}
