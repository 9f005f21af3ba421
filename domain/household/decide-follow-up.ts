import type { ProgrammePolicy } from '../programme/policy';
import type {
  AcknowledgeHandoffCommand, CancelHandoffCommand, RecordPaymentCommand, RecordProcedureEventCommand,
  RelapseDetectedCommand, StartHandoffCommand, UpdateArrearsCommand, UpdateSupportPlanCommand,
} from './commands';
import { admittedTrack, emitter, refuse, type Decision, type Emitter } from './decision';
import type { RelapseSignal } from './event-types';
import { detectRelapse, isAdverseProcedureEvent } from './relapse';
import type { HouseholdState } from './state';
import { isInstant, type Instant } from './time';
import type { Actor } from './vocabulary';

/** Support, the landlord's feeds, the handoff to mainstream services and the watch. */

export function decideSupportPlan(c: UpdateSupportPlanCommand): Decision {
  if (Object.keys(c.changes).length === 0) return refuse('empty_plan_update', "Aucun domaine du plan d'accompagnement n'est modifié.");
  return { ok: true, events: [{ type: 'supportPlanUpdated', at: c.at, by: c.by, changes: c.changes }] };
}

/**
 * Procedure steps are recorded in any open phase. A lease termination moves pre-litigation
 * support to post-termination; during the watch an adverse step is a relapse at once (the
 * procedure will not wait for the next monthly check); an eviction closes the case.
 */
export function decideProcedureEvent(s: HouseholdState, c: RecordProcedureEventCommand, policy: ProgrammePolicy): Decision {
  if (!isInstant(c.occurredOn)) return refuse('invalid_time', "La date de l'étape de procédure est invalide.");
  const out = emitter(s);
  out.emit({ type: 'procedureEventRecorded', at: c.at, procedureType: c.procedureType, occurredOn: c.occurredOn, ...(c.details && { details: c.details }) });
  if (c.procedureType === 'eviction') {
    out.emit({ type: 'caseClosed', at: c.at, outcome: 'evicted' });
    return out.accept();
  }
  if (c.procedureType === 'lease_terminated' && s.track === 'pre_litigation') {
    out.emit({ type: 'trackSwitched', at: c.at, from: 'pre_litigation', to: 'post_termination', cause: c.procedureType });
  }
  if (s.phase === 'watch' && isAdverseProcedureEvent(c.procedureType)) {
    emitRelapse(out, policy, c.at, [{ kind: 'procedure_event', procedureType: c.procedureType, recordedAt: c.at }]);
  }
  return out.accept();
}

export function decidePayment(s: HouseholdState, c: RecordPaymentCommand): Decision {
  if (!Number.isSafeInteger(c.amountCents) || c.amountCents <= 0) {
    return refuse('invalid_amount', 'Le montant du paiement doit être positif (en centimes).');
  }
  const out = emitter(s);
  out.emit({ type: 'paymentRecorded', at: c.at, amountCents: c.amountCents });
  if (!s.finances.paymentResumed) out.emit({ type: 'paymentResumed', at: c.at });
  return out.accept();
}

export function decideArrears(c: UpdateArrearsCommand): Decision {
  const rentOk = c.monthlyRentCents === undefined || (Number.isSafeInteger(c.monthlyRentCents) && c.monthlyRentCents > 0);
  // A negative balance is a credit on the tenant's account: possible, and worth keeping.
  if (!Number.isSafeInteger(c.arrearsCents) || !rentOk) {
    return refuse('invalid_amount', 'La dette et le loyer doivent être exprimés en centimes, le loyer étant positif.');
  }
  const { type: _type, ...figures } = c;
  return { ok: true, events: [{ type: 'arrearsUpdated', ...figures }] };
}

export function decideStartHandoff(c: StartHandoffCommand): Decision {
  if (c.schemes.length === 0) return refuse('no_schemes', 'Indiquez au moins un dispositif de droit commun qui prend le relais.');
  if (new Set(c.schemes.map((x) => x.scheme)).size !== c.schemes.length) {
    return refuse('duplicate_scheme', "Chaque dispositif de droit commun ne peut être indiqué qu'une fois.");
  }
  return { ok: true, events: [{ type: 'handoffStarted', at: c.at, by: c.by, schemes: c.schemes }] };
}

export function decideAcknowledgeHandoff(s: HouseholdState, c: AcknowledgeHandoffCommand): Decision {
  const scheme = s.handoff?.schemes.find((x) => x.scheme === c.scheme);
  if (!scheme) return refuse('unknown_scheme', "Ce dispositif ne fait pas partie du tuilage en cours.");
  if (scheme.acknowledgedAt) return { ok: true, events: [] }; // a retried acknowledgement
  const out = emitter(s);
  out.emit({ type: 'handoffAcknowledged', at: c.at, by: c.by, scheme: c.scheme });
  startWatchIfHandedOver(out, c.at);
  return out.accept();
}

export function decideCancelHandoff(s: HouseholdState, c: CancelHandoffCommand): Decision {
  const out = emitter(s);
  out.emit({ type: 'handoffCancelled', at: c.at, by: c.by, ...(c.reasonNoteRef && { reasonNoteRef: c.reasonNoteRef }) });
  out.emit({ type: 'supportStarted', at: c.at, reason: 'handoff_cancelled', track: admittedTrack(s) });
  return out.accept();
}

/** The watch starts only once every receiving partner has taken over and the overlap is over. */
export function startWatchIfHandedOver(out: Emitter, at: Instant): void {
  const h = out.state.handoff;
  if (h && h.overlapEnded && h.schemes.every((x) => x.acknowledgedAt)) out.emit({ type: 'watchStarted', at });
}

export function decideRelapseReport(s: HouseholdState, c: RelapseDetectedCommand, policy: ProgrammePolicy): Decision {
  const out = emitter(s);
  const reported: RelapseSignal = { kind: 'reported', ...(c.noteRef && { noteRef: c.noteRef }) };
  emitRelapse(out, policy, c.at, [...detectRelapse(s, policy), reported], c.by);
  return out.accept();
}

/** Back to support, or to the committee first when the programme wants relapses reviewed. */
export function emitRelapse(out: Emitter, policy: ProgrammePolicy, at: Instant, signals: RelapseSignal[], by?: Actor): void {
  out.emit({ type: 'relapseDetected', at, signals, ...(by && { by }) });
  if (policy.watch.relapseThroughCommittee) {
    out.emit({ type: 'committeeReviewRequested', at, reason: 'relapse' });
  } else {
    out.emit({ type: 'supportStarted', at, reason: 'relapse', track: admittedTrack(out.state) });
  }
}
