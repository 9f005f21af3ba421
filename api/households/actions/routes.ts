import type { Request } from 'express';
import { requireHouseholdInScope } from '../../access/guard';
import { caseFileViewFor } from '../../access/permissions';
import type { Principal } from '../../auth/principal';
import type { ApiContext } from '../../context';
import { defineRoute, idempotencyKeyHeader, TAGS, type Route } from '../../http/route';
import { householdIdParam } from '../schemas';
import { HOUSEHOLD_ACTIONS, runAction, type HouseholdAction } from '.';
import type { ActionOutcome } from './action';

/**
 * The JSON route of each household action, generated from the table: POST
 * /api/households/:id/<route>. Role (403), then scope (404), then the body (400); an Update answers
 * the new state (or 409 with the rules' refusal), a Signal answers 202.
 */
export const householdIdParams = { id: { schema: householdIdParam, description: 'Identifiant du ménage.' } };

const UPDATE_RESPONSES = {
  200: 'Nouvel état du ménage (phase, suivi, actions acceptées…).',
  409: 'Refusée par les règles du programme (code et raison en français) ; rien n\'a changé.',
  504: 'Le processus n\'a pas répondu à temps : l\'action est en attente ; renvoyez-la avec la même Idempotency-Key.',
};
const SIGNAL_RESPONSES = { 202: 'Accepté ; le processus du ménage le prend en compte.' };

export const inScope = (ctx: ApiContext) => async (_req: Request, { principal, params }: { principal: { id: string } & Parameters<typeof requireHouseholdInScope>[1]; params: { id: string } }) =>
  requireHouseholdInScope(ctx, principal, params.id);

/**
 * An Update's answer, as the role may read the case file: the whole new view for the association's
 * team; for a landlord or a partner only the phase and what may be done next (their case file view
 * is limited, so is the answer to what they do).
 */
function answerFor(role: Principal['role'], view: NonNullable<ActionOutcome['state']>) {
  return caseFileViewFor(role) === 'full' ? view : { phase: view.state.phase, acceptedCommands: view.acceptedCommands };
}

function actionRoute(ctx: ApiContext, action: HouseholdAction): Route {
  const signal = action.message.kind === 'signal';
  return defineRoute({
    method: 'post', path: `/api/households/:id/${action.route}`, tag: signal ? TAGS.feeds : TAGS.householdActions,
    summary: action.title, ...(action.description && { description: action.description }),
    access: action.permission, params: householdIdParams, notFound: 'Ménage introuvable.', headers: idempotencyKeyHeader,
    body: action.body, responses: signal ? SIGNAL_RESPONSES : UPDATE_RESPONSES,
    ...(!signal && { answers: { resource: 'actionAnswer' as const } }),
  }, {
    before: inScope(ctx),
    async handle(req, res, { principal, params, headers, body }) {
      const key = headers['Idempotency-Key'];
      const env = {
        householdId: params.id, principal, process: ctx.process,
        ctx: { actor: principal.id, role: principal.role, requestId: req.id, ...(key && { idempotencyKey: key }) },
      };
      const outcome = await runAction(action, body as Record<string, unknown>, env);
      if (signal) res.status(202).json({ accepted: true });
      else res.json(answerFor(principal.role, outcome.state!));
    },
  });
}

export const householdActionRoutes = (ctx: ApiContext): Route[] => HOUSEHOLD_ACTIONS.map((action) => actionRoute(ctx, action));
