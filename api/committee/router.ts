import { Router, type Request } from 'express';
import { allow } from '../access/guard';
import type { ApiContext } from '../context';
import { NotFoundError } from '../errors';
import { parseBody, requireJson } from '../validation';
import { renderMinutes } from './minutes';
import { createSessionBody, decisionsBody, sessionIdParam } from './schemas';

/**
 * Committee sessions (issue 5, item 4): the coordination opens a session, the committee reads its
 * agenda (households awaiting a decision, with the capacity), records decisions for several
 * households at once, and exports the minutes. Only the coordination and the committee's members.
 */
export function committeeRouter(ctx: ApiContext): Router {
  const router = Router();
  const sessions = ctx.committee;

  const sessionOf = async (req: Request) => {
    const id = sessionIdParam.safeParse(req.params.id);
    if (!id.success) throw new NotFoundError('Séance du comité introuvable.');
    return sessions.requireSession(id.data);
  };

  router.post('/', requireJson, async (req, res) => {
    const principal = allow(req, 'committee.manage');
    const { heldOn } = parseBody(createSessionBody, req.body);
    const session = await sessions.create(heldOn, { actor: principal.id, requestId: req.id });
    res.status(201).location(`/api/committee-sessions/${session.id}`).json({
      id: session.id,
      heldOn,
      createdById: session.createdById,
      createdAt: session.createdAt.toISOString(),
    });
  });

  router.get('/', async (req, res) => {
    allow(req, 'committee.read');
    res.json({ sessions: await sessions.list() });
  });

  router.get('/:id', async (req, res) => {
    const principal = allow(req, 'committee.read');
    const session = await sessionOf(req);
    res.json(await sessions.get(session.id, { actor: principal.id, requestId: req.id }));
  });

  router.post('/:id/decisions', requireJson, async (req, res) => {
    const principal = allow(req, 'committee.decide');
    const session = await sessionOf(req);
    const body = parseBody(decisionsBody, req.body);
    const results = await sessions.decide(session, body, principal, req.id);
    res.json({
      sessionId: session.id,
      recorded: results.filter((r) => r.status === 'recorded').length,
      refused: results.filter((r) => r.status !== 'recorded').length,
      results,
    });
  });

  router.get('/:id/minutes', async (req, res) => {
    const principal = allow(req, 'committee.read');
    const session = await sessionOf(req);
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
  });

  return router;
}
