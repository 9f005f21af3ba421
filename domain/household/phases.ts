import type { CommandType } from './commands';
import type { Phase } from './vocabulary';

// The landlord's feeds and the coordinator's exits apply whatever the phase, until closure.
const ANY_OPEN_PHASE: readonly CommandType[] = ['recordProcedureEvent', 'recordPayment', 'updateArrears', 'close', 'withdraw'];

/**
 * Which commands each phase accepts: the API shows these as the available actions, and `decide`
 * refuses anything else before looking further. Partner answers are still taken in committee
 * (a late "followed" matters to the committee); support work goes on during the handoff overlap.
 */
const ACCEPTED: Record<Phase, readonly CommandType[]> = {
  referred: ['start', 'openPartnerCheck', ...ANY_OPEN_PHASE],
  partner_check: ['recordPartnerAnswer', 'partnerCheckReminderDue', 'partnerCheckDeadlineReached', ...ANY_OPEN_PHASE],
  committee: ['recordCommitteeDecision', 'recordPartnerAnswer', ...ANY_OPEN_PHASE],
  contact: ['recordContactAttempt', 'contactAttemptDue', 'contactTimeLimitReached', 'contactEscalationDecision', ...ANY_OPEN_PHASE],
  support: ['updateSupportPlan', 'recordReview', 'supportReviewDue', 'startHandoff', ...ANY_OPEN_PHASE],
  handoff: [
    'acknowledgeHandoff', 'handoffReminderDue', 'handoffOverlapEnded', 'cancelHandoff', 'updateSupportPlan', 'recordReview',
    ...ANY_OPEN_PHASE,
  ],
  watch: ['watchCheckDue', 'relapseDetected', 'watchEnded', ...ANY_OPEN_PHASE],
  closed: [],
};

export function acceptedCommands(phase: Phase): readonly CommandType[] {
  return ACCEPTED[phase];
}

export const PHASE_LABELS: Record<Phase, string> = {
  referred: 'orientation',
  partner_check: 'vérification partenaires',
  committee: 'comité',
  contact: 'prise de contact',
  support: 'accompagnement',
  handoff: 'tuilage',
  watch: 'veille active',
  closed: 'clôture',
};

/** Each command as the subject of a French sentence, for refusal messages. */
export const COMMAND_LABELS: Record<CommandType, string> = {
  start: "L'enregistrement de l'orientation",
  openPartnerCheck: "L'ouverture de la vérification partenaires",
  recordPartnerAnswer: "La réponse d'un partenaire",
  partnerCheckReminderDue: 'La relance des partenaires',
  partnerCheckDeadlineReached: 'La fin du délai de vérification partenaires',
  recordCommitteeDecision: 'La décision du comité',
  recordContactAttempt: "L'enregistrement d'une tentative de contact",
  contactAttemptDue: "La programmation d'une tentative de contact",
  contactTimeLimitReached: 'La fin du délai de prise de contact',
  contactEscalationDecision: 'La décision du comité sur une prise de contact sans résultat',
  updateSupportPlan: "La mise à jour du plan d'accompagnement",
  recordReview: "Le bilan d'accompagnement",
  supportReviewDue: "L'échéance du bilan d'accompagnement",
  recordProcedureEvent: "L'enregistrement d'une étape de la procédure",
  recordPayment: "L'enregistrement d'un paiement",
  updateArrears: 'La mise à jour de la dette locative',
  startHandoff: 'Le début du tuilage',
  acknowledgeHandoff: 'La prise en charge par le partenaire du tuilage',
  cancelHandoff: "L'abandon du tuilage",
  handoffReminderDue: 'La relance des partenaires du tuilage',
  handoffOverlapEnded: 'La fin de la période de tuilage',
  watchCheckDue: 'Le point de veille',
  relapseDetected: "Le signalement d'une rechute",
  watchEnded: 'La fin de la veille active',
  close: 'La clôture du dossier',
  withdraw: "Le retrait de l'orientation",
};

/** "La décision du comité n'est possible qu'en phase comité ; le ménage est en phase prise de contact." */
export function wrongPhaseReason(command: CommandType, current: Phase): string {
  const phases = (Object.keys(ACCEPTED) as Phase[]).filter((p) => ACCEPTED[p].includes(command)).map((p) => PHASE_LABELS[p]);
  const where = phases.length === 1
    ? `en phase ${phases[0]}`
    : `en phases ${phases.slice(0, -1).join(', ')} ou ${phases[phases.length - 1]}`;
  return `${COMMAND_LABELS[command]} n'est possible qu'${where} ; le ménage est en phase ${PHASE_LABELS[current]}.`;
}
