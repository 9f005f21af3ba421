/** From the first unpaid rent to the hearing: the stages where the educator's levers are strongest. */
import { addDays, addPeriod, describePeriod, formatFr, maxDate, type IsoDate } from './dates';
import { addWorkingDays } from './holidays';
import { RULES, ruleAt } from './rules';
import type { Context } from './context';

/** The landlord reports a constituted arrears to the CAF within two months (unless already reported). */
export function cafReport(c: Context, constitutedOn: IsoDate | undefined): void {
  const reported = c.latest('caf_report');
  if (constitutedOn === undefined || (reported && reported.date >= constitutedOn)) return;
  const version = ruleAt(RULES.cafReport, constitutedOn);
  c.add({
    kind: 'caf_report', dueDate: addPeriod(constitutedOn, version.params.period), ruleId: RULES.cafReport.id, version,
    label: "Signalement de l'impayé à la CAF par le bailleur (2 mois après la constitution de l'impayé)",
    severity: 'info', leverHint: "Vérifier que la CAF est informée : l'aide au logement peut être maintenue avec un plan d'apurement.",
    from: { type: 'arrears_constituted', date: constitutedOn },
  });
}

/**
 * No summons before two months have run since the CCAPEX referral (a CAF report counts as one).
 * The referral taken is the last one before the summons, as an older one may concern an older debt.
 */
export function earliestSummons(c: Context): void {
  const summons = c.latest('summons');
  const referral = c.latest(['ccapex_referral', 'caf_report'], summons?.date);
  if (!referral) return;
  const version = ruleAt(RULES.ccapexBeforeSummons, referral.date);
  const earliest = addDays(addPeriod(referral.date, version.params.period), 1);
  c.add({
    kind: 'earliest_summons', dueDate: earliest, ruleId: RULES.ccapexBeforeSummons.id, version,
    label: "Pas d'assignation possible avant cette date (2 mois après la saisine de la CCAPEX)",
    severity: 'lever', leverHint: "Avant l'assignation : plan d'apurement, FSL, dossier de surendettement, reprise du loyer.",
    from: { type: referral.type, date: referral.date },
  });
  if (summons && summons.date < earliest) {
    c.flag('premature_summons', summons.date,
      `Assignation délivrée le ${formatFr(summons.date)}, moins de 2 mois après la saisine de la CCAPEX du ${formatFr(referral.date)} : demande possiblement irrecevable (bailleur personne morale).`,
      version.basis);
  }
}

/** Time left to pay after the commandement de payer: the version is picked by the lease date. */
export function paymentOrder(c: Context, leaseStartDate: IsoDate | undefined): void {
  const order = c.latest('payment_order');
  if (!order) return;
  // Without a lease date, assume the current law: its shorter délai warns the household earlier.
  const version = ruleAt(RULES.paymentOrder, leaseStartDate ?? order.date);
  if (leaseStartDate === undefined) {
    c.flag('lease_date_unknown', order.date,
      'Date du bail inconnue : délai du commandement calculé à 6 semaines (bail conclu ou renouvelé depuis le 29/07/2023). Pour un bail plus ancien, le délai est de 2 mois.',
      version.basis);
  }
  c.add({
    kind: 'payment_order_expiry', dueDate: addPeriod(order.date, version.params.period), ruleId: RULES.paymentOrder.id, version,
    label: `Fin du délai du commandement de payer (${describePeriod(version.params.period)}) : ensuite, la clause résolutoire peut jouer`,
    severity: 'lever', leverHint: 'Régler la dette, ou obtenir un accord écrit de plan d\'apurement ou une aide du FSL avant cette date.',
    from: { type: 'payment_order', date: order.date },
  });
}

/** The hearing the household is now summoned to: the latest date known, as hearings get postponed. */
export function currentHearing(c: Context): IsoDate | undefined {
  const summonsHearing = c.latest('summons')?.hearingDate;
  const hearing = c.latest('hearing')?.date;
  if (summonsHearing === undefined || hearing === undefined) return summonsHearing ?? hearing;
  return maxDate(summonsHearing, hearing);
}

/**
 * The summons must reach the prefect at least 6 weeks (2 months before the reform) before the
 * hearing it was issued for; a postponed hearing does not cure a late notice. Counted backwards
 * from the eve of the hearing, the délai's last day is hearing − 42 days, so the notice must be
 * made the day before at the latest (Cass. avis 6 nov. 2025: no extension for weekends).
 */
export function prefectNotice(c: Context): void {
  const summons = c.latest('summons');
  if (!summons) return;
  const hearing = summons.hearingDate ?? c.firstOnOrAfter('hearing', summons.date)?.date;
  if (hearing === undefined) return;
  const version = ruleAt(RULES.prefectNotice, summons.date);
  const latest = addDays(addPeriod(hearing, version.params.period, -1), -1);
  c.add({
    kind: 'prefect_notice_latest', dueDate: latest, ruleId: RULES.prefectNotice.id, version,
    label: `Date limite de notification de l'assignation au préfet (${describePeriod(version.params.period)} avant l'audience du ${formatFr(hearing)})`,
    severity: 'info', leverHint: "Si la notification est plus tardive, l'assignation est irrecevable : le signaler à l'avocat du ménage.",
    from: { type: 'summons', date: summons.date },
  });
  const notice = c.firstOnOrAfter('prefect_notified', summons.date);
  if (notice && notice.date > latest) {
    c.flag('late_prefect_notice', notice.date,
      `Assignation notifiée au préfet le ${formatFr(notice.date)}, après la date limite du ${formatFr(latest)} : demande possiblement irrecevable.`,
      version.basis);
  }
}

/**
 * The social and financial diagnosis: an interview offered within 15 working days of the prefect
 * referring the case (taken as the day the prefect was notified), and the report sent to the judge
 * and the CCAPEX at least 5 working days before the hearing.
 */
export function socialDiagnosis(c: Context): void {
  const notified = c.latest('prefect_notified');
  if (notified) {
    const version = ruleAt(RULES.socialDiagnosis, notified.date);
    c.add({
      kind: 'dsf_interview_offer', dueDate: addWorkingDays(notified.date, version.params.interviewWorkingDays),
      ruleId: RULES.socialDiagnosis.id, version,
      label: "Proposition d'entretien pour le diagnostic social et financier (15 jours ouvrés après la saisine par le préfet)",
      severity: 'info', leverHint: "Aider le ménage à répondre à la convocation : le diagnostic éclaire le juge sur sa capacité à payer.",
      from: { type: 'prefect_notified', date: notified.date },
    });
  }
  const hearing = currentHearing(c);
  if (hearing === undefined) return;
  const version = ruleAt(RULES.socialDiagnosis, hearing);
  c.add({
    kind: 'dsf_transmission', dueDate: addWorkingDays(hearing, -version.params.transmissionWorkingDays),
    ruleId: RULES.socialDiagnosis.id, version,
    label: `Transmission du diagnostic social et financier au juge et à la CCAPEX (5 jours ouvrés avant l'audience du ${formatFr(hearing)})`,
    severity: 'info', from: { type: 'hearing', date: hearing },
  });
}

/** Since the reform, the judge may grant payment delays only if the full current rent was resumed before the hearing. */
export function fullRentBeforeHearing(c: Context): void {
  const hearing = currentHearing(c);
  const version = RULES.fullRentBeforeHearing.versions[0];
  if (hearing === undefined || version === undefined || hearing < version.effectiveFrom) return;
  c.add({
    kind: 'full_rent_before_hearing', dueDate: hearing, ruleId: RULES.fullRentBeforeHearing.id, version,
    label: "Reprise du paiement intégral du loyer courant avant l'audience (condition pour obtenir des délais de paiement)",
    severity: 'lever',
    leverHint: "Sans reprise du loyer courant en entier avant l'audience, le juge ne peut accorder de délais ni suspendre la clause résolutoire.",
    from: { type: 'hearing', date: hearing },
  });
}
