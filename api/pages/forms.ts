import type { Request, Response } from 'express';
import { readCookie } from '../auth/middleware';
import { CSRF_FIELD } from '../auth/middleware';
import { AppError, ValidationError } from '../errors';

/**
 * Form plumbing shared by every page: read a urlencoded body, turn a ValidationError into the
 * govuk error summary + per-field messages, confirm a success with a flash after the redirect.
 */

/** The body of a urlencoded form, without the CSRF field; repeated fields keep their last value. */
export function formBody(req: Request): Record<string, string> {
  const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, unknown>;
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === CSRF_FIELD) continue;
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (typeof last === 'string') values[key] = last;
  }
  return values;
}

/** `''` → undefined, so that an empty optional field is absent (zod `.optional()`). */
export const optional = (value: string | undefined): string | undefined => (value === undefined || value.trim() === '' ? undefined : value.trim());

/**
 * A French amount typed by a person (« 1 650,50 », « 412.5 », « 412,50 € ») as a number; what
 * cannot be read stays a string, so the schema answers « doit être un nombre ».
 */
export function frenchNumber(value: string | undefined): number | string | undefined {
  const text = optional(value);
  if (text === undefined) return undefined;
  const normalised = text.replace(/[\s\u00a0\u202f€]/g, '').replace(',', '.');
  return /^-?\d+(\.\d+)?$/.test(normalised) ? Number(normalised) : text;
}

/**
 * The govuk date input's three fields (`<name>-day`, `-month`, `-year`) as `YYYY-MM-DD`, or
 * undefined when all are empty, or `invalid` (which the schema refuses) when they do not make a date.
 */
export function dateFromParts(values: Record<string, string>, name: string): string | undefined {
  const [d, m, y] = ['day', 'month', 'year'].map((part) => optional(values[`${name}-${part}`]));
  if (!d && !m && !y) return undefined;
  if (!d || !m || !y || !/^\d{1,2}$/.test(d) || !/^\d{1,2}$/.test(m) || !/^\d{4}$/.test(y)) return 'invalid';
  const iso = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === iso ? iso : 'invalid';
}

export interface FormErrors {
  /** For govukErrorSummary's errorList. */
  summary: { text: string; href: string }[];
  /** For each field's `errorMessage`, by the field's id (with govuk's hidden prefix in French). */
  fields: Record<string, { text: string; visuallyHiddenText: string }>;
}

export interface FieldSpec {
  /** What the summary names (« Loyer mensuel »). */
  label: string;
  /** The id of the input to focus (defaults to the field path with `.` → `-`). */
  id?: string;
  /** Replaces the schema's message (say, for a date input). */
  message?: string;
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * The API's ValidationError details (`{ field, message }`, field = the zod path) as the page's
 * errors: the summary says « Loyer mensuel : doit être supérieur à 0 » and links to the field,
 * the field shows the message beside it. Unknown fields go to the summary only.
 */
export function formErrors(error: ValidationError | AppError, fields: Record<string, FieldSpec> = {}): FormErrors {
  const details = Array.isArray(error.details) ? (error.details as { field: string; message: string }[]) : [];
  const result: FormErrors = { summary: [], fields: {} };
  if (!details.length) {
    result.summary.push({ text: error.message, href: '#main-content' });
    return result;
  }
  for (const detail of details) {
    const spec = fields[detail.field] ?? Object.entries(fields).find(([key]) => detail.field.startsWith(`${key}.`))?.[1];
    const id = spec?.id ?? detail.field.replace(/\./g, '-');
    const message = capitalise(spec?.message ?? detail.message);
    if (result.fields[id]) continue;
    result.fields[id] = { text: message, visuallyHiddenText: 'Erreur' };
    result.summary.push({ text: spec ? `${spec.label} : ${spec.message ?? detail.message}` : message, href: `#${id}` });
  }
  return result;
}

/** One error on one field (a refusal that belongs to a field, say a duplicate reference). */
export function fieldError(field: string, label: string, message: string): FormErrors {
  return { summary: [{ text: `${label} : ${message}`, href: `#${field}` }], fields: { [field]: { text: capitalise(message), visuallyHiddenText: 'Erreur' } } };
}

// Flash: the notice shown once after a Post/Redirect/Get. A short-lived cookie, read and cleared by
// the next page rendered; its content is escaped like any text.
const FLASH_COOKIE = 'april_flash';

export interface Flash {
  /** « success » (green banner) or « info ». */
  kind: 'success' | 'info';
  title: string;
  text: string;
}

export function flash(res: Response, message: Flash): void {
  res.cookie(FLASH_COOKIE, JSON.stringify(message), { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 60_000, secure: res.req.secure });
}

export function readFlash(req: Request, res: Response): Flash | undefined {
  const raw = readCookie(req.header('cookie'), FLASH_COOKIE);
  if (!raw) return undefined;
  res.clearCookie(FLASH_COOKIE, { path: '/' });
  try {
    const value = JSON.parse(raw) as Partial<Flash>;
    if (typeof value.title !== 'string' || typeof value.text !== 'string') return undefined;
    return { kind: value.kind === 'info' ? 'info' : 'success', title: value.title, text: value.text };
  } catch {
    return undefined;
  }
}

/** After a successful POST: 303 to the page that shows the result, with its notice. */
export function redirectWithNotice(res: Response, location: string, notice: Omit<Flash, 'kind'> & { kind?: Flash['kind'] }): void {
  flash(res, { kind: 'success', ...notice });
  res.redirect(303, location);
}

/** Only our own paths are followed after sign-in (no open redirect). */
export function safeReturnPath(value: unknown): string {
  return typeof value === 'string' && /^\/(?!\/)[^\\\s]*$/.test(value) && !value.startsWith('/api') ? value : '/';
}
