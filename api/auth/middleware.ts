import type { RequestHandler } from 'express';
import type { Db } from '../../lib/db';
import { ForbiddenError, UnauthenticatedError } from '../errors';
import type { Principal } from './principal';
import { hashSecret, sameSecret } from './secrets';

export const SESSION_COOKIE = 'april_session';
export const CSRF_HEADER = 'x-csrf-token';
/** Name of the hidden field of the pages' forms carrying the CSRF token. */
export const CSRF_FIELD = '_csrf';

const userSelect = { id: true, role: true, email: true, displayName: true, landlordId: true, partnerOrganisationId: true, active: true } as const;

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

/**
 * Finds who is calling: an API token (`Authorization: Bearer april_…`) or a session cookie. A
 * token that is wrong is refused at once (an integration must know); a stale cookie is ignored.
 */
export function authenticate(db: Db, clock: () => Date): RequestHandler {
  return async (req, _res, next) => {
    const authorization = req.header('authorization');
    if (authorization) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      if (!match) return next(new UnauthenticatedError('En-tête Authorization invalide : « Bearer <jeton> » attendu.'));
      const token = await db.apiToken.findUnique({ where: { tokenHash: hashSecret(match[1] ?? '') }, include: { user: { select: userSelect } } });
      if (!token || token.revokedAt || !token.user.active) return next(new UnauthenticatedError('Jeton d\'accès inconnu, révoqué ou de compte désactivé.'));
      req.principal = toPrincipal(token.user);
      req.authentication = { kind: 'token', id: token.id };
      // Last use is shown to the owner; at most one write per token and minute.
      if (!token.lastUsedAt || clock().getTime() - token.lastUsedAt.getTime() > 60_000) {
        await db.apiToken.update({ where: { id: token.id }, data: { lastUsedAt: clock() } });
      }
      return next();
    }
    const cookie = readCookie(req.header('cookie'), SESSION_COOKIE);
    if (cookie) {
      const session = await db.session.findUnique({ where: { id: hashSecret(cookie) }, include: { user: { select: userSelect } } });
      if (session && session.expiresAt > clock() && session.user.active) {
        req.principal = toPrincipal(session.user);
        req.authentication = { kind: 'session', id: session.id, csrfToken: session.csrfToken };
      }
    }
    next();
  };
}

function toPrincipal(user: Principal & { active: boolean }): Principal {
  const { active: _active, ...principal } = user;
  return principal;
}

export const requireSignedIn: RequestHandler = (req, _res, next) => {
  next(req.principal ? undefined : new UnauthenticatedError());
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A browser sends the session cookie with any request, even one forged by another site: every
 * unsafe request made with a session must echo the session's token (header or form field). Token
 * requests are exempt: a browser never adds an Authorization header by itself.
 */
export const csrfProtection: RequestHandler = (req, _res, next) => {
  const auth = req.authentication;
  if (SAFE_METHODS.has(req.method) || auth?.kind !== 'session' || !auth.csrfToken) return next();
  const body: unknown = req.body;
  const sent = req.header(CSRF_HEADER) ?? (typeof body === 'object' && body !== null && CSRF_FIELD in body ? String((body as Record<string, unknown>)[CSRF_FIELD]) : undefined);
  if (sent && sameSecret(sent, auth.csrfToken)) return next();
  next(new ForbiddenError('Jeton anti-falsification (CSRF) absent ou invalide : rechargez la page et recommencez.'));
};

/**
 * Unsafe requests must come from the app's own pages (login CSRF included: a forged sign-in form
 * would open the attacker's session in the victim's browser). Without a bearer token: if the
 * browser sends `Sec-Fetch-Site`, it must be `same-origin` or `none` (typed by the person); else if
 * it sends `Origin`, that must be the app's (PUBLIC_URL's origin, or this request's own host). A
 * request with neither (curl, old browsers, the tests' fetch from Node) passes: no browser forges
 * it, and the CSRF token still guards every unsafe request made with a session.
 */
export function sameOriginOnly(publicUrl: string): RequestHandler {
  const ownOrigin = new URL(publicUrl).origin;
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method) || /^Bearer\s/i.test(req.header('authorization') ?? '')) return next();
    const site = req.header('sec-fetch-site');
    const origin = req.header('origin');
    const allowed = site !== undefined
      ? site === 'same-origin' || site === 'none'
      : origin === undefined || origin === ownOrigin || origin === `${req.protocol}://${req.host}`;
    if (allowed) return next();
    next(new ForbiddenError('Requête refusée : elle vient d\'un autre site que APRIL. Ouvrez APRIL à son adresse habituelle et recommencez.'));
  };
}
