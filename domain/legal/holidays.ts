/**
 * French public holidays (metropolitan France, Code du travail art. L3133-1) and working days.
 * Reims is in the Marne, so the Alsace-Moselle extras (Good Friday, 26 December) do not apply.
 * "Jours ouvrés" in the DSF decree are taken as Monday to Friday, public holidays excluded.
 */
import { addDays, dateParts, dayOfWeek, isoDate, type IsoDate } from './dates';

export interface PublicHoliday {
  date: IsoDate;
  name: string;
}

/** Easter Sunday in the Gregorian calendar (anonymous algorithm, Meeus/Jones/Butcher). */
export function easterSunday(year: number): IsoDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return isoDate(year, month, day);
}

export function frenchPublicHolidays(year: number): PublicHoliday[] {
  const easter = easterSunday(year);
  const fixed = (month: number, day: number, name: string) => ({ date: isoDate(year, month, day), name });
  return [
    fixed(1, 1, "Jour de l'an"),
    { date: addDays(easter, 1), name: 'Lundi de Pâques' },
    fixed(5, 1, 'Fête du travail'),
    fixed(5, 8, 'Victoire 1945'),
    { date: addDays(easter, 39), name: 'Ascension' },
    // Whit Monday stays a public holiday even where it is worked as the "journée de solidarité".
    { date: addDays(easter, 50), name: 'Lundi de Pentecôte' },
    fixed(7, 14, 'Fête nationale'),
    fixed(8, 15, 'Assomption'),
    fixed(11, 1, 'Toussaint'),
    fixed(11, 11, 'Armistice 1918'),
    fixed(12, 25, 'Noël'),
  ].sort((x, y) => (x.date < y.date ? -1 : 1));
}

export function isPublicHoliday(date: IsoDate): boolean {
  return frenchPublicHolidays(dateParts(date).year).some((holiday) => holiday.date === date);
}

export function isWorkingDay(date: IsoDate): boolean {
  const weekday = dayOfWeek(date);
  return weekday !== 0 && weekday !== 6 && !isPublicHoliday(date);
}

/** The `count`-th working day after `date` (before it when `count` is negative); `date` itself is not counted. */
export function addWorkingDays(date: IsoDate, count: number): IsoDate {
  const step = count < 0 ? -1 : 1;
  let current = date;
  for (let left = Math.abs(count); left > 0; ) {
    current = addDays(current, step);
    if (isWorkingDay(current)) left -= 1;
  }
  return current;
}

/** Working days in the interval (from, to]: `from` itself is not counted, `to` is. */
export function workingDaysBetween(from: IsoDate, to: IsoDate): number {
  let count = 0;
  for (let current = addDays(from, 1); current <= to; current = addDays(current, 1)) {
    if (isWorkingDay(current)) count += 1;
  }
  return count;
}

/** CPC art. 642: a délai ending on a Saturday, Sunday or public holiday runs to the next working day. */
export function nextWorkingDayOnOrAfter(date: IsoDate): IsoDate {
  let current = date;
  while (!isWorkingDay(current)) current = addDays(current, 1);
  return current;
}
