import { Router } from 'express';
import { signInBody } from '../../auth/schemas';
import type { Sessions } from '../../auth/sessions';
import { TooManyRequestsError, UnauthenticatedError, ValidationError } from '../../errors';
import { parseBody } from '../../validation';
import { formBody, formErrors, redirectWithNotice, safeReturnPath } from '../forms';
import { HOME_OF } from '../navigation';
import { render } from '../render';

const FIELDS = { email: { label: 'Adresse e-mail' }, password: { label: 'Mot de passe' } };

/** Sign-in and sign-out pages: the same sessions service (and rate limit) as `POST /api/session`. */
export function authPages(sessions: Sessions): Router {
  const router = Router();

  router.get('/connexion', (req, res) => {
    const retour = safeReturnPath(req.query.retour);
    if (req.principal) return res.redirect(303, retour === '/' ? HOME_OF[req.principal.role] : retour);
    render(req, res, 'auth/sign-in.njk', { values: {}, retour });
  });

  router.post('/connexion', async (req, res) => {
    const values = formBody(req);
    const retour = safeReturnPath(values.retour);
    try {
      const { email, password } = parseBody(signInBody, { email: values.email?.trim() ?? '', password: values.password ?? '' });
      const { user } = await sessions.signIn(req, res, email, password);
      res.redirect(303, retour === '/' ? HOME_OF[user.role] : retour);
    } catch (error) {
      // The password is never sent back into the form.
      const shown = { email: values.email };
      if (error instanceof ValidationError) return render(req, res, 'auth/sign-in.njk', { values: shown, retour, errors: formErrors(error, FIELDS) }, 400);
      if (error instanceof UnauthenticatedError || error instanceof TooManyRequestsError) {
        const errors = { summary: [{ text: error.message, href: '#email' }], fields: {} };
        return render(req, res, 'auth/sign-in.njk', { values: shown, retour, errors }, error.status);
      }
      throw error;
    }
  });

  router.post('/deconnexion', async (req, res) => {
    await sessions.signOut(req, res);
    redirectWithNotice(res, '/connexion', { kind: 'info', title: 'Information', text: 'Vous êtes déconnecté.' });
  });

  return router;
}
