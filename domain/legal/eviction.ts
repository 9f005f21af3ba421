/**
 * After the lease is terminated: the commandement de quitter les lieux, délais de grâce, the winter
 * truce and the prefect's answer to a request for police assistance.
 */
import { addDays, addMonths, addPeriod, dateParts, isoDate, maxDate, type IsoDate, type Period } from './dates';
import { RULES, ruleAt } from './rules';

/** CPCE art. L412-6: no eviction from 1 November to 31 March inclusive (15 March before the ALUR law). */
export function isWinterTruce(date: IsoDate): boolean {
  const { month, day } = dateParts(date);
  const { endMonth, endDay } = ruleAt(RULES.winterTruce, date).params;
  const key = month * 100 + day;
  return key >= 1101 || key <= endMonth * 100 + endDay;
}

/** `date`, or the first day after the truce when `date` falls in it. */
export function afterWinterTruce(date: IsoDate): IsoDate {
  if (!isWinterTruce(date)) return date;
  const { year, month } = dateParts(date);
  const truceYear = month >= 11 ? year + 1 : year;
  const { endMonth, endDay } = ruleAt(RULES.winterTruce, isoDate(truceYear, 1, 1)).params;
  return addDays(isoDate(truceYear, endMonth, endDay), 1);
}

/** The délai of the commandement de quitter: two months unless the judge shortened it (0 = removed). */
export function orderToLeavePeriod(orderDate: IsoDate, judgeShortenedToDays?: number): Period {
  if (judgeShortenedToDays !== undefined) return { unit: 'days', count: judgeShortenedToDays };
  return ruleAt(RULES.orderToLeave, orderDate).params.period;
}

/** Last day of the commandement's délai, or undefined when the judge removed it. */
export function orderToLeaveExpiry(orderDate: IsoDate, judgeShortenedToDays?: number): IsoDate | undefined {
  const period = orderToLeavePeriod(orderDate, judgeShortenedToDays);
  return period.count === 0 ? undefined : addPeriod(orderDate, period);
}

/** First day the eviction may be carried out without breaching a délai (CPCE L412-1, L412-4) or the truce (L412-6). */
export function earliestEvictionDate(input: {
  orderToLeaveDate: IsoDate;
  judgeShortenedToDays?: number;
  /** Last day of the délais de grâce granted, if any. */
  gracePeriodEnd?: IsoDate;
}): IsoDate {
  const expiry = orderToLeaveExpiry(input.orderToLeaveDate, input.judgeShortenedToDays);
  let earliest = expiry === undefined ? input.orderToLeaveDate : addDays(expiry, 1);
  if (input.gracePeriodEnd !== undefined) earliest = maxDate(earliest, addDays(input.gracePeriodEnd, 1));
  return afterWinterTruce(earliest);
}

export type GracePeriodCheck =
  | { ok: true; end: IsoDate; basis: string; version: string; effectiveFrom: IsoDate }
  | { ok: false; minMonths: number; maxMonths: number };

/**
 * Délais de grâce must lie between the bounds in force when granted (1 month to 1 year since
 * 29 July 2023). Out-of-bounds months are refused, not clamped: clamping would show the household
 * a date no judge gave.
 */
export function checkGracePeriod(grantedOn: IsoDate, months: number): GracePeriodCheck {
  const rule = ruleAt(RULES.gracePeriod, grantedOn);
  const { minMonths, maxMonths } = rule.params;
  if (!Number.isInteger(months) || months < minMonths || months > maxMonths) return { ok: false, minMonths, maxMonths };
  return { ok: true, end: addMonths(grantedOn, months), basis: rule.basis, version: rule.version, effectiveFrom: rule.effectiveFrom };
}

/**
 * Police assistance cannot lawfully be granted before the commandement's délai has run, so a
 * request made earlier is premature. Unless the prefect rejects it expressly, the request counts
 * as lodged on the day the délai expires (CE 18 déc. 2013, n° 363126), and two months of silence
 * from then amount to a refusal (CPCE R153-1).
 */
export function policeAssistanceDecision(requestDate: IsoDate, orderToLeave?: { date: IsoDate; judgeShortenedToDays?: number }): {
  premature: boolean;
  decisionDue: IsoDate;
} {
  const expiry = orderToLeave && orderToLeaveExpiry(orderToLeave.date, orderToLeave.judgeShortenedToDays);
  const premature = expiry !== undefined && requestDate <= expiry;
  const lodgedOn = premature ? expiry : requestDate;
  return { premature, decisionDue: addPeriod(lodgedOn, ruleAt(RULES.policeAssistance, lodgedOn).params.decision) };
}
