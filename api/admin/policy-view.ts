import { caseloadListFreshness, DAY_MS, type ProgrammePolicy } from '../../domain/programme/policy';

/**
 * The policy in force, said in French for the people who tune it: every setting with its label
 * and, for durations, its value in days. Each entry reads the policy by its typed path, so a
 * renamed setting fails to compile; a unit test checks that a new setting gets a label.
 */
export interface PolicySetting {
  /** Path in the policy object, e.g. `partnerCheck.deadlineMs`. */
  key: string;
  label: string;
  value: number | boolean | string;
  /** Durations only. */
  days?: number;
  /** What people read: « 10 jours », « 8 tentatives », « oui »… */
  display: string;
}

const duration = (key: string, label: string, ms: number): PolicySetting => ({
  key, label, value: ms, days: Math.round((ms / DAY_MS) * 1000) / 1000, display: frenchDuration(ms),
});
const count = (key: string, label: string, value: number, unit: string): PolicySetting => ({
  key, label, value, display: `${value.toLocaleString('fr-FR')} ${unit}${value > 1 && !unit.endsWith('s') ? 's' : ''}`,
});

export function describePolicy(p: ProgrammePolicy): PolicySetting[] {
  const relapse = p.watch.relapseArrears;
  return [
    duration('partnerCheck.deadlineMs', 'Délai de réponse des partenaires à la vérification', p.partnerCheck.deadlineMs),
    duration('partnerCheck.reminderLeadMs', 'Relance des partenaires silencieux, avant la date limite', p.partnerCheck.reminderLeadMs),
    duration('partnerCorrectionWindowMs', 'Accès d\'un partenaire au ménage après sa réponse (pour la corriger)', p.partnerCorrectionWindowMs),
    duration('partnerCheck.caseloadListFreshMs', 'Durée pendant laquelle la liste des ménages suivis d’un partenaire répond pour lui', caseloadListFreshness(p)),
    count('committee.deferLimit', 'Ajournements successifs permis au comité', p.committee.deferLimit, 'ajournement'),
    duration('contact.attemptSpacingMs', 'Écart minimal entre deux tentatives de contact', p.contact.attemptSpacingMs),
    count('contact.maxFailedAttempts', 'Tentatives infructueuses avant de saisir le comité', p.contact.maxFailedAttempts, 'tentative'),
    duration('contact.maxDurationMs', 'Durée sans premier contact avant de saisir le comité', p.contact.maxDurationMs),
    duration('support.reviewPeriodMs', 'Périodicité des points d\'étape de l\'accompagnement', p.support.reviewPeriodMs),
    duration('handoff.overlapMs', 'Durée du passage de relais (suivi conjoint)', p.handoff.overlapMs),
    duration('handoff.acknowledgementReminderMs', 'Relance des partenaires qui n\'ont pas accusé la prise de relais', p.handoff.acknowledgementReminderMs),
    duration('watch.lengthMs', 'Durée de la veille après l\'accompagnement', p.watch.lengthMs),
    duration('watch.checkPeriodMs', 'Périodicité des points de veille', p.watch.checkPeriodMs),
    relapse.kind === 'months_of_rent'
      ? { key: 'watch.relapseArrears', label: 'Seuil de rechute (dette locative)', value: `${relapse.months} mois de loyer`, display: `${relapse.months.toLocaleString('fr-FR')} mois de loyer` }
      : { key: 'watch.relapseArrears', label: 'Seuil de rechute (dette locative)', value: relapse.cents, display: `${(relapse.cents / 100).toLocaleString('fr-FR', { minimumFractionDigits: 2 })} €` },
    { key: 'watch.relapseThroughCommittee', label: 'Une rechute repasse par le comité', value: p.watch.relapseThroughCommittee, display: p.watch.relapseThroughCommittee ? 'oui' : 'non (retour direct en accompagnement)' },
    count('capacity.perLandlord', 'Capacité d\'accompagnement par bailleur (indicative)', p.capacity.perLandlord, 'ménage'),
    count('capacity.total', 'Capacité d\'accompagnement totale (indicative)', p.capacity.total, 'ménage'),
    duration('legalDeadlineWarningLeadMs', 'Alerte de l\'éducateur avant une échéance légale', p.legalDeadlineWarningLeadMs),
    duration('retentionAfterClosureMs', 'Anonymisation des dossiers clos après', p.retentionAfterClosureMs),
    duration('recordsRetentionMs', 'Effacement des courriels et des lignes des fichiers d\'impayés après', p.recordsRetentionMs),
    count('historyEventsBeforeContinueAsNew', 'Événements d\'historique avant de repartir d\'un historique neuf (technique)', p.historyEventsBeforeContinueAsNew, 'événement'),
  ];
}

/** « 10 jours », « 730 jours »; under a day (the tests' policy in seconds) hours, minutes or seconds. */
export function frenchDuration(ms: number): string {
  const plural = (n: number, word: string) => `${n.toLocaleString('fr-FR')} ${word}${n >= 2 ? 's' : ''}`;
  if (ms >= DAY_MS) {
    const days = Math.round((ms / DAY_MS) * 10) / 10;
    return plural(days, 'jour');
  }
  if (ms >= 3_600_000) return plural(Math.round((ms / 3_600_000) * 10) / 10, 'heure');
  if (ms >= 60_000) return plural(Math.round((ms / 60_000) * 10) / 10, 'minute');
  return plural(Math.round((ms / 1000) * 10) / 10, 'seconde');
}
