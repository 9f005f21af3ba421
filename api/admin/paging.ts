import { ValidationError } from '../errors';

/**
 * Keyset paging for logs read newest first: the cursor is the (time, id) of the last row shown, so
 * rows appended while someone pages through never shift a page (an offset would repeat or skip).
 */
export interface Position {
  at: Date;
  id: string;
}

export function encodeCursor(position: Position): string {
  return Buffer.from(`${position.at.toISOString()}|${position.id}`).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): Position | undefined {
  if (cursor === undefined) return undefined;
  const [at = '', id = ''] = Buffer.from(cursor, 'base64url').toString().split('|');
  const date = new Date(at);
  if (Number.isNaN(date.getTime()) || !/^[0-9a-f-]{36}$/.test(id)) {
    throw new ValidationError([{ field: 'cursor', message: 'curseur invalide : reprenez la valeur « nextCursor » de la page précédente' }]);
  }
  return { at: date, id };
}

/** Prisma condition "strictly older than the cursor" on a (time, id) pair ordered descending. */
export function olderThan<K extends string>(field: K, position: Position | undefined) {
  if (!position) return {};
  return {
    OR: [
      { [field]: { lt: position.at } },
      { [field]: position.at, id: { lt: position.id } },
    ],
  };
}

/** One row more than asked tells whether a next page exists, without counting. */
export function page<T>(rows: T[], limit: number, positionOf: (row: T) => Position): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(positionOf(last)) : null };
}

/** A day given alone (AAAA-MM-JJ) as an upper bound means "until the end of that day" (UTC). */
export function parseInstant(value: string | undefined, bound: 'from' | 'to'): Date | undefined {
  if (value === undefined) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const day = new Date(`${value}T00:00:00.000Z`);
    return bound === 'to' ? new Date(day.getTime() + 24 * 60 * 60 * 1000) : day;
  }
  // Bounds are used as [from, to): an instant given as the upper bound is itself included.
  const instant = new Date(value);
  return bound === 'to' ? new Date(instant.getTime() + 1) : instant;
}
