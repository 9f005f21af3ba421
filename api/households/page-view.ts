import type { Db } from '../../lib/db';
import type { Directory } from '../directory/service';
import { SUPPORT_DOMAINS } from '../../domain/household/vocabulary';
import type { HouseholdState } from '../../workflows/household/messages';

/**
 * What the household's pages read beyond the case file the household service builds: the
 * association team's details (timeline, tasks, the support plan with its goals, the arrears over
 * time) and the lists a form chooses from. The pages read through here, never Prisma.
 */
export interface ArrearsPoint { at: Date; value: number }

export type DirectoryList = 'educators' | 'partnerOrganisations';

export function createHouseholdPageView(db: Db, directory: Directory) {
  /** The support plan as it stands, each domain's goal read back from its note. */
  async function supportPlan(state: HouseholdState | undefined) {
    if (!state) return [];
    const goalIds = Object.values(state.support.plan).map((item) => item.goalRef).filter((x): x is string => !!x);
    const goals = new Map((await db.note.findMany({ where: { id: { in: goalIds } }, select: { id: true, body: true } })).map((n) => [n.id, n.body]));
    return SUPPORT_DOMAINS.map((domain) => {
      const item = state.support.plan[domain];
      return { domain, status: item.status, goal: item.goalRef ? goals.get(item.goalRef) : undefined };
    });
  }

  return {
    supportPlan,

    /** A household in a line or two (the task page's summary), with its educator's name. */
    async summary(householdId: string) {
      const household = await db.household.findUnique({
        where: { id: householdId },
        select: {
          id: true, headName: true, tenancyReference: true, address: true, phone: true, phase: true, track: true, arrearsCents: true,
          educatorId: true, landlord: { select: { name: true } },
        },
      });
      const educator = household?.educatorId ? await db.user.findUnique({ where: { id: household.educatorId }, select: { displayName: true } }) : null;
      return household && { ...household, educatorName: educator?.displayName };
    },

    /** What only the association's team reads: timeline, tasks, support goals, arrears over time. */
    async teamDetails(householdId: string, state: HouseholdState | undefined) {
      const [timeline, tasks, users, plan] = await Promise.all([
        db.timelineEvent.findMany({ where: { householdId }, orderBy: { occurredAt: 'desc' }, take: 200 }),
        db.task.findMany({ where: { householdId }, orderBy: [{ status: 'asc' }, { dueAt: 'asc' }], take: 100 }),
        directory.people(),
        supportPlan(state),
      ]);
      const names = new Map(users.map((u) => [u.id, u.displayName]));
      return {
        timeline: timeline.map((e) => ({ ...e, actorName: e.actor === 'system' ? 'APRIL' : names.get(e.actor) ?? e.actor, data: e.data as Record<string, unknown> | null })),
        tasks: tasks.map((t) => ({ ...t, assigneeName: t.assigneeId ? names.get(t.assigneeId) : undefined })),
        plan,
        educatorName: state?.educatorId ? names.get(state.educatorId) : undefined,
        arrearsPoints: arrearsOverTime(timeline),
      };
    },

    /** The people and organisations a form chooses from, read only when a form needs them. */
    async directory(needed: ReadonlySet<string>): Promise<Partial<Record<DirectoryList, { value: string; text: string }[]>>> {
      const [educators, organisations] = await Promise.all([
        needed.has('educators') ? directory.activeEducators() : undefined,
        needed.has('partnerOrganisations') ? directory.partnerOrganisations() : undefined,
      ]);
      return {
        ...(educators && { educators: educators.map((e) => ({ value: e.id, text: e.displayName })) }),
        ...(organisations && { partnerOrganisations: organisations.map((o) => ({ value: o.id, text: o.name })) }),
      };
    },
  };
}

export type HouseholdPageView = ReturnType<typeof createHouseholdPageView>;

/** Arrears over time: the referral's figure, then every update and payment, in order. */
function arrearsOverTime(timelineNewestFirst: { type: string; occurredAt: Date; data: unknown }[]): ArrearsPoint[] {
  const points: ArrearsPoint[] = [];
  let current = 0;
  for (const event of [...timelineNewestFirst].reverse()) {
    const data = (event.data ?? {}) as Record<string, number>;
    if ((event.type === 'referralRecorded' || event.type === 'arrearsUpdated') && typeof data.arrearsCents === 'number') current = data.arrearsCents;
    else if (event.type === 'paymentRecorded' && typeof data.amountCents === 'number') current -= data.amountCents;
    else continue;
    points.push({ at: event.occurredAt, value: current / 100 });
  }
  return points;
}
