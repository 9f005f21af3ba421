import type { Request, Response } from 'express';
import type { Db } from '../../lib/db';
import { verifyPassword } from '../../lib/passwords';
import { recordAudit } from '../audit';
import { TooManyRequestsError, UnauthenticatedError } from '../errors';
import { SESSION_COOKIE } from './middleware';
import { createRateLimiter, type SignInLimitStore } from './rate-limit';
import { hashSecret, newSecret } from './secrets';

/** A working day: a session left open on a shared office computer does not outlive it. */
export const SESSION_MS = 12 * 60 * 60 * 1000;

export interface SessionOptions {
  db: Db;
  clock: () => Date;
  /** Secure cookies when the product is served over HTTPS. */
  secureCookies: boolean;
  /** Failed sign-ins allowed per e-mail in 15 minutes (five times as many per client address). */
  signInAttempts?: number;
  /** Where failed sign-ins are counted: absent, in this process only (api/auth/rate-limit.ts). */
  rateLimits?: SignInLimitStore;
}

/**
 * Signing in and out, shared by the API (`POST /api/session`) and the sign-in page: same password
 * check, same rate limits (one limiter pair for both doors), same cookie, same audit rows.
 */
export function createSessions(options: SessionOptions) {
  const { db, clock } = options;
  // Per account, few attempts; per client address more, since a whole office may share one address.
  const perAccount = options.signInAttempts ?? 10;
  const store = options.rateLimits?.pool;
  const prefix = options.rateLimits?.prefix ?? '';
  const byEmail = createRateLimiter({ name: `${prefix}sign-in-email`, max: perAccount, windowMs: 15 * 60 * 1000, store });
  const byAddress = createRateLimiter({ name: `${prefix}sign-in-address`, max: perAccount * 5, windowMs: 15 * 60 * 1000, store });

  const setCookie = (res: Response, value: string, maxAgeMs: number) =>
    res.cookie(SESSION_COOKIE, value, { httpOnly: true, sameSite: 'lax', secure: options.secureCookies, path: '/', maxAge: maxAgeMs });

  return {
    /** Checks the password, opens a session and sets its cookie; throws 401 or 429. */
    async signIn(req: Request, res: Response, email: string, password: string) {
      const limits = [[byAddress, req.ip ?? 'unknown'], [byEmail, email.toLowerCase()]] as const;
      const wait = Math.max(...(await Promise.all(limits.map(([limiter, key]) => limiter.blockedFor(key)))));
      if (wait > 0) throw new TooManyRequestsError(`Trop de tentatives de connexion. Réessayez dans ${Math.ceil(wait / 60)} min.`, wait);

      const user = await db.user.findFirst({ where: { email: { equals: email, mode: 'insensitive' } } });
      const valid = await verifyPassword(password, user?.passwordHash);
      if (!user || !valid || !user.active) {
        await Promise.all(limits.map(([limiter, key]) => limiter.fail(key)));
        await recordAudit(db, { actor: user?.id ?? 'anonymous', action: 'session.sign_in_failed', requestId: req.id });
        throw new UnauthenticatedError('Adresse e-mail ou mot de passe incorrect.');
      }
      await byEmail.reset(email.toLowerCase());
      const secret = newSecret('s');
      const csrfToken = newSecret('c');
      await db.$transaction([
        db.session.create({ data: { id: hashSecret(secret), userId: user.id, csrfToken, expiresAt: new Date(clock().getTime() + SESSION_MS) } }),
        db.user.update({ where: { id: user.id }, data: { lastSignInAt: clock() } }),
      ]);
      await recordAudit(db, { actor: user.id, action: 'session.sign_in', requestId: req.id });
      setCookie(res, secret, SESSION_MS);
      return { user: { id: user.id, email: user.email, displayName: user.displayName, role: user.role }, csrfToken };
    },

    /** Ends the caller's session (if any) and clears the cookie. */
    async signOut(req: Request, res: Response) {
      if (req.authentication?.kind === 'session') {
        await db.session.deleteMany({ where: { id: req.authentication.id } });
        await recordAudit(db, { actor: req.principal!.id, action: 'session.sign_out', requestId: req.id });
      }
      res.clearCookie(SESSION_COOKIE, { path: '/' });
    },
  };
}

export type Sessions = ReturnType<typeof createSessions>;
