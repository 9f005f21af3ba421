import type { ProgrammePolicy } from '../programme/policy';
import type { ContactEscalationDecisionCommand, RecordContactAttemptCommand } from './commands';
import { admittedTrack, emitter, refuse, type Decision } from './decision';
import type { HouseholdState } from './state';
import { isFirstContact } from './vocabulary';

/** "Aller vers": attempts until a first contact, or the committee's word when it drags on. */

export function decideContactAttempt(s: HouseholdState, c: RecordContactAttemptCommand, policy: ProgrammePolicy): Decision {
  const out = emitter(s);
  out.emit({ type: 'contactAttemptRecorded', at: c.at, by: c.by, slot: c.slot, channel: c.channel, outcome: c.outcome });
  // Attempts stay open while the committee is asked: a contact made meanwhile still counts.
  if (isFirstContact(c.outcome)) {
    out.emit({ type: 'supportStarted', at: c.at, reason: 'first_contact', track: admittedTrack(s) });
    return out.accept();
  }
  const contact = out.state.contact;
  if (contact && !contact.escalation && contact.failedInWindow >= policy.contact.maxFailedAttempts) {
    out.emit({ type: 'contactEscalated', at: c.at, reason: 'too_many_attempts', failedAttempts: contact.failedInWindow });
  }
  return out.accept();
}

export function decideEscalation(s: HouseholdState, c: ContactEscalationDecisionCommand): Decision {
  if (!s.contact?.escalation) {
    return refuse(
      'not_escalated',
      "La prise de contact n'a pas été soumise au comité : les tentatives continuent sans décision à prendre.",
    );
  }
  const d = c.decision;
  const out = emitter(s);
  out.emit({ type: 'contactEscalationResolved', at: c.at, by: c.by, decision: d, ...(c.sessionId && { sessionId: c.sessionId }) });
  switch (d.kind) {
    case 'continue':
      break;
    case 'close_unreachable':
      out.emit({ type: 'caseClosed', at: c.at, by: c.by, outcome: 'unreachable' });
      break;
    case 'reorient':
      out.emit({ type: 'caseClosed', at: c.at, by: c.by, outcome: 'reoriented', scheme: d.scheme });
      break;
    default: {
      const unknown: never = d;
      throw new Error(`Unknown escalation decision ${JSON.stringify(unknown)}`);
    }
  }
  return out.accept();
}
