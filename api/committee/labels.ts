import type { CommitteeDecision } from '../../domain/household';
import { SCHEME_LABELS } from '../../activities/mail-labels';

// One list of the schemes' French names, shared with the mails.
export { SCHEME_LABELS };

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

export const REJECT_REASON_LABELS: Record<string, string> = {
  not_eligible: 'ne relève pas du dispositif',
  already_followed: 'déjà suivi par un partenaire',
  out_of_territory: 'hors du territoire',
  household_declined: 'le ménage refuse l\'accompagnement',
  other: 'autre motif',
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
