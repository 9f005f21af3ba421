import { Router } from 'express';
import { allow } from '../access/guard';
import { parseBody, requireJson } from '../validation';
import { createTokenBody, signInBody } from './schemas';
import { createSessions, type SessionOptions, type Sessions } from './sessions';
import { tokenService } from './tokens';
import { ROLE_LABELS } from '../../domain/labels';

export interface AuthRouterOptions extends SessionOptions {
  /** The sessions service, when the pages share it (else one of its own). */
  sessions?: Sessions;
}

export function authRouter(options: AuthRouterOptions): Router {
  const { db, clock } = options;
  // Shared with the sign-in page: one rate limit whichever door is knocked on.
  const sessions = options.sessions ?? createSessions(options);
  const router = Router();

  router.post('/session', requireJson, async (req, res) => {
    const { email, password } = parseBody(signInBody, req.body);
    res.json(await sessions.signIn(req, res, email, password));
  });

  router.delete('/session', async (req, res) => {
    await sessions.signOut(req, res);
    res.status(204).end();
  });

  router.get('/me', (req, res) => {
    const principal = allow(req, 'account.manage');
    res.json({
      ...principal,
      roleLabel: ROLE_LABELS[principal.role],
      ...(req.authentication?.kind === 'session' && { csrfToken: req.authentication.csrfToken }),
    });
  });

  // The account page calls the same service (tokens.ts).
  const tokens = tokenService(db, clock);

  router.get('/me/tokens', async (req, res) => {
    const principal = allow(req, 'account.manage');
    res.json({ tokens: await tokens.list(principal.id) });
  });

  router.post('/me/tokens', requireJson, async (req, res) => {
    const principal = allow(req, 'account.manage');
    const { name } = parseBody(createTokenBody, req.body);
    // The only time the token is shown: only its hash is kept.
    res.status(201).json(await tokens.create(principal.id, name, req.id));
  });

  router.delete('/me/tokens/:tokenId', async (req, res) => {
    const principal = allow(req, 'account.manage');
    await tokens.revoke(principal.id, String(req.params.tokenId), req.id);
    res.status(204).end();
  });

  return router;
}
