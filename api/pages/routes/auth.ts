import { Router, type Request, type Response } from 'express';
import { signInBody } from '../../auth/schemas';
import type { ApiContext } from '../../context';
import { parseBody } from '../../validation';
import { redirectWithNotice, safeReturnPath } from '../forms';
import { HOME_OF } from '../navigation';
import { postForm, type FormState } from '../page-form';
import { render } from '../render';

const FIELDS = { email: { label: 'Adresse e-mail' }, password: { label: 'Mot de passe' } };

/** Sign-in and sign-out pages: the same sessions service (and rate limit) as `POST /api/session`. */
export function authPages({ sessions }: ApiContext): Router {
  const router = Router();

  const show = (req: Request, res: Response, form: FormState, status = 200) => {
    const retour = safeReturnPath(form.values?.retour ?? req.query.retour);
    render(req, res, 'auth/sign-in.njk', { values: {}, ...form, retour }, status);
  };

  router.get('/connexion', (req, res) => {
    const retour = safeReturnPath(req.query.retour);
    if (req.principal) return res.redirect(303, retour === '/' ? HOME_OF[req.principal.role] : retour);
    show(req, res, {});
  });

  router.post('/connexion', postForm(show, async (req, res, values) => {
    const retour = safeReturnPath(values.retour);
    const { email, password } = parseBody(signInBody, { email: values.email?.trim() ?? '', password: values.password ?? '' });
    const { user } = await sessions.signIn(req, res, email, password);
    res.redirect(303, retour === '/' ? HOME_OF[user.role] : retour);
  }, {
    fields: FIELDS,
    // Wrong password, too many attempts: said above the form. The password is never sent back.
    refused: { statuses: [401, 429], href: '#email' },
    keep: (values) => ({ email: values.email ?? '', retour: values.retour ?? '' }),
  }));

  router.post('/deconnexion', async (req, res) => {
    await sessions.signOut(req, res);
    redirectWithNotice(res, '/connexion', { kind: 'info', title: 'Information', text: 'Vous êtes déconnecté.' });
  });

  return router;
}
