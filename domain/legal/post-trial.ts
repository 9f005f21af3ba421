/** From the judgment to the eviction: appeal, payment delays, protocol, commandement de quitter, truce, police. */
import { addMonths, addPeriod, describePeriod, formatFr } from './dates';
import {
  checkGracePeriod, earliestEvictionDate, isWinterTruce, orderToLeaveExpiry, orderToLeavePeriod, policeAssistanceDecision,
} from './eviction';
import { nextWorkingDayOnOrAfter } from './holidays';
import { RULES, ruleAt } from './rules';
import type { Context } from './context';
import type { LegalEvent } from './types';

export function paymentDelays(c: Context): void {
  const judgment = c.latest('judgment');
  if (!judgment?.paymentDelayMonths) return;
  c.add({
    kind: 'payment_delays_end', dueDate: addMonths(judgment.date, judgment.paymentDelayMonths),
    ruleId: RULES.paymentDelays.id, version: ruleAt(RULES.paymentDelays, judgment.date),
    label: `Fin des délais de paiement accordés par le juge (${judgment.paymentDelayMonths} mois à compter du jugement)`,
    severity: 'info', leverHint: 'Tout nouvel impayé pendant les délais peut mettre fin à la suspension de la clause résolutoire.',
    from: { type: 'judgment', date: judgment.date },
  });
}

/** One month from service (15 days for an ordonnance de référé), to the next working day if it ends on a day off. */
export function appeal(c: Context): void {
  const served = c.latest('judgment_served');
  if (!served) return;
  const judgment = c.latest('judgment', served.date);
  const version = ruleAt(RULES.appeal, served.date);
  const period = judgment?.interimOrder ? version.params.interimOrder : version.params.judgment;
  c.add({
    kind: 'appeal', dueDate: nextWorkingDayOnOrAfter(addPeriod(served.date, period)), ruleId: RULES.appeal.id, version,
    label: `Date limite pour faire appel (${describePeriod(period)} après la signification${judgment?.interimOrder ? " de l'ordonnance de référé" : ' du jugement'})`,
    severity: 'lever', leverHint: "Consulter un avocat ou demander l'aide juridictionnelle sans attendre.",
    from: { type: 'judgment_served', date: served.date },
  });
}

/** The protocol lasts 2 years at most, extendable; if it is respected, the landlord signs a new lease within 3 months. */
export function cohesionProtocol(c: Context): void {
  const protocol = c.latest('social_cohesion_protocol');
  if (!protocol) return;
  const version = ruleAt(RULES.cohesionProtocol, protocol.date);
  const months = (protocol.durationMonths ?? version.params.maxMonths) + (protocol.extensionMonths ?? 0);
  const end = addMonths(protocol.date, months);
  const from = { type: protocol.type, date: protocol.date };
  c.add({
    kind: 'protocol_end', dueDate: end, ruleId: RULES.cohesionProtocol.id, version, from,
    label: `Fin du protocole de cohésion sociale (${months} mois)`,
    severity: 'lever', leverHint: "Payer l'indemnité d'occupation et suivre le plan d'apurement jusqu'au bout ouvre droit à un nouveau bail.",
  });
  c.add({
    kind: 'protocol_new_lease', dueDate: addPeriod(end, version.params.newLease), ruleId: RULES.cohesionProtocol.id, version, from,
    label: 'Signature du nouveau bail par le bailleur si le protocole a été respecté (3 mois au plus)',
    severity: 'info',
  });
}

/** The commandement de quitter, délais de grâce, the truce, and the request for police assistance. */
export function eviction(c: Context): void {
  const order = c.latest('order_to_leave');
  const grace = c.latest('grace_period_granted');
  const graceCheck = grace && checkGracePeriod(grace.date, grace.months);
  const graceEnd = graceCheck?.ok ? graceCheck.end : undefined;
  if (grace && graceCheck?.ok) {
    c.add({
      kind: 'grace_period_end', dueDate: graceCheck.end, ruleId: RULES.gracePeriod.id, version: ruleAt(RULES.gracePeriod, grace.date),
      label: `Fin des délais de grâce accordés par le juge (${grace.months} mois)`,
      severity: 'protection', leverHint: 'Utiliser ces délais pour le relogement (demande de logement social, DALO, SIAO).',
      from: { type: grace.type, date: grace.date },
    });
  }
  if (order) {
    const from = { type: order.type, date: order.date };
    const version = ruleAt(RULES.orderToLeave, order.date);
    const expiry = orderToLeaveExpiry(order.date, order.judgeShortenedToDays);
    if (expiry !== undefined) {
      c.add({
        kind: 'order_to_leave_expiry', dueDate: expiry, ruleId: RULES.orderToLeave.id, version, from,
        label: `Fin du délai du commandement de quitter les lieux (${describePeriod(orderToLeavePeriod(order.date, order.judgeShortenedToDays))})`,
        severity: 'lever', leverHint: "Demander des délais de grâce au juge de l'exécution et activer le relogement avant cette date.",
      });
    }
    c.add({
      kind: 'earliest_eviction', ruleId: RULES.earliestEviction.id, version: ruleAt(RULES.earliestEviction, order.date), from,
      dueDate: earliestEvictionDate({ orderToLeaveDate: order.date, judgeShortenedToDays: order.judgeShortenedToDays, gracePeriodEnd: graceEnd }),
      label: 'Première date possible de l\'expulsion (délais et trêve hivernale compris)',
      severity: 'protection',
    });
  }
  policeAssistance(c, order);
  for (const done of c.ofTypes('eviction').filter((event) => isWinterTruce(event.date))) {
    c.flag('eviction_during_truce', done.date,
      `Expulsion le ${formatFr(done.date)}, pendant la trêve hivernale : elle n'est possible que si un relogement adapté est assuré.`,
      ruleAt(RULES.winterTruce, done.date).basis);
  }
}

function policeAssistance(c: Context, order: (LegalEvent & { type: 'order_to_leave' }) | undefined): void {
  const request = c.latest('police_assistance_requested');
  if (!request) return;
  const { premature, decisionDue } = policeAssistanceDecision(request.date, order);
  const version = ruleAt(RULES.policeAssistance, request.date);
  c.add({
    kind: 'police_decision', dueDate: decisionDue, ruleId: RULES.policeAssistance.id, version,
    label: 'Réponse du préfet à la demande de concours de la force publique (son silence pendant 2 mois vaut refus)',
    severity: 'info', from: { type: request.type, date: request.date },
  });
  if (premature && order) {
    c.flag('premature_police_request', request.date,
      `Concours de la force publique demandé le ${formatFr(request.date)}, avant la fin du délai du commandement de quitter les lieux du ${formatFr(order.date)} : demande prématurée, le préfet peut la rejeter pour ce motif. À défaut de rejet exprès, le préfet est réputé saisi à la fin de ce délai.`,
      version.basis);
  }
}
