import type { ProgrammePolicy } from '../programme/policy';
import type { TimerCommand } from './commands';
import { suggestNextAttempt } from './contact';
import { DEADLINE_KIND_FOR, dueAt } from './deadlines';
import { emitRelapse, startWatchIfHandedOver } from './decide-follow-up';
import { pendingPartners } from './decide-intake';
import { emitter, refuse, type Decision } from './decision';
import { detectRelapse } from './relapse';
import type { HouseholdState } from './state';
import { isBefore } from './time';

/**
 * A timer fired. Its command is accepted only when the matching deadline is running and has
 * passed, so a stray or duplicated timer (a shell bug, a replayed signal) changes nothing.
 */
export function decideTimer(s: HouseholdState, c: TimerCommand, policy: ProgrammePolicy): Decision {
  const due = dueAt(s, policy, DEADLINE_KIND_FOR[c.type]);
  if (due === undefined || isBefore(c.at, due)) {
    return refuse('not_due', "Cette échéance n'est pas encore arrivée pour ce ménage.");
  }
  const out = emitter(s);
  switch (c.type) {
    case 'partnerCheckReminderDue':
      out.emit({ type: 'partnerReminderIssued', at: c.at, pendingPartnerOrgIds: pendingPartners(s) });
      break;
    case 'partnerCheckDeadlineReached':
      out.emit({ type: 'partnerCheckCompleted', at: c.at, reason: 'deadline_reached', pendingPartnerOrgIds: pendingPartners(s) });
      break;
    case 'contactAttemptDue':
      out.emit({ type: 'contactAttemptRequested', at: c.at, ...suggestNextAttempt(s, policy, c.at) });
      break;
    case 'contactTimeLimitReached':
      out.emit({ type: 'contactEscalated', at: c.at, reason: 'too_long', failedAttempts: s.contact?.failedInWindow ?? 0 });
      break;
    case 'supportReviewDue':
      out.emit({ type: 'supportReviewRequested', at: c.at });
      break;
    case 'handoffReminderDue': {
      const pendingSchemes = (s.handoff?.schemes ?? []).filter((x) => !x.acknowledgedAt).map((x) => x.scheme);
      out.emit({ type: 'handoffReminderIssued', at: c.at, pendingSchemes });
      break;
    }
    case 'handoffOverlapEnded':
      out.emit({ type: 'handoffOverlapEnded', at: c.at });
      startWatchIfHandedOver(out, c.at);
      break;
    case 'watchCheckDue': {
      out.emit({ type: 'watchCheckRequested', at: c.at });
      const signals = detectRelapse(s, policy);
      if (signals.length > 0) emitRelapse(out, policy, c.at, signals);
      break;
    }
    case 'watchEnded':
      // A full watch without relapse: the household kept its home.
      out.emit({ type: 'caseClosed', at: c.at, outcome: 'maintained' });
      break;
    default: {
      const unknown: never = c.type;
      throw new Error(`Unknown timer command ${String(unknown)}`);
    }
  }
  return out.accept();
}
