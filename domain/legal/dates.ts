/**
 * Calendar-date arithmetic for legal deadlines. A legal délai counts whole calendar days, so
 * dates travel as 'YYYY-MM-DD' strings with no time and no zone; the arithmetic runs in UTC,
 * where every day is 24 hours long, so no daylight-saving change can shift a date.
 *
 * Conventions (code de procédure civile, art. 640-642):
 * - the day of the triggering act is not counted: N days from D expire at the end of D + N;
 * - a week is 7 days (Cass. 3e civ., avis, 6 nov. 2025, n° 25-70.018 counts "six semaines" as 42 days);
 * - N months from D expire on the day of the last month with the same day number as D, or on the
 *   last day of that month when it is shorter (31 December + 2 months = 28/29 February).
 * Nothing here reads the clock: "today" is always passed in.
 */
export type IsoDate = string;

export interface Period {
  unit: 'days' | 'weeks' | 'months';
  count: number;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

export function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one.
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // Date.UTC maps years 0-99 to the 1900s: keep to years where it is exact.
  return year >= 1900 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function parts(date: IsoDate): [number, number, number] {
  if (!isIsoDate(date)) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${String(date)}`);
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
}

const pad = (value: number, width: number) => String(value).padStart(width, '0');
const format = (year: number, month: number, day: number): IsoDate => `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;

/** Days since 1970-01-01. */
export function toDayNumber(date: IsoDate): number {
  const [year, month, day] = parts(date);
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

export function fromDayNumber(dayNumber: number): IsoDate {
  const d = new Date(dayNumber * DAY_MS);
  return format(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

export const addDays = (date: IsoDate, days: number): IsoDate => fromDayNumber(toDayNumber(date) + days);

/** Signed number of days from `from` to `to`. */
export const daysBetween = (from: IsoDate, to: IsoDate): number => toDayNumber(to) - toDayNumber(from);

/** 0 = Sunday … 6 = Saturday. */
export const dayOfWeek = (date: IsoDate): number => new Date(toDayNumber(date) * DAY_MS).getUTCDay();

/** Same day number `months` later (or earlier), clamped to the end of a shorter month. */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const [year, month, day] = parts(date);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = index - targetYear * 12 + 1;
  return format(targetYear, targetMonth, Math.min(day, daysInMonth(targetYear, targetMonth)));
}

/** The day a délai of `period` running from `date` expires (or, with direction -1, counted backwards). */
export function addPeriod(date: IsoDate, period: Period, direction: 1 | -1 = 1): IsoDate {
  const count = period.count * direction;
  if (period.unit === 'months') return addMonths(date, count);
  return addDays(date, period.unit === 'weeks' ? count * 7 : count);
}

// ISO dates sort as strings; these helpers say so once.
export const maxDate = (a: IsoDate, b: IsoDate): IsoDate => (a >= b ? a : b);

export function dateParts(date: IsoDate): { year: number; month: number; day: number } {
  const [year, month, day] = parts(date);
  return { year, month, day };
}

export { format as isoDate };

/** 'JJ/MM/AAAA', for French messages. */
export function formatFr(date: IsoDate): string {
  const [year, month, day] = parts(date);
  return `${pad(day, 2)}/${pad(month, 2)}/${pad(year, 4)}`;
}

export function describePeriod(period: Period): string {
  const units = { days: ['jour', 'jours'], weeks: ['semaine', 'semaines'], months: ['mois', 'mois'] } as const;
  const [one, many] = units[period.unit];
  return `${period.count} ${period.count > 1 ? many : one}`;
}
