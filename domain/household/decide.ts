import type { ProgrammePolicy } from '../programme/policy';
import type { CloseCommand, HouseholdCommand } from './commands';
import { decideContactAttempt, decideEscalation } from './decide-contact';
import {
  decideAcknowledgeHandoff, decideArrears, decideCancelHandoff, decidePayment, decideProcedureEvent,
  decideRelapseReport, decideStartHandoff, decideSupportPlan,
} from './decide-follow-up';
import { decideCommittee, decideOpenPartnerCheck, decidePartnerAnswer, decideStart } from './decide-intake';
import { decideTimer } from './decide-timers';
import { refuse, type Decision } from './decision';
import { acceptedCommands, COMMAND_LABELS, wrongPhaseReason } from './phases';
import type { HouseholdState } from './state';
import { isInstant } from './time';

/**
 * The household's rules: given the state, a command and the policy, the events that follow,
 * or a refusal the API can show as is. Pure and deterministic, so the workflow may call it and
 * a replay gets the same answer.
 */
export function decide(state: HouseholdState, command: HouseholdCommand, policy: ProgrammePolicy): Decision {
  if (state.phase === 'closed') {
    return refuse('household_closed', "Le dossier de ce ménage est clôturé : plus aucune action n'est possible.");
  }
  // Signals skip the API's validation: an unknown message must be refused, not crash the workflow task.
  if (!Object.hasOwn(COMMAND_LABELS, command.type)) return refuse('unknown_command', 'Action inconnue.');
  if (!isInstant(command.at)) return refuse('invalid_time', "La date de l'action est invalide.");
  if (!acceptedCommands(state.phase).includes(command.type)) {
    return refuse('wrong_phase', wrongPhaseReason(command.type, state.phase));
  }
  switch (command.type) {
    case 'start': return decideStart(state, command);
    case 'openPartnerCheck': return decideOpenPartnerCheck(state, command);
    case 'recordPartnerAnswer': return decidePartnerAnswer(state, command);
    case 'recordCommitteeDecision': return decideCommittee(state, command, policy);
    case 'recordContactAttempt': return decideContactAttempt(state, command, policy);
    case 'contactEscalationDecision': return decideEscalation(state, command);
    case 'updateSupportPlan': return decideSupportPlan(command);
    case 'recordReview': {
      const { by, at, noteRef } = command;
      return { ok: true, events: [{ type: 'reviewRecorded', at, by, ...(noteRef && { noteRef }) }] };
    }
    case 'recordProcedureEvent': return decideProcedureEvent(state, command, policy);
    case 'recordPayment': return decidePayment(state, command);
    case 'updateArrears': return decideArrears(command);
    case 'startHandoff': return decideStartHandoff(command);
    case 'acknowledgeHandoff': return decideAcknowledgeHandoff(state, command);
    case 'cancelHandoff': return decideCancelHandoff(state, command);
    case 'relapseDetected': return decideRelapseReport(state, command, policy);
    case 'close': return decideClose(command);
    case 'withdraw': {
      const { by, at, reasonNoteRef } = command;
      return { ok: true, events: [{ type: 'caseClosed', at, by, outcome: 'withdrawn', ...(reasonNoteRef && { reasonNoteRef }) }] };
    }
    case 'partnerCheckReminderDue':
    case 'partnerCheckDeadlineReached':
    case 'contactAttemptDue':
    case 'contactTimeLimitReached':
    case 'supportReviewDue':
    case 'handoffReminderDue':
    case 'handoffOverlapEnded':
    case 'watchCheckDue':
    case 'watchEnded':
      return decideTimer(state, command, policy);
    default: {
      const unknown: never = command;
      throw new Error(`Unknown household command ${JSON.stringify(unknown)}`);
    }
  }
}

/** The coordinator may close at any time, with an outcome; rejection stays the committee's act. */
function decideClose(c: CloseCommand): Decision {
  if (c.outcome === 'rejected') {
    return refuse('outcome_reserved_to_committee', "Seul le comité peut rejeter l'entrée d'un ménage dans le dispositif.");
  }
  if (c.outcome === 'reoriented' && !c.scheme) {
    return refuse('scheme_required', 'Indiquez le dispositif de droit commun vers lequel le ménage est réorienté.');
  }
  if (!c.reasonNoteRef) return refuse('reason_required', 'Indiquez le motif de la clôture.');
  return {
    ok: true,
    events: [{
      type: 'caseClosed', at: c.at, by: c.by, outcome: c.outcome, reasonNoteRef: c.reasonNoteRef,
      ...(c.outcome === 'reoriented' && { scheme: c.scheme }),
    }],
  };
}
