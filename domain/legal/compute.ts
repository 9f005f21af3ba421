/** Runs every rule step over a household's procedure and says which deadlines need a warning. */
import { daysBetween, isIsoDate, type IsoDate } from './dates';
import { Context } from './context';
import { appeal, cohesionProtocol, eviction, paymentDelays } from './post-trial';
import { cafReport, earliestSummons, fullRentBeforeHearing, paymentOrder, prefectNotice, socialDiagnosis } from './pre-trial';
import type { LegalDeadline, LegalDeadlineInput, LegalDeadlineReport, LegalInputError } from './types';
import { validateEvents } from './validate';

/** Checks an optional date of the input; an invalid one is reported and treated as unknown. */
function optionalDate(value: IsoDate | undefined, name: string, errors: LegalInputError[]): IsoDate | undefined {
  if (value === undefined || isIsoDate(value)) return value;
  errors.push({ code: 'invalid_date', message: `${name} invalide : ${String(value)} (format attendu AAAA-MM-JJ).` });
  return undefined;
}

/**
 * The legal deadlines of the eviction procedure for one household, sorted by date, with the
 * irregularities worth a lawyer's look (`flags`) and the inputs refused (`errors`).
 * `today` is a required input (never read from a clock) so that workflow code stays deterministic;
 * a malformed `today` is a programming error and throws.
 */
export function computeLegalDeadlines(input: LegalDeadlineInput): LegalDeadlineReport {
  if (!isIsoDate(input.today)) throw new RangeError(`today must be a calendar date (YYYY-MM-DD): ${String(input.today)}`);
  const { valid, errors } = validateEvents(input.events);
  const leaseStartDate = optionalDate(input.leaseStartDate, 'Date du bail', errors);
  const arrearsConstitutedOn = optionalDate(input.arrearsConstitutedOn, "Date de constitution de l'impayé", errors);
  const c = new Context(input, valid, errors);

  cafReport(c, arrearsConstitutedOn);
  earliestSummons(c);
  paymentOrder(c, leaseStartDate);
  prefectNotice(c);
  socialDiagnosis(c);
  fullRentBeforeHearing(c);
  paymentDelays(c);
  appeal(c);
  cohesionProtocol(c);
  eviction(c);

  const deadlines = [...c.deadlines].sort((a, b) => (a.dueDate === b.dueDate ? 0 : a.dueDate < b.dueDate ? -1 : 1));
  return { deadlines, flags: c.flags, errors };
}

/**
 * The deadlines to warn about on `today`: those falling within the next `leadDays` days, today
 * included. Passed deadlines are not warned about (the procedure page still shows them).
 */
export function warningsDue(deadlines: readonly LegalDeadline[], today: IsoDate, leadDays: number): LegalDeadline[] {
  if (!Number.isInteger(leadDays) || leadDays < 0) throw new RangeError(`leadDays must be a non-negative integer: ${leadDays}`);
  return deadlines.filter((deadline) => {
    const left = daysBetween(today, deadline.dueDate);
    return left >= 0 && left <= leadDays;
  });
}
