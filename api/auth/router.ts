import { z } from '../../lib/zod-fr';
import { ROLE_LABELS } from '../../domain/labels';
import type { ApiContext } from '../context';
import { defineRoute, TAGS, type Route } from '../http/route';
import { createTokenBody, signInBody } from './schemas';

/**
 * Signing in and out, who I am, my personal access tokens. The sessions service and the tokens
 * service are the context's, shared with the sign-in and account pages: one rate limit whichever
 * door is knocked on (sessions.ts), one way to create a token (tokens.ts).
 */
export function authRoutes({ sessions, tokens }: Pick<ApiContext, 'sessions' | 'tokens'>): Route[] {
  return [
    defineRoute({
      method: 'post', path: '/api/session', tag: TAGS.auth, access: 'public', body: signInBody,
      summary: 'Se connecter (cookie de session et jeton CSRF)',
      description: 'Pose le cookie de session `april_session` (HttpOnly) et renvoie le jeton CSRF à joindre à toute requête non sûre (en-tête `X-CSRF-Token`).',
      responses: { 200: 'Connecté : la personne et le jeton CSRF.', 401: 'Adresse e-mail ou mot de passe incorrect (même réponse pour une adresse inconnue).', 429: 'Trop de tentatives : réessayez plus tard (Retry-After).' },
    }, {
      async handle(req, res, { body }) {
        res.json(await sessions.signIn(req, res, body.email, body.password));
      },
    }),
    defineRoute({
      method: 'delete', path: '/api/session', tag: TAGS.auth, access: 'public',
      summary: 'Se déconnecter', description: 'Avec le cookie de session, l\'en-tête `X-CSRF-Token` est requis.', responses: { 204: 'Session fermée.' },
    }, {
      async handle(req, res) {
        await sessions.signOut(req, res);
        res.status(204).end();
      },
    }),
    defineRoute({
      method: 'get', path: '/api/me', tag: TAGS.auth, access: 'account.manage', summary: 'Qui suis-je : rôle et périmètre', responses: { 200: 'La personne connectée.' },
    }, {
      handle(req, res, { principal }) {
        res.json({
          ...principal,
          roleLabel: ROLE_LABELS[principal.role],
          ...(req.authentication?.kind === 'session' && { csrfToken: req.authentication.csrfToken }),
        });
      },
    }),
    defineRoute({
      method: 'get', path: '/api/me/tokens', tag: TAGS.auth, access: 'account.manage', summary: 'Mes jetons d\'accès personnels (sans leur secret)', responses: { 200: 'Les jetons actifs.' },
    }, {
      async handle(_req, res, { principal }) {
        res.json({ tokens: await tokens.list(principal.id) });
      },
    }),
    defineRoute({
      method: 'post', path: '/api/me/tokens', tag: TAGS.auth, access: 'account.manage', body: createTokenBody,
      summary: 'Créer un jeton d\'accès personnel (pour une intégration)',
      responses: { 201: 'Le jeton, montré cette seule fois.' },
    }, {
      async handle(req, res, { principal, body }) {
        // The only time the token is shown: only its hash is kept.
        res.status(201).json(await tokens.create(principal.id, body.name, req.id));
      },
    }),
    defineRoute({
      method: 'delete', path: '/api/me/tokens/:tokenId', tag: TAGS.auth, access: 'account.manage',
      params: { tokenId: { schema: z.uuid(), description: 'Identifiant du jeton.' } }, notFound: 'Jeton introuvable.',
      summary: 'Révoquer un de mes jetons', responses: { 204: 'Révoqué.' },
    }, {
      async handle(req, res, { principal, params }) {
        await tokens.revoke(principal.id, params.tokenId, req.id);
        res.status(204).end();
      },
    }),
  ];
}
