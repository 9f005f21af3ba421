import { Router, type Request, type Response } from 'express';
import { choosePasswordForm, passwordResetBody } from '../../accounts/schemas';
import type { ApiContext } from '../../context';
import { NotFoundError } from '../../errors';
import { parseBody } from '../../validation';
import { redirectWithNotice } from '../forms';
import { postForm, type FormState } from '../page-form';
import { render } from '../render';

const CHOOSE_FIELDS = { password: { label: 'Nouveau mot de passe' }, confirmation: { label: 'Confirmez le mot de passe' } };

/**
 * The pages of one's password without being signed in (api/accounts/service.ts): « Mot de passe
 * oublié » (the same notice whatever the address) and the page a mailed link opens, to choose the
 * password (invitation or reset). The link's page is never cached and its token never logged
 * (the request log writes the route's pattern, api/http-hygiene.ts).
 */
export function passwordPages({ accounts }: ApiContext): Router {
  const router = Router();

  const showForgotten = (req: Request, res: Response, form: FormState, status = 200) =>
    render(req, res, 'auth/forgot-password.njk', { values: {}, ...form }, status);

  router.get('/mot-de-passe-oublie', (req, res) => showForgotten(req, res, {}));

  router.post('/mot-de-passe-oublie', postForm(showForgotten, async (req, res, values) => {
    const { email } = parseBody(passwordResetBody, { email: values.email?.trim() ?? '' });
    const answer = await accounts.requestReset(email, { ip: req.ip, requestId: req.id });
    redirectWithNotice(res, '/connexion', { kind: 'info', title: 'Demande reçue', text: answer });
  }, {
    fields: { email: { label: 'Adresse e-mail' } },
    refused: { statuses: [429], href: '#email' },
  }));

  const showChoose = async (req: Request, res: Response, form: FormState, status = 200) => {
    res.setHeader('Cache-Control', 'no-store');
    const token = String(req.params.token);
    const link = await accounts.describeLink(token);
    if (!link) {
      render(req, res, 'auth/link-invalid.njk', {}, 404);
      return;
    }
    render(req, res, 'auth/choose-password.njk', { link, token, values: {}, ...form }, status);
  };

  router.get('/mot-de-passe/:token', (req, res) => showChoose(req, res, {}));

  router.post('/mot-de-passe/:token', postForm(showChoose, async (req, res, values) => {
    res.setHeader('Cache-Control', 'no-store');
    const { password } = parseBody(choosePasswordForm, { password: values.password ?? '', confirmation: values.confirmation ?? '' });
    try {
      await accounts.usePasswordLink(String(req.params.token), password, { requestId: req.id });
    } catch (error) {
      // Used meanwhile (another tab) or expired while the person typed: the same page as a stale link.
      if (error instanceof NotFoundError) return render(req, res, 'auth/link-invalid.njk', {}, 404);
      throw error;
    }
    redirectWithNotice(res, '/connexion', {
      title: 'Mot de passe enregistré',
      text: 'Votre mot de passe est enregistré. Connectez-vous avec votre adresse e-mail et ce mot de passe.',
    });
  }, {
    fields: CHOOSE_FIELDS,
    // Passwords are never sent back into the page.
    keep: () => ({}),
  }));

  return router;
}
