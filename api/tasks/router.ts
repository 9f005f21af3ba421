import type { Request } from 'express';
import { z } from '../../lib/zod-fr';
import type { ApiContext } from '../context';
import { defineRoute, idempotencyKeyHeader, TAGS, type Route } from '../http/route';
import { assertJson } from '../validation';
import { COMPLETION_FORMS } from './completions';
import { listTasksQuery, taskIdParam } from './schemas';

/**
 * The task inbox: list (with views and filters), one task with its history, claim, release and
 * complete. Each route names its permission first (403 for a role that may not), then the task
 * must lie in the caller's scope (404 otherwise); ownership rules are in service.ts.
 */
const taskId = { id: { schema: taskIdParam, description: 'Identifiant de la tâche.' } };
const notFound = 'Tâche introuvable.';

/** The form of a task depends on its type: documented as the union of the forms, checked by the service. */
const taskCompletionForm = z.union(COMPLETION_FORMS).meta({ description: 'Le formulaire du type de la tâche (voir `form` dans GET /api/tasks/{id}).' });

const contextOf = (req: Request, key: string | undefined) => ({ requestId: req.id, ...(key !== undefined && { idempotencyKey: key }) });

export function tasksRoutes({ tasks }: Pick<ApiContext, 'tasks'>): Route[] {
  return [
    defineRoute({
      method: 'get', path: '/api/tasks', tag: TAGS.tasks, access: 'task.list', query: listTasksQuery, answers: { resource: 'task', listAt: 'tasks' },
      summary: 'Ma boîte de tâches : les miennes, celles de mon équipe, en retard',
      responses: { 200: 'Les tâches de mon périmètre, filtrées.' },
    }, {
      async handle(req, res, { principal, query }) {
        res.json(await tasks.list(query, principal, contextOf(req, undefined)));
      },
    }),
    defineRoute({
      method: 'get', path: '/api/tasks/:id', tag: TAGS.tasks, access: 'task.list', params: taskId, notFound, answers: { resource: 'task' },
      summary: 'Une tâche, son formulaire et son historique', responses: { 200: 'La tâche.' },
    }, {
      async handle(req, res, { principal, params }) {
        res.json(await tasks.get(params.id, principal, contextOf(req, undefined)));
      },
    }),
    defineRoute({
      method: 'post', path: '/api/tasks/:id/claim', tag: TAGS.tasks, access: 'task.claim', params: taskId, notFound, headers: idempotencyKeyHeader, answers: { resource: 'task' },
      summary: 'Prendre une tâche', responses: { 200: 'La tâche, à moi.', 409: 'Quelqu\'un d\'autre l\'a déjà prise, ou elle est terminée.' },
    }, {
      async handle(req, res, { principal, params, headers }) {
        res.json(await tasks.claim(params.id, principal, contextOf(req, headers['Idempotency-Key'])));
      },
    }),
    defineRoute({
      method: 'post', path: '/api/tasks/:id/unclaim', tag: TAGS.tasks, access: 'task.claim', params: taskId, notFound, headers: idempotencyKeyHeader, answers: { resource: 'task' },
      summary: 'Rendre une tâche à l\'équipe', responses: { 200: 'La tâche, de nouveau libre.', 409: 'La tâche n\'est pas à moi.' },
    }, {
      async handle(req, res, { principal, params, headers }) {
        res.json(await tasks.unclaim(params.id, principal, contextOf(req, headers['Idempotency-Key'])));
      },
    }),
    defineRoute({
      method: 'post', path: '/api/tasks/:id/complete', tag: TAGS.tasks, access: 'task.complete', params: taskId, notFound, headers: idempotencyKeyHeader, answers: { resource: 'taskCompletion' },
      body: taskCompletionForm,
      summary: 'Terminer une tâche avec son formulaire',
      description: 'Le processus du ménage reçoit la réponse ; s\'il la refuse, la raison revient à la personne (409) et la tâche reste ouverte.',
      responses: { 200: 'La tâche terminée et le nouvel état du ménage.', 409: 'Refusée : tâche prise par quelqu\'un d\'autre, déjà terminée, ou refusée par les règles du programme.' },
    }, {
      // The form is the task's type's: the service checks the body once it has read the task.
      bodyCheckedByHandler: true,
      async handle(req, res, { principal, params, headers }) {
        assertJson(req);
        res.json(await tasks.complete(params.id, req.body, principal, contextOf(req, headers['Idempotency-Key'])));
      },
    }),
  ];
}
