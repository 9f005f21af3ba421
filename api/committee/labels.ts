import type { CommitteeDecision } from '../../workflows/domain/household-rules';

/**
 * The committee's words, in French, for the agenda and the minutes. Codes stay codes in the JSON
 * answers; only documents people print speak in sentences.
 */
export const DECISION_LABELS: Record<CommitteeDecision['kind'], string> = {
  admit: 'Admission',
  reorient: 'Réorientation',
  reject: 'Refus d\'entrée',
  defer: 'Report',
};

export const TRACK_LABELS: Record<string, string> = {
  pre_litigation: 'pré-contentieux',
  post_termination: 'post-résiliation du bail',
};

export const SCHEME_LABELS: Record<string, string> = {
  asll: 'ASLL',
  fsl: 'FSL',
  protection_measure: 'mesure de protection',
  sector_social_worker: 'assistant social de secteur',
  ccapex_followup: 'suivi CCAPEX',
  other: 'autre dispositif',
};

export const REJECT_REASON_LABELS: Record<string, string> = {
  not_eligible: 'ne relève pas du dispositif',
  already_followed: 'déjà suivi par un partenaire',
  out_of_territory: 'hors du territoire',
  household_declined: 'le ménage refuse l\'accompagnement',
  other: 'autre motif',
};

export const PROCEDURE_STAGE_LABELS: Record<string, string> = {
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
};

export const PARTNER_ANSWER_LABELS: Record<string, string> = {
  pending: 'en attente',
  not_known: 'non connu',
  followed: 'déjà suivi',
  no_answer: 'sans réponse dans le délai',
};

/** The decision's particulars in words: track and educator, scheme, reason or next session. */
export function decisionParticulars(decision: CommitteeDecision, educatorName: (id: string) => string): string {
  switch (decision.kind) {
    case 'admit':
      return `parcours ${TRACK_LABELS[decision.track] ?? decision.track}, suivi par ${educatorName(decision.educatorId)}`;
    case 'reorient':
      return `vers : ${SCHEME_LABELS[decision.scheme] ?? decision.scheme}`;
    case 'reject':
      return `motif : ${REJECT_REASON_LABELS[decision.reason] ?? decision.reason}`;
    case 'defer':
      return decision.untilSessionId ? `jusqu'à la séance ${decision.untilSessionId}` : 'à une prochaine séance';
  }
}
