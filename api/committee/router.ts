import type { Request } from 'express';
import type { ApiContext } from '../context';
import { defineRoute, TAGS, type Route } from '../http/route';
import { renderMinutes } from './minutes';
import { createSessionBody, decisionsBody, sessionIdParam } from './schemas';

/**
 * Committee sessions (issue 5, item 4): the coordination opens a session, the committee reads its
 * agenda (households awaiting a decision, with the capacity), records decisions for several
 * households at once, and exports the minutes. Only the coordination and the committee's members.
 */
const sessionId = { id: { schema: sessionIdParam, description: 'Identifiant de la séance du comité.' } };
const notFound = 'Séance du comité introuvable.';

export function committeeRoutes(ctx: ApiContext): Route[] {
  const sessions = ctx.committee;
  type Session = Awaited<ReturnType<typeof sessions.requireSession>>;
  // The session found by `before` (unknown: 404 before the body is read), for the handler.
  const found = new WeakMap<Request, Session>();
  const requireSession = async (req: Request, { params }: { params: { id: string } }) => {
    found.set(req, await sessions.requireSession(params.id));
  };
  const sessionOf = (req: Request) => found.get(req)!;

  return [
    defineRoute({
      method: 'post', path: '/api/committee-sessions', tag: TAGS.committee, access: 'committee.manage', body: createSessionBody,
      summary: 'Ouvrir une séance du comité', responses: { 201: 'La séance (en-tête Location).' },
    }, {
      async handle(req, res, { principal, body: { heldOn } }) {
        const session = await sessions.create(heldOn, { actor: principal.id, requestId: req.id });
        res.status(201).location(`/api/committee-sessions/${session.id}`).json({
          id: session.id,
          heldOn,
          createdById: session.createdById,
          createdAt: session.createdAt.toISOString(),
        });
      },
    }),
    defineRoute({
      method: 'get', path: '/api/committee-sessions', tag: TAGS.committee, access: 'committee.read', summary: 'Lister les séances du comité', responses: { 200: 'Les séances.' },
    }, {
      async handle(_req, res) {
        res.json({ sessions: await sessions.list() });
      },
    }),
    defineRoute({
      method: 'get', path: '/api/committee-sessions/:id', tag: TAGS.committee, access: 'committee.read', params: sessionId, notFound,
      summary: 'Une séance et son ordre du jour (ménages en attente, réponses des partenaires, capacités)',
      description: 'La lecture de l\'ordre du jour est inscrite au journal d\'audit pour chaque ménage.',
      responses: { 200: 'La séance, son ordre du jour et ses décisions.' },
    }, {
      before: requireSession,
      async handle(req, res, { principal }) {
        res.json(await sessions.get(sessionOf(req).id, { actor: principal.id, requestId: req.id }));
      },
    }),
    defineRoute({
      method: 'post', path: '/api/committee-sessions/:id/decisions', tag: TAGS.committee, access: 'committee.decide', params: sessionId, notFound, body: decisionsBody,
      summary: 'Enregistrer les décisions de plusieurs ménages en une fois',
      description: 'Chaque décision est appliquée séparément : le résultat dit, ménage par ménage, si elle est enregistrée ou refusée (et pourquoi).',
      responses: { 200: 'Le résultat de chaque décision.' },
    }, {
      before: requireSession,
      async handle(req, res, { principal, body }) {
        const session = sessionOf(req);
        const results = await sessions.decide(session, body, principal, req.id);
        res.json({
          sessionId: session.id,
          recorded: results.filter((r) => r.status === 'recorded').length,
          refused: results.filter((r) => r.status !== 'recorded').length,
          results,
        });
      },
    }),
    defineRoute({
      method: 'get', path: '/api/committee-sessions/:id/minutes', tag: TAGS.committee, access: 'committee.read', params: sessionId, notFound,
      summary: 'Procès-verbal de la séance (document à imprimer)', responses: { 200: { description: 'Document HTML en pièce jointe.', contentType: 'text/html' } },
    }, {
      before: requireSession,
      async handle(req, res, { principal }) {
        const session = sessionOf(req);
        const heldOn = session.heldOn.toISOString().slice(0, 10);
        const { decisions, capacity } = await sessions.minutes(session, { actor: principal.id, requestId: req.id }, 'committee_minutes');
        const html = renderMinutes({
          heldOn,
          generatedAt: ctx.clock(),
          decisions,
          capacity,
          perLandlordTarget: ctx.policy.capacity.perLandlord,
          totalTarget: ctx.policy.capacity.total,
        });
        res
          .status(200)
          .type('text/html; charset=utf-8')
          .setHeader('Content-Disposition', `attachment; filename="proces-verbal-comite-${heldOn}.html"`)
          // Inline styles only, nothing else: the page must print on its own, offline.
          .setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
          .setHeader('Cache-Control', 'no-store')
          .send(html);
      },
    }),
  ];
}
