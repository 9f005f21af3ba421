import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { allow } from '../access/guard';
import { ROLE_LABELS } from '../access/policy';
import { recordAudit } from '../audit';
import { NotFoundError } from '../errors';
import { parseBody, requireJson } from '../validation';
import { createTokenBody, signInBody } from './schemas';
import { createSessions, type SessionOptions, type Sessions } from './sessions';
import { hashSecret, newSecret } from './secrets';

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

  router.get('/me/tokens', async (req, res) => {
    const principal = allow(req, 'account.manage');
    const tokens = await db.apiToken.findMany({
      where: { userId: principal.id, revokedAt: null },
      select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true },
      orderBy: { createdAt: 'desc' },
    });
    res.json({ tokens });
  });

  router.post('/me/tokens', requireJson, async (req, res) => {
    const principal = allow(req, 'account.manage');
    const { name } = parseBody(createTokenBody, req.body);
    const token = newSecret('april');
    const id = randomUUID();
    const prefix = token.slice(0, 12);
    await db.apiToken.create({ data: { id, userId: principal.id, name, prefix, tokenHash: hashSecret(token) } });
    await recordAudit(db, { actor: principal.id, action: 'api_token.create', requestId: req.id, details: { tokenId: id } });
    // The only time the token is shown: only its hash is kept.
    res.status(201).json({ id, name, prefix, token });
  });

  router.delete('/me/tokens/:tokenId', async (req, res) => {
    const principal = allow(req, 'account.manage');
    const revoked = await db.apiToken.updateMany({
      where: { id: String(req.params.tokenId), userId: principal.id, revokedAt: null },
      data: { revokedAt: clock() },
    }).catch(() => ({ count: 0 }));
    if (revoked.count === 0) throw new NotFoundError('Jeton introuvable.');
    await recordAudit(db, { actor: principal.id, action: 'api_token.revoke', requestId: req.id, details: { tokenId: String(req.params.tokenId) } });
    res.status(204).end();
  });

  return router;
}
