import type { HouseholdState } from '../household';
import { computeLegalDeadlines, type LegalDeadline, type LegalEvent } from './';
import type { ProgrammePolicy } from '../programme/policy';

/**
 * Bridges the household's recorded procedure to the legal deadlines, and says which deadlines the
 * educator must be warned of now and when the next warning falls. Pure: the workflow passes its
 * clock; the API uses the same function to show the deadlines on the household's page.
 */

/** Warnings go out in the morning, Paris time (07:00 UTC is 8 or 9 o'clock there). */
const WARNING_HOUR_UTC = 7;

export function legalDeadlinesOf(state: HouseholdState, today: string) {
  const events: LegalEvent[] = state.procedureEvents.map((e) => {
    const date = e.occurredOn.slice(0, 10);
    const d = e.details ?? {};
    switch (e.type) {
      case 'summons':
        return { type: e.type, date, ...(d.hearingDate && { hearingDate: d.hearingDate }) };
      case 'judgment':
        return {
          type: e.type, date, terminationOrdered: d.terminationOrdered, suspensionGranted: d.suspensionGranted,
          paymentDelayMonths: d.paymentDelayMonths, interimOrder: d.interimOrder,
        };
      case 'social_cohesion_protocol':
        return { type: e.type, date, durationMonths: d.durationMonths, extensionMonths: d.extensionMonths };
      case 'order_to_leave':
        return { type: e.type, date, judgeShortenedToDays: d.judgeShortenedToDays };
      case 'grace_period_granted':
        return { type: e.type, date, months: d.months ?? 0 };
      default:
        return { type: e.type, date };
    }
  });
  return computeLegalDeadlines({ leaseStartDate: state.referral?.leaseStartDate, events, today });
}

export const warningKey = (d: Pick<LegalDeadline, 'kind' | 'dueDate'>) => `${d.kind}:${d.dueDate}`;

const warnAtMs = (d: LegalDeadline, policy: ProgrammePolicy) =>
  Date.parse(`${d.dueDate}T${String(WARNING_HOUR_UTC).padStart(2, '0')}:00:00Z`) - policy.legalDeadlineWarningLeadMs;

export function legalWarningPlan(
  state: HouseholdState,
  policy: ProgrammePolicy,
  warned: readonly string[],
  nowMs: number,
): { due: LegalDeadline[]; nextAtMs?: number } {
  if (state.phase === 'closed' || state.procedureEvents.length === 0) return { due: [] };
  const today = new Date(nowMs).toISOString().slice(0, 10);
  const upcoming = legalDeadlinesOf(state, today).deadlines.filter((d) => d.status !== 'passed' && !warned.includes(warningKey(d)));
  const due = upcoming.filter((d) => warnAtMs(d, policy) <= nowMs);
  const later = upcoming.map((d) => warnAtMs(d, policy)).filter((at) => at > nowMs);
  return { due, nextAtMs: later.length > 0 ? Math.min(...later) : undefined };
}
