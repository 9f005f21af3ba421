import type { CommitteeDecision } from './household/state';
import type { EscalationDecision } from './household/commands';
import { COMMAND_LABELS, PHASE_LABELS } from './household/phases';
import type {
  ActorRole, ContactChannel, ContactOutcome, MainstreamScheme, Outcome, PartnerAnswer, ProcedureEventType, ProcedureStage,
  ReferralSource, RejectReason, SupportDomain, SupportStatus, TaskType, TimeSlot, Track,
} from './household/vocabulary';

/**
 * The programme's words: what people read (pages, mails, minutes, the API's documentation) for
 * every code of the process. One table per code list, so a code reads the same everywhere
 * (docs/design/process.md has the glossary). Codes stay codes in JSON answers.
 */
export { COMMAND_LABELS, PHASE_LABELS };

export const ROLE_LABELS: Record<ActorRole, string> = {
  coordinator: 'coordination',
  committee_member: 'membre du comité',
  educator: 'éducateur ou éducatrice',
  landlord_agent: 'agent bailleur',
  partner_worker: 'travailleur social partenaire',
  admin: 'administration',
};

/** The team a task waits in when nobody holds it (« non attribuée (éducateurs) »). */
export const TEAM_LABELS: Record<ActorRole, string> = {
  coordinator: 'coordination',
  committee_member: 'membres du comité',
  educator: 'éducateurs',
  landlord_agent: 'bailleur',
  partner_worker: 'partenaire',
  admin: 'administration',
};

/** A task's name, short enough for a mail subject or a list. */
export const TASK_TYPE_LABELS: Record<TaskType, string> = {
  partner_check: 'Vérification partenaire',
  committee_decision: 'Décision du comité',
  committee_review: 'Réexamen en comité',
  contact_attempt: 'Tentative de contact',
  support_review: 'Point d\'étape de l\'accompagnement',
  handoff_acknowledgement: 'Confirmation du passage de relais',
  watch_check: 'Point de veille',
  legal_deadline_warning: 'Échéance légale',
};

/** What the task asks of the person, as the inbox titles it. */
export const TASK_TYPE_PROMPTS: Record<TaskType, string> = {
  partner_check: 'Vérification partenaire : le ménage est-il déjà suivi ?',
  committee_decision: 'Décision du comité sur l\'entrée dans le dispositif',
  contact_attempt: 'Tentative de prise de contact (« aller vers »)',
  committee_review: 'Réexamen par le comité',
  support_review: 'Point d\'étape de l\'accompagnement',
  handoff_acknowledgement: 'Accusé de prise de relais',
  watch_check: 'Point de veille après l\'accompagnement',
  legal_deadline_warning: 'Échéance légale de la procédure à anticiper',
};

export const TASK_STATUS_LABELS: Record<string, string> = { open: 'à faire', claimed: 'prise en charge', completed: 'terminée', cancelled: 'annulée' };

export const TRACK_LABELS: Record<Track, string> = {
  pre_litigation: 'pré-contentieux',
  post_termination: 'post-résiliation du bail',
};

export const OUTCOME_LABELS: Record<Outcome, string> = {
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

export const REFERRAL_SOURCE_LABELS: Record<ReferralSource, string> = {
  proximity: 'gestion de proximité',
  pre_litigation: 'pré-contentieux',
  litigation: 'contentieux',
  social_management: 'gestion sociale',
};

/** Every procedure step: the stages a referral names and the later events of the landlord's feed. */
export const PROCEDURE_LABELS: Record<ProcedureStage | ProcedureEventType, string> = {
  none: 'aucune procédure',
  caf_report: 'signalement CAF',
  ccapex_referral: 'saisine de la CCAPEX',
  payment_order: 'commandement de payer',
  summons: 'assignation',
  hearing: 'audience',
  judgment: 'jugement',
  lease_terminated: 'bail résilié',
  order_to_leave: 'commandement de quitter les lieux',
  police_assistance_requested: 'concours de la force publique demandé',
  prefect_notified: 'information du préfet',
  judgment_served: 'jugement signifié',
  social_cohesion_protocol: 'protocole de cohésion sociale',
  grace_period_granted: 'délais de paiement accordés',
  eviction: 'expulsion',
};

export const SCHEME_LABELS: Record<MainstreamScheme, string> = {
  asll: 'ASLL', fsl: 'FSL', protection_measure: 'mesure de protection', sector_social_worker: 'assistant social de secteur',
  ccapex_followup: 'suivi CCAPEX', other: 'autre dispositif',
};

export const COMMITTEE_DECISION_LABELS: Record<CommitteeDecision['kind'], string> = {
  admit: 'Admission',
  reorient: 'Réorientation',
  reject: 'Refus d\'entrée',
  defer: 'Report',
};

export const ESCALATION_DECISION_LABELS: Record<EscalationDecision['kind'], string> = {
  continue: 'Poursuivre les tentatives de contact',
  close_unreachable: 'Clôturer : le ménage reste injoignable',
  reorient: 'Réorienter vers un dispositif',
};

export const REJECT_REASON_LABELS: Record<RejectReason, string> = {
  not_eligible: 'ne relève pas du dispositif',
  already_followed: 'déjà suivi par un partenaire',
  out_of_territory: 'hors du territoire',
  household_declined: 'le ménage refuse l\'accompagnement',
  other: 'autre motif',
};

export const PARTNER_ANSWER_LABELS: Record<PartnerAnswer | 'pending' | 'no_answer', string> = {
  pending: 'en attente',
  not_known: 'non connu',
  followed: 'déjà suivi',
  no_answer: 'sans réponse dans le délai',
};

/** How a partner's answer reached the committee (api/committee/sessions.ts `AnswerObtained`). */
export function answerObtainedLabel(obtained: { by: string; listDate?: string | null }): string {
  switch (obtained.by) {
    case 'organisation': return 'réponse de l’organisation';
    case 'coordination': return 'réponse recueillie par la coordination';
    case 'list': {
      const [y, m, d] = (obtained.listDate ?? '').split('-');
      return obtained.listDate ? `d’après sa liste des ménages suivis du ${d}/${m}/${y}, sans la consulter` : 'd’après sa liste des ménages suivis, sans la consulter';
    }
    case 'deadline': return 'aucune réponse dans le délai';
    case 'pending': return 'vérification en cours';
    default: return obtained.by;
  }
}

export const TIME_SLOT_LABELS: Record<TimeSlot, string> = { weekday: 'en journée, en semaine', evening: 'en soirée', weekend: 'le week-end' };

export const CONTACT_CHANNEL_LABELS: Record<ContactChannel, string> = {
  home_visit: 'visite à domicile', phone: 'téléphone', letter: 'courrier', text_message: 'SMS', partner_meeting: 'rencontre chez un partenaire', other: 'autre',
};

export const CONTACT_OUTCOME_LABELS: Record<ContactOutcome, string> = {
  contact_made: 'contact établi', absent: 'absent', refused: 'refus', wrong_address: 'mauvaise adresse', appointment_set: 'rendez-vous pris',
};

export const SUPPORT_DOMAIN_LABELS: Record<SupportDomain, string> = {
  budget: 'budget', rights: 'accès aux droits', housing: 'logement', administrative: 'démarches administratives',
  health: 'santé', employment: 'emploi et formation', justice: 'justice', parenting: 'parentalité',
};

export const SUPPORT_STATUS_LABELS: Record<SupportStatus, string> = { not_started: 'non commencé', in_progress: 'en cours', done: 'terminé' };

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

/** `label(LABELS, code)`: the French word, or the code itself (underscores as spaces) when none is known; never a blank. */
export function label(labels: Readonly<Record<string, string>>, code: string | null | undefined): string {
  if (code === null || code === undefined || code === '') return '';
  return labels[code] ?? code.replace(/_/g, ' ');
}

/** The committee decision's particulars in words: track and educator, scheme, reason or next session. */
export function decisionParticulars(decision: CommitteeDecision, educatorName: (id: string) => string): string {
  switch (decision.kind) {
    case 'admit':
      return `parcours ${TRACK_LABELS[decision.track]}, suivi par ${educatorName(decision.educatorId)}`;
    case 'reorient':
      return `vers : ${SCHEME_LABELS[decision.scheme]}`;
    case 'reject':
      return `motif : ${REJECT_REASON_LABELS[decision.reason]}`;
    case 'defer':
      return decision.untilSessionId ? `jusqu'à la séance ${decision.untilSessionId}` : 'à une prochaine séance';
  }
}
