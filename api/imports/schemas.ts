import { requiredText, z } from '../../lib/zod-fr';

/** `POST /api/arrears-imports?fileName=…&landlordId=…`: the file itself is the body. */
export const createImportQuery = z.strictObject({
  fileName: requiredText(200)
    .regex(/^[^\\/\u0000-\u001f]+$/, 'nom de fichier sans chemin ni caractère de contrôle').optional(),
  landlordId: z.uuid({ error: 'identifiant de bailleur attendu (UUID)' }).optional(),
});

export const importIdParam = z.uuid();

/** `GET /api/arrears-imports/:id/errors?page=2` (JSON) or `?format=csv` (every line, to download). */
export const importErrorsQuery = z.strictObject({
  page: z.coerce.number({ error: 'numéro de page attendu' }).int('numéro de page entier attendu').min(1, 'au moins 1').max(100_000, 'au plus 100 000').optional(),
  format: z.enum(['json', 'csv'], { error: '« json » ou « csv »' }).optional(),
});
