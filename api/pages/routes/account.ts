import { Router } from 'express';
import type { Db } from '../../../lib/db';
import { allow } from '../../access/guard';
import { createTokenBody } from '../../auth/schemas';
import { tokenService } from '../../auth/tokens';
import { ValidationError } from '../../errors';
import { parseBody } from '../../validation';
import { formBody, formErrors, redirectWithNotice } from '../forms';
import { render } from '../render';

/** My account: personal API tokens (create — shown once —, list, revoke). */
export function accountPages(db: Db, clock: () => Date): Router {
  const router = Router();
  const tokens = tokenService(db, clock);

  const show = async (req: Parameters<typeof allow>[0], res: Parameters<typeof render>[1], extra: Record<string, unknown> = {}, status = 200) => {
    const principal = allow(req, 'account.manage');
    render(req, res, 'account/index.njk', { principal, tokens: await tokens.list(principal.id), values: {}, ...extra }, status);
  };

  router.get('/compte', (req, res) => show(req, res));

  router.post('/compte/jetons', async (req, res) => {
    const principal = allow(req, 'account.manage');
    const values = formBody(req);
    try {
      const { name } = parseBody(createTokenBody, { name: values.name ?? '' });
      const created = await tokens.create(principal.id, name, req.id);
      redirectWithNotice(res, '/compte', { title: 'Jeton créé', text: `Le jeton « ${created.name} » est créé.`, secret: created.token });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      await show(req, res, { values, errors: formErrors(error, { name: { label: 'Nom du jeton' } }) }, 400);
    }
  });

  router.post('/compte/jetons/:tokenId/revoquer', async (req, res) => {
    const principal = allow(req, 'account.manage');
    await tokens.revoke(principal.id, String(req.params.tokenId), req.id);
    redirectWithNotice(res, '/compte', { title: 'Jeton révoqué', text: 'Le jeton est révoqué : il ne permet plus d’accéder à APRIL.' });
  });

  return router;
}
