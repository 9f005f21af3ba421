import { requiredText, z } from '../../lib/zod-fr';

export const signInBody = z.strictObject({
  email: z.email({ error: 'adresse e-mail invalide' }).max(254),
  password: z.string({ error: 'mot de passe attendu' }).min(1, 'mot de passe attendu').max(1024, 'au plus 1024 caractères'),
});

export const createTokenBody = z.strictObject({
  name: requiredText(100),
});
