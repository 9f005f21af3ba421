import type { Prisma } from '../../generated/prisma/client';
import type { Db } from '../../lib/db';
import type { Referral } from '../../domain/household/state';
import { initialState } from '../../domain/household/state';
import type { ProcedureDetails } from '../../domain/household/commands';
import {
  FIRST_CONTACT_OUTCOMES, OUTCOMES, PHASES, TRACKS, type ContactOutcome, type ProcedureEventType,
} from '../../domain/household/vocabulary';
import type { LegalDeadline } from '../../domain/legal/types';
import { legalDeadlinesOf } from '../../domain/legal/warnings';
import type { ProgrammePolicy } from '../../domain/programme/policy';
import { ACTIVE_PHASES, capacityOf } from '../committee/capacity';

/**
 * The coordination's dashboard: where the households stand, the caseload against capacity, what
 * falls due, and the programme's indicators for the funders. Every figure is read from the
 * database the workflows project into (households, timeline events, tasks): the queries fetch
 * rows, the pure functions below count them (unit-tested), so a figure means the same wherever
 * it is shown. Nothing here decides anything: the rules stay in the workflow.
 */

export interface DashboardFilter {
  /** Only this landlord's households (the capacity total stays programme-wide). */
  landlordId?: string;
  /** The period of the flow indicators, [from, to). */
  from: Date;
  to: Date;
  now: Date;
}

/** Days ahead for the legal deadlines shown. */
export const DEADLINE_WINDOW_DAYS = 30;
const DAY_MS = 86_400_000;
/** Overdue tasks listed (the most overdue first); the count covers them all. */
export const OVERDUE_SHOWN = 50;

// ---------------------------------------------------------------------------------------------
// Pure part

export interface AttemptRow {
  householdId: string;
  occurredAt: Date;
  outcome: string;
}

/**
 * For each household whose first contact falls within [from, to): how many attempts it took,
 * the successful one included (1 = reached at the first try). Later contacts (a readmission)
 * do not count: the indicator is about re-creating the link the first time.
 */
export function attemptsUntilFirstContact(rows: readonly AttemptRow[], from: Date, to: Date): Map<string, number> {
  const byHousehold = new Map<string, AttemptRow[]>();
  for (const row of rows) byHousehold.set(row.householdId, [...(byHousehold.get(row.householdId) ?? []), row]);
  const result = new Map<string, number>();
  for (const [householdId, attempts] of byHousehold) {
    const ordered = [...attempts].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
    const first = ordered.findIndex((a) => FIRST_CONTACT_OUTCOMES.includes(a.outcome as ContactOutcome));
    const contact = ordered[first];
    if (contact && contact.occurredAt >= from && contact.occurredAt < to) result.set(householdId, first + 1);
  }
  return result;
}

export interface AttemptsSummary {
  households: number;
  /** Mean attempts per first contact, one decimal; null without any first contact. */
  average: number | null;
  /** « 1 », « 2 », « 3 », « 4 », « 5 ou plus ». */
  distribution: { label: string; count: number }[];
}

export function summariseAttempts(counts: Iterable<number>): AttemptsSummary {
  const values = [...counts];
  const buckets = ['1', '2', '3', '4', '5 ou plus'].map((label) => ({ label, count: 0 }));
  for (const value of values) buckets[Math.min(Math.max(value, 1), 5) - 1]!.count += 1;
  const average = values.length ? Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 10) / 10 : null;
  return { households: values.length, average, distribution: buckets };
}

/** A share in whole percent, or null when there is nothing to divide by. */
export function percent(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 100) : null;
}

/** Counts by code, every known code listed (zeros included) in the vocabulary's order. */
export function countBy<T extends string>(codes: readonly T[], values: readonly (string | null)[]): { code: T; count: number }[] {
  return codes.map((code) => ({ code, count: values.filter((v) => v === code).length }));
}

export interface ProcedureRow {
  householdId: string;
  occurredAt: Date;
  data: unknown;
}

export interface UpcomingDeadline {
  householdId: string;
  deadline: LegalDeadline;
}

/**
 * The legal deadlines of open households falling today or within `days`, soonest first. Built
 * with the workflow's own function (legalDeadlinesOf) from the procedure events the workflow
 * wrote to the timeline: the same deadlines as on each household's page, without querying
 * every workflow. (The workflow's warning tasks only cover its warning lead, 14 days by default.)
 */
export function upcomingDeadlines(
  households: readonly { id: string; landlordId: string; leaseStartDate: Date }[],
  procedureRows: readonly ProcedureRow[],
  now: Date,
  days = DEADLINE_WINDOW_DAYS,
): UpcomingDeadline[] {
  const today = now.toISOString().slice(0, 10);
  const last = new Date(now.getTime() + days * DAY_MS).toISOString().slice(0, 10);
  const result: UpcomingDeadline[] = [];
  for (const household of households) {
    const procedureEvents = procedureRows
      .filter((row) => row.householdId === household.id)
      .sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime())
      .map((row) => {
        const data = (row.data ?? {}) as { procedureType: ProcedureEventType; occurredOn: string; details?: ProcedureDetails };
        return { type: data.procedureType, occurredOn: data.occurredOn, recordedAt: row.occurredAt.toISOString(), ...(data.details && { details: data.details }) };
      });
    if (procedureEvents.length === 0) continue;
    const state = {
      ...initialState({ householdId: household.id, landlordId: household.landlordId }),
      procedureEvents,
      // legalDeadlinesOf reads the referral's lease date only (the 2023 reform applies by it).
      referral: { leaseStartDate: household.leaseStartDate.toISOString().slice(0, 10) } as Referral,
    };
    for (const deadline of legalDeadlinesOf(state, today).deadlines) {
      if (deadline.status !== 'passed' && deadline.dueDate >= today && deadline.dueDate <= last) result.push({ householdId: household.id, deadline });
    }
  }
  return result.sort((a, b) => a.deadline.dueDate.localeCompare(b.deadline.dueDate));
}

// ---------------------------------------------------------------------------------------------
// Queries

export interface DashboardFigures {
  filter: DashboardFilter;
  byPhase: { code: string; count: number }[];
  /** Rows: phases; columns: the tracks, then « no track yet ». */
  byPhaseAndTrack: { phase: string; tracks: { track: string | null; count: number }[]; total: number }[];
  caseload: {
    perLandlord: { landlordId: string; landlordName: string; active: number; capacity: number; full: boolean }[];
    total: { active: number; capacity: number; full: boolean };
  };
  deadlines: (UpcomingDeadline & { tenancyReference: string; landlordName: string })[];
  /** All overdue tasks; the list shows the OVERDUE_SHOWN most overdue. */
  overdueCount: number;
  overdueTasks: { id: string; type: string; householdId: string; tenancyReference: string; landlordName: string; dueAt: Date; assigneeName: string | null; candidateRole: string }[];
  indicators: {
    referred: number;
    activeNow: number;
    openNow: number;
    paymentResumption: { resumed: number; referred: number; percent: number | null };
    attempts: AttemptsSummary;
    outcomes: { code: string; count: number }[];
    closed: number;
    reorientations: { total: number; byScheme: { code: string; count: number }[] };
  };
}

export async function dashboardFigures(db: Db, policy: ProgrammePolicy, filter: DashboardFilter): Promise<DashboardFigures> {
  const mine: Prisma.HouseholdWhereInput = filter.landlordId ? { landlordId: filter.landlordId } : {};
  const inPeriod = { gte: filter.from, lt: filter.to };
  const open: Prisma.HouseholdWhereInput = { ...mine, phase: { not: 'closed' } };

  const [standing, capacity, openHouseholds, overdue, overdueCount, referred, referredResumed, attemptRows, closed, reorientations] = await Promise.all([
    db.household.groupBy({ by: ['phase', 'track'], where: mine, _count: { _all: true } }),
    capacityOf(db, policy),
    db.household.findMany({ where: open, select: { id: true, landlordId: true, leaseStartDate: true, tenancyReference: true, landlord: { select: { name: true } } } }),
    db.task.findMany({
      where: { status: { in: ['open', 'claimed'] }, dueAt: { lt: filter.now }, household: mine },
      orderBy: { dueAt: 'asc' },
      take: OVERDUE_SHOWN,
      select: {
        id: true, type: true, householdId: true, dueAt: true, assigneeId: true, candidateRole: true,
        household: { select: { tenancyReference: true, landlord: { select: { name: true } } } },
      },
    }),
    db.task.count({ where: { status: { in: ['open', 'claimed'] }, dueAt: { lt: filter.now }, household: mine } }),
    db.household.count({ where: { ...mine, createdAt: inPeriod } }),
    db.household.count({ where: { ...mine, createdAt: inPeriod, timeline: { some: { type: 'paymentResumed' } } } }),
    db.timelineEvent.findMany({ where: { type: 'contactAttemptRecorded', household: mine }, select: { householdId: true, occurredAt: true, data: true } }),
    db.household.findMany({ where: { ...mine, phase: 'closed', closedAt: inPeriod }, select: { outcome: true } }),
    // Reorientations are committee decisions: at the committee after the partner check, or when
    // the committee resolves a contact that could not be made.
    db.timelineEvent.findMany({
      where: {
        household: mine,
        occurredAt: inPeriod,
        OR: [
          { type: 'committeeDecisionRecorded', data: { path: ['decision', 'kind'], equals: 'reorient' } },
          { type: 'contactEscalationResolved', data: { path: ['decision', 'kind'], equals: 'reorient' } },
        ],
      },
      select: { data: true },
    }),
  ]);

  const procedureRows = await db.timelineEvent.findMany({
    where: { type: 'procedureEventRecorded', householdId: { in: openHouseholds.map((h) => h.id) } },
    select: { householdId: true, occurredAt: true, data: true },
  });
  const byId = new Map(openHouseholds.map((h) => [h.id, h]));
  const deadlines = upcomingDeadlines(openHouseholds, procedureRows, filter.now).map((d) => ({
    ...d, tenancyReference: byId.get(d.householdId)?.tenancyReference ?? '', landlordName: byId.get(d.householdId)?.landlord.name ?? '',
  }));

  const assignees = await db.user.findMany({
    where: { id: { in: [...new Set(overdue.flatMap((t) => (t.assigneeId ? [t.assigneeId] : [])))] } },
    select: { id: true, displayName: true },
  });
  const assigneeName = new Map(assignees.map((u) => [u.id, u.displayName]));

  const countOf = (phase: string, track: string | null) =>
    standing.filter((row) => row.phase === phase && row.track === track).reduce((sum, row) => sum + row._count._all, 0);
  const byPhaseAndTrack = PHASES.map((phase) => {
    const tracks = [...TRACKS, null].map((track) => ({ track, count: countOf(phase, track) }));
    return { phase, tracks, total: tracks.reduce((sum, t) => sum + t.count, 0) };
  });

  const attempts = attemptsUntilFirstContact(
    attemptRows.map((row) => ({ householdId: row.householdId, occurredAt: row.occurredAt, outcome: String((row.data as { outcome?: unknown } | null)?.outcome ?? '') })),
    filter.from, filter.to,
  );
  const schemes = reorientations.map((row) => String((row.data as { decision?: { scheme?: unknown } } | null)?.decision?.scheme ?? 'other'));

  return {
    filter,
    byPhase: byPhaseAndTrack.map((row) => ({ code: row.phase, count: row.total })),
    byPhaseAndTrack,
    caseload: {
      perLandlord: capacity.perLandlord.filter((row) => !filter.landlordId || row.landlordId === filter.landlordId),
      total: capacity.total,
    },
    deadlines,
    overdueCount,
    overdueTasks: overdue.map((task) => ({
      id: task.id, type: task.type, householdId: task.householdId, tenancyReference: task.household.tenancyReference,
      landlordName: task.household.landlord.name, dueAt: task.dueAt!, candidateRole: task.candidateRole,
      assigneeName: task.assigneeId ? assigneeName.get(task.assigneeId) ?? null : null,
    })),
    indicators: {
      referred,
      activeNow: standing.filter((row) => (ACTIVE_PHASES as readonly string[]).includes(row.phase)).reduce((sum, row) => sum + row._count._all, 0),
      openNow: openHouseholds.length,
      paymentResumption: { resumed: referredResumed, referred, percent: percent(referredResumed, referred) },
      attempts: summariseAttempts(attempts.values()),
      outcomes: countBy(OUTCOMES, closed.map((row) => row.outcome)).filter((row) => row.count > 0),
      closed: closed.length,
      reorientations: { total: schemes.length, byScheme: [...new Set(schemes)].sort().map((code) => ({ code, count: schemes.filter((s) => s === code).length })) },
    },
  };
}

/**
 * The period asked in the dashboard's form (`du`, `au`: AAAA-MM-JJ, both days included), by
 * default the calendar year so far. A day that is not a date is named in `errors` and the
 * default is used instead, so the page still shows figures.
 */
export function dashboardPeriod(query: { du?: string; au?: string }, now: Date): { from: Date; to: Date; du: string; au: string; errors: { field: 'du' | 'au'; message: string }[] } {
  const errors: { field: 'du' | 'au'; message: string }[] = [];
  const day = (value: string | undefined, field: 'du' | 'au'): string | undefined => {
    const text = value?.trim();
    if (!text) return undefined;
    const date = new Date(`${text}T00:00:00Z`);
    if (/^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text) return text;
    errors.push({ field, message: 'saisissez une date réelle' });
    return undefined;
  };
  const today = now.toISOString().slice(0, 10);
  const au = day(query.au, 'au') ?? today;
  // By default the period starts on the first of January of its last day's year.
  const start = `${au.slice(0, 4)}-01-01`;
  let du = day(query.du, 'du') ?? start;
  if (du > au) {
    errors.push({ field: 'du', message: 'le début de la période doit précéder sa fin' });
    du = start;
  }
  return { from: new Date(`${du}T00:00:00Z`), to: new Date(new Date(`${au}T00:00:00Z`).getTime() + DAY_MS), du, au, errors };
}
