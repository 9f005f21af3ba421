import { PASSWORD_MIN_LENGTH } from '../../lib/passwords';
import { z } from '../../lib/zod-fr';

/** A new password: the rule people are told (lib/passwords.ts), nothing more. */
export const newPassword = z.string({ error: 'mot de passe attendu' })
  .min(PASSWORD_MIN_LENGTH, `au moins ${PASSWORD_MIN_LENGTH} caractères`)
  .max(1024, 'au plus 1024 caractères');

/** A one-time link's token, as mailed (`l_` and 43 base64url characters). */
export const linkToken = z.string({ error: 'lien attendu' }).regex(/^l_[\w-]{43}$/, 'lien invalide');

export const changePasswordBody = z.strictObject({
  currentPassword: z.string({ error: 'mot de passe actuel attendu' }).min(1, 'mot de passe actuel attendu').max(1024, 'au plus 1024 caractères'),
  newPassword,
});

export const passwordResetBody = z.strictObject({
  email: z.email({ error: 'adresse e-mail invalide' }).max(254, 'au plus 254 caractères'),
});

export const usePasswordLinkBody = z.strictObject({
  token: linkToken,
  password: newPassword,
});

/** The pages ask the new password twice (a typo would lock the person out). */
export const choosePasswordForm = z.strictObject({
  password: newPassword,
  confirmation: z.string(),
}).refine((form) => form.password === form.confirmation, { path: ['confirmation'], message: 'les deux mots de passe ne sont pas identiques' });

export const changePasswordForm = z.strictObject({
  currentPassword: changePasswordBody.shape.currentPassword,
  newPassword,
  confirmation: z.string(),
}).refine((form) => form.newPassword === form.confirmation, { path: ['confirmation'], message: 'les deux mots de passe ne sont pas identiques' });
