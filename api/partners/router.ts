import type { Request } from 'express';
import type { ApiContext } from '../context';
import { defineRoute, TAGS, type Route } from '../http/route';
import { checkAnswerBody, taskIdParam } from './schemas';

/**
 * Partner checks (issue 5, item 5): each partner organisation lists the checks addressed to it and
 * answers "not known" or "followed by" with its referent's contact. The page a partner reaches from
 * the request mail reads GET /api/partner-checks/:taskId.
 */
const checkId = { taskId: { schema: taskIdParam, description: 'Identifiant de la vérification (la tâche du partenaire).' } };
const notFound = 'Vérification introuvable.';

export function partnersRoutes({ partnerChecks: checks }: Pick<ApiContext, 'partnerChecks'>): Route[] {
  type Check = Awaited<ReturnType<typeof checks.requireCheck>>;
  // The check found by `before`, for the handler.
  const found = new WeakMap<Request, Check>();

  return [
    defineRoute({
      method: 'get', path: '/api/partner-checks', tag: TAGS.partnerChecks, access: 'partnerCheck.list', answers: { resource: 'partnerCheck', listAt: 'checks' },
      summary: 'Les vérifications adressées à mon organisation : à répondre, puis celles répondues encore modifiables (délai de correction)', responses: { 200: 'Les vérifications, avec ma réponse et sa date limite de correction pour celles déjà répondues.' },
    }, {
      async handle(req, res, { principal }) {
        res.json({ checks: await checks.listPending(principal, req.id) });
      },
    }),
    defineRoute({
      method: 'get', path: '/api/partner-checks/:taskId', tag: TAGS.partnerChecks, access: 'partnerCheck.list', params: checkId, notFound, answers: { resource: 'partnerCheck' },
      summary: 'Une vérification : le strict nécessaire pour reconnaître le ménage', responses: { 200: 'La vérification.' },
    }, {
      async handle(req, res, { principal, params }) {
        res.json(await checks.get(params.taskId, principal, req.id));
      },
    }),
    defineRoute({
      method: 'post', path: '/api/partner-checks/:taskId/answer', tag: TAGS.partnerChecks, access: 'partnerCheck.answer', params: checkId, notFound, body: checkAnswerBody, answers: { resource: 'partnerCheckAnswer' },
      summary: 'Répondre : ménage inconnu, ou déjà suivi (avec le référent)',
      description: 'Quand le ménage est déjà suivi, le référent reçoit un mail d\'alerte.',
      responses: { 200: 'Réponse enregistrée.', 409: 'Déjà répondu, ou refusée par les règles du programme.' },
    }, {
      // Scope before body: another organisation's check is 404 whatever is sent.
      async before(req, { principal, params }) {
        found.set(req, await checks.requireCheck(params.taskId, principal));
      },
      async handle(req, res, { principal, body }) {
        res.json(await checks.answer(found.get(req)!, body, principal, req.id));
      },
    }),
  ];
}
