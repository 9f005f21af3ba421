import { randomUUID } from 'node:crypto';
import { Router, type Response } from 'express';
import type { Db } from '../../lib/db';
import { verifyPassword } from '../../lib/passwords';
import { allow } from '../access/guard';
import { ROLE_LABELS } from '../access/policy';
import { recordAudit } from '../audit';
import { NotFoundError, TooManyRequestsError, UnauthenticatedError } from '../errors';
import { parseBody, requireJson } from '../validation';
import { SESSION_COOKIE } from './middleware';
import { createRateLimiter } from './rate-limit';
import { createTokenBody, signInBody } from './schemas';
import { hashSecret, newSecret } from './secrets';

/** A working day: a session left open on a shared office computer does not outlive it. */
const SESSION_MS = 12 * 60 * 60 * 1000;

export interface AuthRouterOptions {
  db: Db;
  clock: () => Date;
  /** Secure cookies when the product is served over HTTPS. */
  secureCookies: boolean;
  /** Failed sign-ins allowed per e-mail in 15 minutes (five times as many per client address). */
  signInAttempts?: number;
}

export function authRouter(options: AuthRouterOptions): Router {
  const { db, clock } = options;
  // Per account, few attempts; per client address more, since a whole office may share one address.
  const perAccount = options.signInAttempts ?? 10;
  const byEmail = createRateLimiter({ max: perAccount, windowMs: 15 * 60 * 1000 });
  const byAddress = createRateLimiter({ max: perAccount * 5, windowMs: 15 * 60 * 1000 });
  const router = Router();

  const setCookie = (res: Response, value: string, maxAgeMs: number) =>
    res.cookie(SESSION_COOKIE, value, { httpOnly: true, sameSite: 'lax', secure: options.secureCookies, path: '/', maxAge: maxAgeMs });

  router.post('/session', requireJson, async (req, res) => {
    const { email, password } = parseBody(signInBody, req.body);
    const limits = [[byAddress, req.ip ?? 'unknown'], [byEmail, email.toLowerCase()]] as const;
    const wait = Math.max(...limits.map(([limiter, key]) => limiter.blockedFor(key)));
    if (wait > 0) throw new TooManyRequestsError(`Trop de tentatives de connexion. Réessayez dans ${Math.ceil(wait / 60)} min.`, wait);

    const user = await db.user.findFirst({ where: { email: { equals: email, mode: 'insensitive' } } });
    const valid = await verifyPassword(password, user?.passwordHash);
    if (!user || !valid || !user.active) {
      limits.forEach(([limiter, key]) => limiter.fail(key));
      await recordAudit(db, { actor: user?.id ?? 'anonymous', action: 'session.sign_in_failed', requestId: req.id });
      throw new UnauthenticatedError('Adresse e-mail ou mot de passe incorrect.');
    }
    byEmail.reset(email.toLowerCase());
    const secret = newSecret('s');
    const csrfToken = newSecret('c');
    await db.$transaction([
      db.session.create({ data: { id: hashSecret(secret), userId: user.id, csrfToken, expiresAt: new Date(clock().getTime() + SESSION_MS) } }),
      db.user.update({ where: { id: user.id }, data: { lastSignInAt: clock() } }),
    ]);
    await recordAudit(db, { actor: user.id, action: 'session.sign_in', requestId: req.id });
    setCookie(res, secret, SESSION_MS);
    res.json({ user: { id: user.id, email: user.email, displayName: user.displayName, role: user.role }, csrfToken });
  });

  router.delete('/session', async (req, res) => {
    if (req.authentication?.kind === 'session') {
      await db.session.deleteMany({ where: { id: req.authentication.id } });
      await recordAudit(db, { actor: req.principal!.id, action: 'session.sign_out', requestId: req.id });
    }
    res.clearCookie(SESSION_COOKIE, { path: '/' });
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
