import type { Role } from '../../generated/prisma/client';
import { ROLE_LABELS } from '../access/permissions';
import {
  PARTNER_ANSWER_LABELS, REJECT_REASON_LABELS, SCHEME_LABELS, TRACK_LABELS,
} from '../committee/labels';
import { PROCEDURE_STAGE_LABELS, TASK_TYPES } from '../../activities/mail-labels';
import { PHASE_LABELS } from '../../domain/household/phases';

/**
 * The words people read on the pages for the codes of the process. Reuses the labels the mails and
 * the committee minutes already use, so one code reads the same everywhere; adds the ones only
 * pages show. A code without label is shown as is (never a blank).
 */
export { PHASE_LABELS, TRACK_LABELS, SCHEME_LABELS, REJECT_REASON_LABELS, PARTNER_ANSWER_LABELS, ROLE_LABELS };
/** Every procedure step (referral stages and the later events of the landlord's feed). */
export const PROCEDURE_LABELS: Record<string, string> = PROCEDURE_STAGE_LABELS;

export const TASK_TYPE_LABELS: Record<string, string> = Object.fromEntries(Object.entries(TASK_TYPES).map(([k, v]) => [k, v.label]));

export const REFERRAL_SOURCE_LABELS: Record<string, string> = {
  proximity: 'gestion de proximité',
  pre_litigation: 'pré-contentieux',
  litigation: 'contentieux',
  social_management: 'gestion sociale',
};

export const OUTCOME_LABELS: Record<string, string> = {
  maintained: 'maintien dans le logement',
  rehoused: 'relogement',
  oriented: 'orienté vers un dispositif',
  reoriented: 'réorienté',
  rejected: 'non admis',
  unreachable: 'injoignable',
  evicted: 'expulsé',
  left: 'départ du logement',
  withdrawn: 'orientation retirée',
};

export const TIME_SLOT_LABELS: Record<string, string> = { weekday: 'en journée, en semaine', evening: 'en soirée', weekend: 'le week-end' };

export const CONTACT_CHANNEL_LABELS: Record<string, string> = {
  home_visit: 'visite à domicile', phone: 'téléphone', letter: 'courrier', text_message: 'SMS', partner_meeting: 'rencontre chez un partenaire', other: 'autre',
};

export const CONTACT_OUTCOME_LABELS: Record<string, string> = {
  contact_made: 'contact établi', absent: 'absent', refused: 'refus', wrong_address: 'mauvaise adresse', appointment_set: 'rendez-vous pris',
};

export const SUPPORT_DOMAIN_LABELS: Record<string, string> = {
  budget: 'budget', rights: 'accès aux droits', housing: 'logement', administrative: 'démarches administratives',
  health: 'santé', employment: 'emploi et formation', justice: 'justice', parenting: 'parentalité',
};

export const SUPPORT_STATUS_LABELS: Record<string, string> = { not_started: 'non commencé', in_progress: 'en cours', done: 'terminé' };

export const TASK_STATUS_LABELS: Record<string, string> = { open: 'à faire', claimed: 'prise en charge', completed: 'terminée', cancelled: 'annulée' };

/** Timeline rows (the workflow's event types, and the legal warnings) as a person would name them. */
export const EVENT_LABELS: Record<string, string> = {
  referralRecorded: 'Orientation enregistrée',
  partnerCheckOpened: 'Vérification partenaires ouverte',
  partnerReminderIssued: 'Relance des partenaires',
  partnerAnswerRecorded: 'Réponse d\'un partenaire',
  referentWorkerAlertRequested: 'Alerte au travailleur social référent',
  partnerCheckCompleted: 'Vérification partenaires terminée',
  committeeDecisionRecorded: 'Décision du comité',
  contactStarted: 'Prise de contact commencée',
  contactAttemptRequested: 'Tentative de contact demandée',
  contactAttemptRecorded: 'Tentative de contact',
  contactEscalated: 'Prise de contact soumise au comité',
  contactEscalationResolved: 'Décision du comité sur la prise de contact',
  supportStarted: 'Accompagnement commencé',
  supportPlanUpdated: 'Plan d\'accompagnement mis à jour',
  supportReviewRequested: 'Bilan demandé',
  reviewRecorded: 'Bilan enregistré',
  procedureEventRecorded: 'Étape de la procédure',
  trackSwitched: 'Changement de parcours',
  paymentRecorded: 'Paiement reçu',
  paymentResumed: 'Reprise du paiement',
  arrearsUpdated: 'Dette locative mise à jour',
  handoffStarted: 'Tuilage commencé',
  handoffReminderIssued: 'Relance des partenaires du tuilage',
  handoffAcknowledged: 'Prise en charge par un partenaire',
  handoffOverlapEnded: 'Fin de la période de tuilage',
  handoffCancelled: 'Tuilage abandonné',
  watchStarted: 'Veille active commencée',
  watchCheckRequested: 'Point de veille demandé',
  relapseDetected: 'Rechute',
  committeeReviewRequested: 'Réexamen en comité demandé',
  caseClosed: 'Dossier clôturé',
  legalDeadlineWarning: 'Alerte d\'échéance légale',
};

/** The workflow's own deadlines (the next timer), as people read them. */
export const DEADLINE_LABELS: Record<string, string> = {
  partner_check_reminder: 'relance des partenaires',
  partner_check_deadline: 'fin du délai de vérification partenaires',
  contact_attempt_due: 'prochaine tentative de contact',
  contact_time_limit: 'fin du délai de prise de contact',
  support_review_due: 'bilan d\'accompagnement',
  handoff_acknowledgement_reminder: 'relance des partenaires du tuilage',
  handoff_overlap_end: 'fin du tuilage',
  watch_check_due: 'point de veille',
  watch_end: 'fin de la veille active',
};

export const roleLabel = (role: Role): string => ROLE_LABELS[role];

/** `label(LABELS, code)`: the French word, or the code itself when none is known. */
export function label(labels: Record<string, string>, code: string | null | undefined): string {
  if (code === null || code === undefined || code === '') return '';
  return labels[code] ?? code.replace(/_/g, ' ');
}
