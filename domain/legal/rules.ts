/**
 * The legal rules as versioned tables. The law changes (loi n° 2023-668 du 27 juillet 2023, in
 * force on 29 July 2023, shortened several délais), and which version applies depends on a date
 * that differs per rule: the lease date for the commandement de payer (the reform does not apply
 * to leases in progress, Cass. avis 13 juin 2024), the summons date for the prefect notice, the
 * grant date for délais de grâce, the date examined for the winter truce.
 *
 * `effectiveFrom` is the day a version took effect. The oldest version of each rule is also used
 * for dates before it: history older than the texts quoted here is not modelled.
 */
import type { IsoDate, Period } from './dates';

export interface RuleVersion<P> {
  version: string;
  effectiveFrom: IsoDate;
  basis: string;
  params: P;
}

export interface Rule<P> {
  id: string;
  /** Sorted by `effectiveFrom`, oldest first. */
  versions: readonly RuleVersion<P>[];
}

/** The version in force on `date`. */
export function ruleAt<P>(rule: Rule<P>, date: IsoDate): RuleVersion<P> {
  const [oldest, ...newer] = rule.versions;
  if (!oldest) throw new Error(`Rule ${rule.id} has no version`);
  return newer.reduce((found, candidate) => (candidate.effectiveFrom <= date ? candidate : found), oldest);
}

const REFORM_2023 = '2023-07-29';
const LOI_1989 = 'Loi n° 89-462 du 6 juillet 1989';
const months = (count: number): Period => ({ unit: 'months', count });
const weeks = (count: number): Period => ({ unit: 'weeks', count });
const days = (count: number): Period => ({ unit: 'days', count });
const single = <P>(id: string, version: RuleVersion<P>): Rule<P> => ({ id, versions: [version] });

export const RULES = {
  /** Time the tenant has to pay after a commandement de payer; picked by the lease (or renewal) date. */
  paymentOrder: {
    id: 'payment_order',
    versions: [
      { version: 'avant loi 2023-668', effectiveFrom: '1989-07-08', params: { period: months(2) },
        basis: `${LOI_1989}, art. 24, I (rédaction antérieure à la loi n° 2023-668) ; Cass. 3e civ., avis, 13 juin 2024, n° 24-70.002` },
      { version: 'loi 2023-668', effectiveFrom: REFORM_2023, params: { period: weeks(6) },
        basis: `${LOI_1989}, art. 24, I (rédaction loi n° 2023-668 du 27 juillet 2023)` },
    ],
  } satisfies Rule<{ period: Period }>,

  /** Minimum time between notifying the summons to the prefect and the hearing; picked by the summons date. */
  prefectNotice: {
    id: 'prefect_notice',
    versions: [
      { version: 'avant loi 2023-668', effectiveFrom: '1998-07-31', params: { period: months(2) },
        basis: `${LOI_1989}, art. 24, III (rédaction antérieure à la loi n° 2023-668 : deux mois avant l'audience)` },
      { version: 'loi 2023-668', effectiveFrom: REFORM_2023, params: { period: weeks(6) },
        basis: `${LOI_1989}, art. 24, III (rédaction loi n° 2023-668) ; Cass. 3e civ., avis, 6 nov. 2025, n° 25-70.018 (42 jours à rebours, sans prorogation)` },
    ],
  } satisfies Rule<{ period: Period }>,

  ccapexBeforeSummons: single('ccapex_before_summons', {
    version: 'loi 2014-366 (ALUR)', effectiveFrom: '2015-01-01', params: { period: months(2) },
    basis: `${LOI_1989}, art. 24, II (bailleurs personnes morales ; le signalement à la CAF vaut saisine de la CCAPEX)`,
  }),

  cafReport: single('caf_report', {
    version: 'décret 2016-748', effectiveFrom: '2016-09-01', params: { period: months(2) },
    basis: "Code de la construction et de l'habitation, livre VIII (aides personnelles au logement, impayé de dépense de logement) ; décret n° 2016-748 du 6 juin 2016",
  }),

  socialDiagnosis: single('social_diagnosis', {
    version: 'décret 2021-8', effectiveFrom: '2021-01-08', params: { interviewWorkingDays: 15, transmissionWorkingDays: 5 },
    basis: `Décret n° 2021-8 du 5 janvier 2021, art. 1 ; ${LOI_1989}, art. 24, III`,
  }),

  fullRentBeforeHearing: single('full_rent_before_hearing', {
    version: 'loi 2023-668', effectiveFrom: REFORM_2023, params: {},
    basis: `${LOI_1989}, art. 24, V (rédaction loi n° 2023-668)`,
  }),

  paymentDelays: single('payment_delays', {
    version: 'loi 2014-366 (ALUR)', effectiveFrom: '2014-03-27', params: { maxMonths: 36 },
    basis: `${LOI_1989}, art. 24, V (délais de paiement dans la limite de trois ans)`,
  }),

  appeal: single('appeal', {
    version: 'CPC', effectiveFrom: '1976-01-01', params: { judgment: months(1), interimOrder: days(15) },
    basis: 'Code de procédure civile, art. 538 (jugement : un mois), 490 (ordonnance de référé : quinze jours) et 642 (prorogation)',
  }),

  cohesionProtocol: single('cohesion_protocol', {
    version: 'loi 2005-32', effectiveFrom: '2005-01-20', params: { maxMonths: 24, maxExtensionMonths: 36, newLease: months(3) },
    basis: "Code de la construction et de l'habitation, art. L353-15-2 et L442-6-5",
  }),

  orderToLeave: single('order_to_leave', {
    version: 'CPCE', effectiveFrom: '2012-06-01', params: { period: months(2) },
    basis: "Code des procédures civiles d'exécution, art. L412-1",
  }),

  earliestEviction: single('earliest_eviction', {
    version: 'loi 2023-668', effectiveFrom: REFORM_2023, params: {},
    basis: "Code des procédures civiles d'exécution, art. L412-1 (commandement), L412-4 (délais de grâce) et L412-6 (trêve hivernale)",
  }),

  /** Bounds of the délais de grâce; picked by the date they were granted. */
  gracePeriod: {
    id: 'grace_period',
    versions: [
      { version: 'CPCE 2012', effectiveFrom: '2012-06-01', params: { minMonths: 3, maxMonths: 12 },
        basis: "Code des procédures civiles d'exécution, art. L412-3 et L412-4 (rédaction 2012)" },
      { version: 'loi 2014-366 (ALUR)', effectiveFrom: '2014-03-27', params: { minMonths: 3, maxMonths: 36 },
        basis: "Code des procédures civiles d'exécution, art. L412-3 et L412-4 (rédaction loi n° 2014-366)" },
      { version: 'loi 2023-668', effectiveFrom: REFORM_2023, params: { minMonths: 1, maxMonths: 12 },
        basis: "Code des procédures civiles d'exécution, art. L412-3 et L412-4 (rédaction loi n° 2023-668)" },
    ],
  } satisfies Rule<{ minMonths: number; maxMonths: number }>,

  /** Winter truce from 1 November to the end date (inclusive); picked by the date examined. */
  winterTruce: {
    id: 'winter_truce',
    versions: [
      { version: 'CPCE 2012', effectiveFrom: '2012-06-01', params: { endMonth: 3, endDay: 15 },
        basis: "Code des procédures civiles d'exécution, art. L412-6 (rédaction 2012 : jusqu'au 15 mars)" },
      { version: 'loi 2014-366 (ALUR)', effectiveFrom: '2014-03-27', params: { endMonth: 3, endDay: 31 },
        basis: "Code des procédures civiles d'exécution, art. L412-6" },
    ],
  } satisfies Rule<{ endMonth: number; endDay: number }>,

  policeAssistance: single('police_assistance', {
    version: 'CPCE', effectiveFrom: '2012-06-01', params: { decision: months(2) },
    basis: "Code des procédures civiles d'exécution, art. L153-1 et R153-1 ; CE, 18 déc. 2013, n° 363126 (demande prématurée)",
  }),
};
