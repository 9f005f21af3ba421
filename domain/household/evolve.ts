import type { HouseholdEvent } from './event-types';
import { ATTEMPTS_KEPT, HISTORY_LIMIT, type HistoryEntry, type HouseholdState } from './state';
import { isFirstContact } from './vocabulary';

/** Applies one event; never mutates the given state (the workflow's query may still hold it). */
export function evolve(state: HouseholdState, event: HouseholdEvent): HouseholdState {
  const next = apply(state, event);
  const entry: HistoryEntry = { at: event.at, type: event.type, ...detailOf(event) };
  return { ...next, history: [...next.history, entry].slice(-HISTORY_LIMIT) };
}

function apply(s: HouseholdState, e: HouseholdEvent): HouseholdState {
  switch (e.type) {
    case 'referralRecorded': {
      const { type: _type, landlordId, arrearsCents, monthlyRentCents, ...referral } = e;
      return { ...s, landlordId, referral, finances: { ...s.finances, arrearsCents, monthlyRentCents } };
    }
    case 'partnerCheckOpened': {
      const answers = Object.fromEntries(e.partnerOrgIds.map((id) => [id, { status: 'pending' as const }]));
      return { ...s, phase: 'partner_check', partnerCheck: { openedAt: e.at, answers } };
    }
    case 'partnerReminderIssued':
      return { ...s, partnerCheck: s.partnerCheck && { ...s.partnerCheck, lastReminderAt: e.at } };
    case 'partnerAnswerRecorded': {
      if (!s.partnerCheck) return s;
      const answer = { status: e.answer, referentWorkerRef: e.referentWorkerRef, answeredAt: e.at, ...(e.source && { source: e.source, listDate: e.listDate }) };
      return { ...s, partnerCheck: { ...s.partnerCheck, answers: { ...s.partnerCheck.answers, [e.partnerOrgId]: answer } } };
    }
    case 'partnerCheckCompleted':
    case 'committeeReviewRequested':
      // Each visit to the committee gets its own deferral allowance.
      return { ...s, phase: 'committee', committee: { ...s.committee, deferCount: 0 } };
    case 'committeeDecisionRecorded': {
      const record = { at: e.at, by: e.by, sessionId: e.sessionId, decision: e.decision };
      const deferCount = s.committee.deferCount + (e.decision.kind === 'defer' ? 1 : 0);
      return { ...s, committee: { decisions: [...s.committee.decisions, record], deferCount } };
    }
    case 'contactStarted':
      return {
        ...s, phase: 'contact', track: e.track, educatorId: e.educatorId,
        contact: { startedAt: e.at, windowStartedAt: e.at, failedInWindow: 0, totalAttempts: 0, attempts: [] },
      };
    case 'contactAttemptRequested':
      return { ...s, contact: s.contact && { ...s.contact, openRequest: { at: e.at, notBefore: e.notBefore, slot: e.slot } } };
    case 'contactAttemptRecorded': {
      if (!s.contact) return s;
      const first = isFirstContact(e.outcome);
      const attempt = { at: e.at, by: e.by, slot: e.slot, channel: e.channel, outcome: e.outcome };
      return {
        ...s,
        firstContactAt: s.firstContactAt ?? (first ? e.at : undefined),
        contact: {
          ...s.contact,
          totalAttempts: s.contact.totalAttempts + 1,
          failedInWindow: s.contact.failedInWindow + (first ? 0 : 1),
          attempts: [...s.contact.attempts, attempt].slice(-ATTEMPTS_KEPT),
          // Any report answers the open request, even one dated before it (recorded late).
          openRequest: undefined,
        },
      };
    }
    case 'contactEscalated':
      return { ...s, contact: s.contact && { ...s.contact, escalation: { at: e.at, reason: e.reason } } };
    case 'contactEscalationResolved':
      if (!s.contact || e.decision.kind !== 'continue') return s;
      // "Continue" gives the educators a fresh window: counters and the time limit restart now.
      return { ...s, contact: { ...s.contact, escalation: undefined, windowStartedAt: e.at, failedInWindow: 0 } };
    case 'supportStarted':
      return {
        ...s, phase: 'support', track: e.track, educatorId: e.educatorId ?? s.educatorId,
        support: { ...s.support, startedAt: e.at }, handoff: undefined, watch: undefined,
      };
    case 'supportPlanUpdated':
      return { ...s, support: { ...s.support, plan: { ...s.support.plan, ...e.changes } } };
    case 'supportReviewRequested':
      return { ...s, support: { ...s.support, lastReviewRequestedAt: e.at } };
    case 'reviewRecorded':
      return { ...s, support: { ...s.support, lastReviewAt: e.at } };
    case 'procedureEventRecorded': {
      const record = { type: e.procedureType, occurredOn: e.occurredOn, recordedAt: e.at, ...(e.details && { details: e.details }) };
      return { ...s, procedureEvents: [...s.procedureEvents, record] };
    }
    case 'trackSwitched':
      return { ...s, track: e.to };
    case 'paymentRecorded':
      return { ...s, finances: { ...s.finances, arrearsCents: s.finances.arrearsCents - e.amountCents, lastPaymentAt: e.at } };
    case 'paymentResumed':
      return { ...s, finances: { ...s.finances, paymentResumed: true } };
    case 'arrearsUpdated':
      return {
        ...s,
        finances: { ...s.finances, arrearsCents: e.arrearsCents, monthlyRentCents: e.monthlyRentCents ?? s.finances.monthlyRentCents },
      };
    case 'handoffStarted':
      return { ...s, phase: 'handoff', handoff: { startedAt: e.at, schemes: e.schemes.map((x) => ({ ...x })), overlapEnded: false } };
    case 'handoffReminderIssued':
      return { ...s, handoff: s.handoff && { ...s.handoff, lastReminderAt: e.at } };
    case 'handoffAcknowledged':
      return {
        ...s,
        handoff: s.handoff && {
          ...s.handoff,
          schemes: s.handoff.schemes.map((x) => (x.scheme === e.scheme ? { ...x, acknowledgedAt: e.at, acknowledgedBy: e.by } : x)),
        },
      };
    case 'handoffOverlapEnded':
      return { ...s, handoff: s.handoff && { ...s.handoff, overlapEnded: true } };
    case 'handoffCancelled':
      return s; // the supportStarted that follows leaves the handoff behind
    case 'watchStarted':
      return { ...s, phase: 'watch', watch: { startedAt: e.at } };
    case 'watchCheckRequested':
      return { ...s, watch: s.watch && { ...s.watch, lastCheckAt: e.at } };
    case 'relapseDetected':
      return { ...s, relapseCount: s.relapseCount + 1 };
    case 'referentWorkerAlertRequested':
      return s; // an e-mail for the shell; the answer itself is already recorded
    case 'caseClosed':
      return { ...s, phase: 'closed', outcome: e.outcome, closedAt: e.at, reorientedTo: e.scheme ?? s.reorientedTo };
    default: {
      const unknown: never = e;
      throw new Error(`Unknown household event ${JSON.stringify(unknown)}`);
    }
  }
}

/** A short code for the history line, so the bounded history still tells the story. */
function detailOf(e: HouseholdEvent): { detail?: string } {
  switch (e.type) {
    case 'committeeDecisionRecorded': return { detail: e.decision.kind };
    case 'contactAttemptRecorded': return { detail: e.outcome };
    case 'contactEscalated': return { detail: e.reason };
    case 'contactEscalationResolved': return { detail: e.decision.kind };
    case 'supportStarted': return { detail: e.reason };
    case 'procedureEventRecorded': return { detail: e.procedureType };
    case 'trackSwitched': return { detail: e.to };
    case 'partnerAnswerRecorded': return { detail: e.source === 'list' ? `${e.answer}:list` : e.answer };
    case 'partnerCheckCompleted': return { detail: e.reason };
    case 'caseClosed': return { detail: e.outcome };
    default: return {};
  }
}
