import { randomUUID } from 'node:crypto';
import { z } from '../../../lib/zod-fr';
import { Router, type Request, type Response } from 'express';
import { allow } from '../../access/guard';
import { changePasswordForm } from '../../accounts/schemas';
import { createTokenBody } from '../../auth/schemas';
import type { ApiContext } from '../../context';
import { parseBody } from '../../validation';
import { redirectWithNotice } from '../forms';
import { postForm, type FormState } from '../page-form';
import { render } from '../render';

const PASSWORD_FIELDS = {
  currentPassword: { label: 'Mot de passe actuel' },
  newPassword: { label: 'Nouveau mot de passe' },
  confirmation: { label: 'Confirmez le nouveau mot de passe' },
};

/** My account: my password (changed with the current one), personal API tokens (create — shown once —, list, revoke). */
export function accountPages({ tokens, accounts }: ApiContext): Router {
  const router = Router();

  const show = async (req: Request, res: Response, form: FormState & { created?: { name: string; secret: string } } = {}, status = 200) => {
    const principal = allow(req, 'account.manage');
    // A fresh one-time id for the token form at each display (see the POST below).
    render(req, res, 'account/index.njk', { principal, tokens: await tokens.list(principal.id), values: {}, tokenFormId: randomUUID(), ...form }, status);
  };

  router.get('/compte', (req, res) => show(req, res));

  // The new token's secret is shown in the answer to this POST itself (200, no-store), never in
  // a cookie nor a redirect: it is gone once the page is left or reloaded by a GET. The form posts
  // to /compte, so the address bar stays on the account page.
  router.post('/compte', postForm(show, async (req, res, values) => {
    const principal = allow(req, 'account.manage');
    const { name } = parseBody(createTokenBody, { name: values.name ?? '' });
    // The form's one-time id becomes the token's: posting the same form again (a reload) makes no second token.
    const formId = z.uuid().safeParse(values.formId);
    const created = await tokens.create(principal.id, name, req.id, formId.success ? formId.data : undefined);
    await show(req, res, { created: { name: created.name, secret: created.token } });
  }, { fields: { name: { label: 'Nom du jeton' } }, refused: { statuses: [409], href: '#name' } }));

  // Changing one's password ends one's other sessions (this one stays open).
  router.post('/compte/mot-de-passe', postForm(show, async (req, res, values) => {
    const principal = allow(req, 'account.manage');
    const body = parseBody(changePasswordForm, {
      currentPassword: values.currentPassword ?? '', newPassword: values.newPassword ?? '', confirmation: values.confirmation ?? '',
    });
    const session = req.authentication?.kind === 'session' ? req.authentication.id : undefined;
    await accounts.changePassword(principal.id, session, body, req.id);
    redirectWithNotice(res, '/compte', { title: 'Mot de passe changé', text: 'Votre mot de passe est changé ; vos autres sessions ouvertes sont fermées.' });
  }, {
    fields: PASSWORD_FIELDS,
    refused: { statuses: [429], field: 'currentPassword', label: PASSWORD_FIELDS.currentPassword.label },
    // Passwords are never sent back into the page.
    keep: () => ({}),
  }));

  router.post('/compte/jetons/:tokenId/revoquer', async (req, res) => {
    const principal = allow(req, 'account.manage');
    await tokens.revoke(principal.id, String(req.params.tokenId), req.id);
    redirectWithNotice(res, '/compte', { title: 'Jeton révoqué', text: 'Le jeton est révoqué : il ne permet plus d’accéder à APRIL.' });
  });

  return router;
}
