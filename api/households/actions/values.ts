import { requiredText, z } from '../../../lib/zod-fr';

/** The pieces the actions' bodies are made of (one wording for each kind of value). */
export const id = z.uuid({ error: 'identifiant attendu (UUID)' });

export const note = () => requiredText(2000).optional();
export const reason = () => requiredText(2000);
export const sessionRef = () => requiredText(64);

/** Euros as typed (at most two decimals); the workflow counts in cents (`cents`). */
export const euros = (label: string) =>
  z.number({ error: `${label} doit être un nombre (en euros)` }).finite().min(0, `${label} doit être positif ou nul`)
    .max(1_000_000, `${label} dépasse 1 000 000 €`)
    .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, `${label} a au plus deux décimales`);
export const cents = (amount: number) => Math.round(amount * 100);

export const isoDay = z.iso.date({ error: 'date attendue au format AAAA-MM-JJ' });
/** A day as the workflow's instant: midnight UTC, so that every process reads the same day. */
export const instantOf = (day: string) => `${day}T00:00:00.000Z`;

export const months = (max: number) => z.number().int('nombre entier de mois attendu').min(0).max(max, `au plus ${max} mois`);

export const phone = z.string().regex(/^\+?[0-9 .-]{6,20}$/, 'numéro de téléphone invalide').trim();
export const email = z.email({ error: 'adresse e-mail invalide' });

/** Codes for a radios or select field, with their French words. */
export const choices = (codes: readonly string[], labels: Readonly<Record<string, string>>) => ({ codes, labels });

/** The note every action may carry, as a form field. */
export const noteField = (label: string, hint = 'Versée au dossier du ménage, lisible par l’équipe.') =>
  ({ kind: 'textarea', name: 'note', label, hint, optional: true, maxLength: 2000 }) as const;
