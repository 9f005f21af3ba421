import type { ApiContext } from '../context';
import { defineRoute, TAGS, type Route } from '../http/route';
import { changePasswordBody, passwordResetBody, usePasswordLinkBody } from './schemas';

/**
 * Passwords over HTTP (api/accounts/service.ts): change mine, ask for a reset link, use a mailed
 * link. The pages (`/compte`, `/mot-de-passe-oublie`, `/mot-de-passe/:token`) use the same service.
 */
export function accountRoutes({ accounts }: Pick<ApiContext, 'accounts'>): Route[] {
  return [
    defineRoute({
      method: 'post', path: '/api/me/password', tag: TAGS.auth, access: 'account.manage', body: changePasswordBody,
      summary: 'Changer mon mot de passe (le mot de passe actuel est requis)',
      description: `Ferme toutes mes autres sessions (celle de la requête reste ouverte) ; les liens reçus par courriel ne servent plus. Au moins 12 caractères.`,
      responses: { 204: 'Mot de passe changé.', 429: 'Trop de mots de passe actuels erronés : réessayez plus tard (Retry-After).' },
    }, {
      async handle(req, res, { principal, body }) {
        const session = req.authentication?.kind === 'session' ? req.authentication.id : undefined;
        await accounts.changePassword(principal.id, session, body, req.id);
        res.status(204).end();
      },
    }),
    defineRoute({
      method: 'post', path: '/api/password-reset', tag: TAGS.auth, access: 'public', body: passwordResetBody,
      summary: 'Mot de passe oublié : recevoir un lien par courriel',
      description: 'La réponse est la même que l’adresse soit celle d’un compte ou non. Le lien envoyé est valable 1 heure et ne sert qu’une fois ; au plus 3 courriels par adresse et par heure.',
      responses: { 202: 'Demande reçue (même réponse pour une adresse inconnue).', 429: 'Trop de demandes depuis cette adresse : réessayez plus tard (Retry-After).' },
    }, {
      async handle(req, res, { body }) {
        res.status(202).json({ message: await accounts.requestReset(body.email, { ip: req.ip, requestId: req.id }) });
      },
    }),
    defineRoute({
      method: 'post', path: '/api/password-link', tag: TAGS.auth, access: 'public', body: usePasswordLinkBody,
      summary: 'Choisir son mot de passe avec le lien reçu par courriel (invitation ou mot de passe oublié)',
      description: 'Le jeton est la fin du lien (`/mot-de-passe/<jeton>`). Il ne sert qu’une fois ; toutes les sessions du compte sont fermées.',
      responses: { 204: 'Mot de passe enregistré : la personne peut se connecter.', 404: 'Lien inconnu, déjà utilisé, expiré ou remplacé.' },
    }, {
      async handle(req, res, { body }) {
        await accounts.usePasswordLink(body.token, body.password, { requestId: req.id });
        res.status(204).end();
      },
    }),
  ];
}
