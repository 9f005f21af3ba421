import type { Environment } from 'nunjucks';
import * as labels from '../../domain/labels';

/**
 * The template filters: dates, amounts and codes in French. Dates are shown in Paris time (the
 * programme's people are in Reims), whatever the server's zone.
 */
const ZONE = 'Europe/Paris';
const dateFormat = new Intl.DateTimeFormat('fr-FR', { timeZone: ZONE, day: 'numeric', month: 'long', year: 'numeric' });
const shortDateFormat = new Intl.DateTimeFormat('fr-FR', { timeZone: ZONE, day: '2-digit', month: '2-digit', year: 'numeric' });
const dateTimeFormat = new Intl.DateTimeFormat('fr-FR', { timeZone: ZONE, day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' });
const euroFormat = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });

/** A Date, an ISO instant or a calendar day `YYYY-MM-DD` (read as that day, not as UTC midnight shifted). */
function toDate(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value);
  const date = /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(`${text}T12:00:00Z`) : new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** « 3 février 2026 » */
export const frenchDate = (value: unknown): string => { const d = toDate(value); return d ? dateFormat.format(d) : ''; };
/** « 03/02/2026 » (tables on a phone) */
export const frenchShortDate = (value: unknown): string => { const d = toDate(value); return d ? shortDateFormat.format(d) : ''; };
/** « 3 février 2026 à 14:05 » */
export const frenchDateTime = (value: unknown): string => { const d = toDate(value); return d ? dateTimeFormat.format(d) : ''; };
/** « 1 650,00 € » from euros */
export const euros = (value: unknown): string => (typeof value === 'number' && Number.isFinite(value) ? euroFormat.format(value) : '');
/** « 1 650,00 € » from integer cents (the workflow's unit) */
export const cents = (value: unknown): string => (typeof value === 'number' ? euros(value / 100) : '');
/** ISO date `YYYY-MM-DD` of a date (for `<time datetime>`). */
export const isoDay = (value: unknown): string => toDate(value)?.toISOString().slice(0, 10) ?? '';

export function registerFilters(env: Environment): void {
  env.addFilter('date', frenchDate);
  env.addFilter('shortDate', frenchShortDate);
  env.addFilter('dateTime', frenchDateTime);
  env.addFilter('isoDay', isoDay);
  env.addFilter('euros', euros);
  env.addFilter('cents', cents);
  env.addFilter('phase', (code: string) => labels.label(labels.PHASE_LABELS, code));
  env.addFilter('track', (code: string) => labels.label(labels.TRACK_LABELS, code));
  env.addFilter('role', (code: string) => labels.label(labels.ROLE_LABELS, code));
  env.addFilter('outcome', (code: string) => labels.label(labels.OUTCOME_LABELS, code));
  env.addFilter('procedure', (code: string) => labels.label(labels.PROCEDURE_LABELS, code));
  env.addFilter('referralSource', (code: string) => labels.label(labels.REFERRAL_SOURCE_LABELS, code));
  env.addFilter('taskType', (code: string) => labels.label(labels.TASK_TYPE_LABELS, code));
  env.addFilter('taskStatus', (code: string) => labels.label(labels.TASK_STATUS_LABELS, code));
  env.addFilter('event', (code: string) => labels.label(labels.EVENT_LABELS, code));
  env.addFilter('deadline', (code: string) => labels.label(labels.DEADLINE_LABELS, code));
  env.addFilter('domain', (code: string) => labels.label(labels.SUPPORT_DOMAIN_LABELS, code));
  env.addFilter('supportStatus', (code: string) => labels.label(labels.SUPPORT_STATUS_LABELS, code));
  env.addFilter('scheme', (code: string) => labels.label(labels.SCHEME_LABELS, code));
  env.addFilter('partnerAnswer', (code: string) => labels.label(labels.PARTNER_ANSWER_LABELS, code));
  env.addFilter('answerObtained', (obtained: { by: string; listDate?: string | null }) => labels.answerObtainedLabel(obtained));
  env.addFilter('contactOutcome', (code: string) => labels.label(labels.CONTACT_OUTCOME_LABELS, code));
  env.addFilter('contactChannel', (code: string) => labels.label(labels.CONTACT_CHANNEL_LABELS, code));
  env.addFilter('timeSlot', (code: string) => labels.label(labels.TIME_SLOT_LABELS, code));
  /** `{{ items | options(LABELS, selected) }}` → govuk select/radios items. */
  env.addFilter('options', (codes: readonly string[], table: Record<string, string>, selected?: string) =>
    codes.map((code) => ({ value: code, text: labels.label(table, code), selected: code === selected, checked: code === selected })));
}
