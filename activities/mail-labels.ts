import { days } from '../domain/programme/policy';

/**
 * What people read in mails for the codes of the task inbox and the case file, and when an open
 * task counts as overdue. Some tasks are due the moment they open (a review, a watch check-in) or
 * carry the earliest time to act rather than a deadline (a contact attempt's `notBefore`): they
 * get a grace before the coordination hears of them, or every such task would escalate.
 */
export const TASK_TYPES: Record<string, { label: string; overdueGraceMs: number }> = {
  partner_check: { label: 'Vérification partenaire', overdueGraceMs: 0 },
  committee_decision: { label: 'Décision du comité', overdueGraceMs: 0 },
  committee_review: { label: 'Réexamen en comité', overdueGraceMs: 0 },
  contact_attempt: { label: 'Tentative de contact', overdueGraceMs: days(3) },
  support_review: { label: 'Point d\'étape de l\'accompagnement', overdueGraceMs: days(7) },
  handoff_acknowledgement: { label: 'Confirmation du passage de relais', overdueGraceMs: 0 },
  watch_check: { label: 'Point de veille', overdueGraceMs: days(7) },
  legal_deadline_warning: { label: 'Échéance légale', overdueGraceMs: 0 },
};

export const taskLabel = (type: string): string => TASK_TYPES[type]?.label ?? type;

/** When an open task with a due date becomes overdue (its due date plus the type's grace). */
export const overdueAt = (task: { type: string; dueAt: Date }): Date =>
  new Date(task.dueAt.getTime() + (TASK_TYPES[task.type]?.overdueGraceMs ?? 0));

export const ROLE_LABELS: Record<string, string> = {
  coordinator: 'coordination',
  committee_member: 'membres du comité',
  educator: 'éducateurs',
  landlord_agent: 'bailleur',
  partner_worker: 'partenaire',
  admin: 'administration',
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
  // Procedure events beyond the stages a referral names.
  prefect_notified: 'information du préfet',
  judgment_served: 'jugement signifié',
  social_cohesion_protocol: 'protocole de cohésion sociale',
  grace_period_granted: 'délais de paiement accordés',
  eviction: 'expulsion',
};

export const SCHEME_LABELS: Record<string, string> = {
  asll: 'ASLL', fsl: 'FSL', protection_measure: 'mesure de protection', sector_social_worker: 'assistant social de secteur',
  ccapex_followup: 'suivi CCAPEX', other: 'autre dispositif',
};

/** A day as people in Reims read it (the digest's date, due dates). */
export const frenchDate = (at: Date | string | number): string =>
  new Date(at).toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris' });

/** The calendar day in Paris, as YYYY-MM-DD: the digest's key, so that one day means one digest. */
export const parisDay = (at: Date | number): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(at));
