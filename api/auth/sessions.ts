import type { Request, Response } from 'express';
import type { Db } from '../../lib/db';
import { verifyPassword } from '../../lib/passwords';
import { recordAudit } from '../audit';
import { TooManyRequestsError, UnauthenticatedError } from '../errors';
import { SESSION_COOKIE } from './middleware';
import { createProgressiveLimiter, createRateLimiter, type SignInLimitStore } from './rate-limit';
import { hashSecret, newSecret } from './secrets';

/** A working day: a session left open on a shared office computer does not outlive it. */
export const SESSION_MS = 12 * 60 * 60 * 1000;

export interface SessionOptions {
  db: Db;
  clock: () => Date;
  /** Secure cookies when the product is served over HTTPS. */
  secureCookies: boolean;
  /** Failed sign-ins of one e-mail from one address before the first lock (default 5); the other limits follow it (createSessions). */
  signInAttempts?: number;
  /** Where failed sign-ins are counted: absent, in this process only (api/auth/rate-limit.ts). */
  rateLimits?: SignInLimitStore;
}

/**
 * Signing in and out, shared by the API (`POST /api/session`) and the sign-in page: same password
 * check, same rate limits (one set of limiters for both doors), same cookie, same audit rows.
 */
export function createSessions(options: SessionOptions) {
  const { db, clock } = options;
  // Three counts of failed sign-ins, so that nobody can lock someone else out of their account:
  // - per (e-mail, client address) pair, growing delays: after 5 failures (`signInAttempts`) a
  //   1-minute lock, doubled at each further failure up to 15 minutes; counted for 24 hours from
  //   the pair's first failure, forgotten at a successful sign-in. Someone guessing one account
  //   from one address gets 5 tries, then about 4 an hour;
  // - per client address, many e-mails (credential stuffing): 50 failures in 15 minutes lock the
  //   address, whatever the e-mail. High, since a whole office may share one address;
  // - per e-mail, from anywhere: it never refuses a sign-in by itself (that would let anyone lock
  //   the real user out from every address). Past 100 failures in an hour (a distributed attack),
  //   each pair is locked from its first failure instead of its fifth, which slows every address
  //   of the attack while the real user, with the right password, still signs in at once.
  // A correct password from an address whose pair and address are not locked always signs in.
  const freeFailures = options.signInAttempts ?? 5;
  const store = options.rateLimits?.pool;
  const prefix = options.rateLimits?.prefix ?? '';
  const byPair = createProgressiveLimiter({ name: `${prefix}sign-in-pair`, freeFailures, firstLockMs: 60_000, maxLockMs: 15 * 60_000, windowMs: 24 * 60 * 60_000, store });
  const byAddress = createRateLimiter({ name: `${prefix}sign-in-address`, max: freeFailures * 10, windowMs: 15 * 60_000, store });
  const byEmail = createRateLimiter({ name: `${prefix}sign-in-email`, max: freeFailures * 20, windowMs: 60 * 60_000, store });

  const setCookie = (res: Response, value: string, maxAgeMs: number) =>
    res.cookie(SESSION_COOKIE, value, { httpOnly: true, sameSite: 'lax', secure: options.secureCookies, path: '/', maxAge: maxAgeMs });

  return {
    /** Checks the password, opens a session and sets its cookie; throws 401 or 429. */
    async signIn(req: Request, res: Response, email: string, password: string) {
      const address = req.ip ?? 'unknown';
      const account = email.toLowerCase();
      // JSON keeps the pair unambiguous (an e-mail cannot end the first string early).
      const pair = JSON.stringify([account, address]);
      const wait = Math.max(await byPair.blockedFor(pair), await byAddress.blockedFor(address));
      if (wait > 0) throw new TooManyRequestsError(`Trop de tentatives de connexion. Réessayez dans ${Math.ceil(wait / 60)} min.`, wait);

      const user = await db.user.findFirst({ where: { email: { equals: email, mode: 'insensitive' } } });
      const valid = await verifyPassword(password, user?.passwordHash);
      if (!user || !valid || !user.active) {
        await Promise.all([byAddress.fail(address), byEmail.fail(account)]);
        await byPair.fail(pair, (await byEmail.blockedFor(account)) > 0);
        await recordAudit(db, { actor: user?.id ?? 'anonymous', action: 'session.sign_in_failed', requestId: req.id });
        throw new UnauthenticatedError('Adresse e-mail ou mot de passe incorrect.');
      }
      // The pair only: the address's count may be someone else's stuffing, the e-mail's a distributed attack still going.
      await byPair.reset(pair);
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
