import { randomUUID } from 'node:crypto';
import type { Role } from '../../generated/prisma/client';
import { accountGrantNotice, accountInvitation, passwordReset, type AccountGrant } from '../../activities/account-mail-templates';
import { ROLE_LABELS } from '../../domain/labels';
import type { Db } from '../../lib/db';
import type { Logger } from '../../lib/logger';
import type { Mailer } from '../../lib/mailer';
import { hashPassword, verifyPassword } from '../../lib/passwords';
import { recordAudit } from '../audit';
import { createRateLimiter, type SignInLimitStore } from '../auth/rate-limit';
import { hashSecret, newSecret } from '../auth/secrets';
import { ConflictError, NotFoundError, TooManyRequestsError, ValidationError } from '../errors';
import { sendAccountMail, type MailStatus } from './mail';

/**
 * Passwords people set themselves (docs/design/roles-and-access.md, « Accounts and audit »): the
 * admin never sets nor sees one. An account is created without a password and its person gets a
 * one-time link by mail (an invitation, 72 h); « Mot de passe oublié » mails a reset link (1 h);
 * a signed-in person changes their password with the current one. A link's token is random
 * (256 bits), mailed once, and only its SHA-256 is stored (`password_links`); a link is deleted
 * when used, when a newer link of the same kind replaces it, and once expired.
 */
export const INVITATION_MS = 72 * 60 * 60 * 1000;
export const RESET_MS = 60 * 60 * 1000;

export type LinkPurpose = 'invitation' | 'reset';
const VALID_FOR: Record<LinkPurpose, string> = { invitation: '72 heures', reset: '1 heure' };
const LIFETIME: Record<LinkPurpose, number> = { invitation: INVITATION_MS, reset: RESET_MS };

/** The roles that read the households' case files, and the admin: giving one is told to the coordination. */
export const NOTIFIED_ROLES: readonly Role[] = ['coordinator', 'committee_member', 'educator', 'admin'];

/** What « Mot de passe oublié » always answers, whether the address is known or not. */
export const RESET_ANSWER = 'Si un compte actif existe à cette adresse, un courriel vient de lui être envoyé avec un lien pour choisir un nouveau mot de passe. Ce lien est valable 1 heure.';

const INVALID_LINK = 'Ce lien n’est pas valable : il a déjà servi, a expiré ou a été remplacé par un plus récent.';

export interface AccountsDeps {
  db: Db;
  clock: () => Date;
  mailer?: Mailer;
  logger: Logger;
  publicUrl: string;
  /** Where the reset and change limits are counted (as the sign-in's: api/auth/rate-limit.ts). */
  rateLimits?: SignInLimitStore;
}

export interface Invitation {
  /** When the link stops working. */
  expiresAt: Date;
  /** Whether the mail went (the answer says so: a failed one is sent again with a new link). */
  mail: MailStatus;
}

export function createAccounts(deps: AccountsDeps) {
  const { db, clock, logger } = deps;
  const store = deps.rateLimits?.pool;
  const prefix = deps.rateLimits?.prefix ?? '';
  // « Mot de passe oublié »: an address asking too often is told to wait (429, which says nothing
  // of the account); an e-mail gets at most 3 reset mails an hour, silently beyond (the answer
  // stays the same, so that nobody learns the address exists, nor fills someone's mailbox).
  const resetByAddress = createRateLimiter({ name: `${prefix}reset-address`, max: 10, windowMs: 15 * 60_000, store });
  const resetByEmail = createRateLimiter({ name: `${prefix}reset-email`, max: 3, windowMs: 60 * 60_000, store });
  // Changing one's password: 5 wrong current passwords in 15 minutes wait (a session left open is not a way to guess it).
  const changeByUser = createRateLimiter({ name: `${prefix}password-change`, max: 5, windowMs: 15 * 60_000, store });

  const linkTo = (token: string) => `${deps.publicUrl}/mot-de-passe/${token}`;

  /** A new link for the person: their earlier links of this kind, and every expired link, are deleted. */
  async function issueLink(userId: string, purpose: LinkPurpose) {
    const token = newSecret('l');
    const id = randomUUID();
    const now = clock();
    const expiresAt = new Date(now.getTime() + LIFETIME[purpose]);
    await db.$transaction([
      db.passwordLink.deleteMany({ where: { OR: [{ userId, purpose }, { expiresAt: { lte: now } }] } }),
      db.passwordLink.create({ data: { id, userId, purpose, tokenHash: hashSecret(token), createdAt: now, expiresAt } }),
    ]);
    return { id, token, expiresAt };
  }

  /** The link's row if it may still be used (its account active), else undefined. */
  async function validLink(token: string) {
    if (!/^l_[\w-]{43}$/.test(token)) return undefined;
    const link = await db.passwordLink.findUnique({
      where: { tokenHash: hashSecret(token) },
      include: { user: { select: { id: true, email: true, displayName: true, active: true, passwordHash: true } } },
    });
    if (!link || link.expiresAt <= clock() || !link.user.active) return undefined;
    // An invitation is for an account without a password: one set since (by a reset) closes it.
    if (link.purpose === 'invitation' && link.user.passwordHash !== null) return undefined;
    return link;
  }

  const mailDeps = { db, mailer: deps.mailer, clock, logger };

  return {
    /**
     * Mails the person a new invitation (the previous one stops working). For an active account
     * without a password: one with a password uses « Mot de passe oublié ».
     */
    async invite(userId: string, by: { actor: string; requestId?: string }): Promise<Invitation> {
      const user = await db.user.findUnique({ where: { id: userId } });
      if (!user) throw new NotFoundError('Compte introuvable.');
      if (!user.active) throw new ConflictError('Ce compte est désactivé : activez-le d’abord (l’invitation part alors d’elle-même).');
      if (user.passwordHash !== null) {
        throw new ConflictError('Cette personne a déjà choisi son mot de passe : s’il est perdu, elle en demande un nouveau avec « Mot de passe oublié ».');
      }
      const link = await issueLink(user.id, 'invitation');
      const mail = await sendAccountMail(mailDeps, {
        key: `invitation:${link.id}`, to: user.email, template: 'account_invitation', userId: user.id, keepText: false,
        mail: accountInvitation({ displayName: user.displayName, roleLabel: ROLE_LABELS[user.role], link: linkTo(link.token), validFor: VALID_FOR.invitation }),
      });
      await recordAudit(db, { actor: by.actor, action: 'user.invite', requestId: by.requestId, details: { userId: user.id, linkId: link.id, mail } });
      return { expiresAt: link.expiresAt, mail };
    },

    /**
     * A team (or admin) role was given: created with it, re-activated, or changed into it. One
     * audit row, and a mail to every active coordinator (but the person themselves): who, which
     * role, by whom, when.
     */
    async noticeGrant(user: { id: string; displayName: string; role: Role }, grant: AccountGrant, by: { actor: string; requestId?: string }): Promise<void> {
      if (!NOTIFIED_ROLES.includes(user.role)) return;
      const at = clock();
      const [actor, coordinators] = await Promise.all([
        db.user.findUnique({ where: { id: by.actor }, select: { displayName: true } }),
        db.user.findMany({ where: { role: 'coordinator', active: true, id: { not: user.id } }, select: { id: true, email: true }, orderBy: { id: 'asc' } }),
      ]);
      const eventId = randomUUID();
      const mail = accountGrantNotice({
        grant, displayName: user.displayName, roleLabel: ROLE_LABELS[user.role], by: actor?.displayName ?? 'l’administration',
        at: at.toLocaleString('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'long', timeStyle: 'short' }),
      });
      let failed = 0;
      for (const coordinator of coordinators) {
        const status = await sendAccountMail(mailDeps, {
          key: `account-grant:${eventId}:${coordinator.id}`, to: coordinator.email, template: 'account_grant_notice', userId: coordinator.id, keepText: true, mail,
        });
        if (status === 'failed') failed++;
      }
      await recordAudit(db, {
        actor: by.actor, action: 'user.role_granted', requestId: by.requestId,
        details: { userId: user.id, role: user.role, grant, eventId, coordinatorsMailed: coordinators.length - failed, mailsFailed: failed },
      });
    },

    /**
     * « Mot de passe oublié »: the same answer whether the address is known or not, and in the same
     * time (the lookup and the mail run after the answer). Throws 429 for an address asking too often.
     */
    async requestReset(email: string, request: { ip?: string; requestId?: string }): Promise<string> {
      const address = request.ip ?? 'unknown';
      const wait = await resetByAddress.blockedFor(address);
      if (wait > 0) throw new TooManyRequestsError(`Trop de demandes. Réessayez dans ${Math.ceil(wait / 60)} min.`, wait);
      await resetByAddress.fail(address);
      const account = email.trim().toLowerCase();
      void (async () => {
        const user = await db.user.findFirst({ where: { email: { equals: account, mode: 'insensitive' }, active: true } });
        if (!user || (await resetByEmail.blockedFor(account)) > 0) return;
        await resetByEmail.fail(account);
        const link = await issueLink(user.id, 'reset');
        const mail = await sendAccountMail(mailDeps, {
          key: `reset:${link.id}`, to: user.email, template: 'password_reset', userId: user.id, keepText: false,
          mail: passwordReset({ displayName: user.displayName, link: linkTo(link.token), validFor: VALID_FOR.reset }),
        });
        await recordAudit(db, { actor: user.id, action: 'account.reset_requested', requestId: request.requestId, details: { linkId: link.id, mail } });
      })().catch((error: unknown) => logger.error({ err: error, requestId: request.requestId }, 'password reset request failed'));
      return RESET_ANSWER;
    },

    /** What the link's page shows (the account's name and address), or undefined for a link that is not valid. */
    async describeLink(token: string): Promise<{ purpose: LinkPurpose; displayName: string; email: string } | undefined> {
      const link = await validLink(token);
      return link && { purpose: link.purpose as LinkPurpose, displayName: link.user.displayName, email: link.user.email };
    },

    /**
     * Sets the password with a link, once: the link is deleted in the same transaction (a second use
     * finds nothing), with the person's other links, and every session of theirs ends.
     */
    async usePasswordLink(token: string, password: string, request: { requestId?: string }): Promise<{ email: string }> {
      const link = await validLink(token);
      if (!link) throw new NotFoundError(INVALID_LINK);
      const passwordHash = await hashPassword(password);
      const used = await db.$transaction(async (tx) => {
        // Two submissions at once: only the one that deletes the row goes on.
        const claimed = await tx.passwordLink.deleteMany({ where: { id: link.id, expiresAt: { gt: clock() } } });
        if (claimed.count === 0) return false;
        await tx.user.update({ where: { id: link.userId }, data: { passwordHash } });
        await tx.passwordLink.deleteMany({ where: { userId: link.userId } });
        await tx.session.deleteMany({ where: { userId: link.userId } });
        await recordAudit(tx, {
          actor: link.userId, action: link.purpose === 'invitation' ? 'account.invitation_accepted' : 'account.password_reset',
          requestId: request.requestId, details: { linkId: link.id },
        });
        return true;
      });
      if (!used) throw new NotFoundError(INVALID_LINK);
      return { email: link.user.email };
    },

    /**
     * Changes a signed-in person's password, given the current one; their other sessions end (the
     * one in use stays open), and any link mailed to them stops working.
     */
    async changePassword(userId: string, currentSessionId: string | undefined, body: { currentPassword: string; newPassword: string }, requestId?: string): Promise<void> {
      const wait = await changeByUser.blockedFor(userId);
      if (wait > 0) throw new TooManyRequestsError(`Trop de tentatives. Réessayez dans ${Math.ceil(wait / 60)} min.`, wait);
      const user = await db.user.findUniqueOrThrow({ where: { id: userId } });
      if (!(await verifyPassword(body.currentPassword, user.passwordHash))) {
        await changeByUser.fail(userId);
        await recordAudit(db, { actor: userId, action: 'account.password_change_failed', requestId });
        throw new ValidationError([{ field: 'currentPassword', message: 'mot de passe actuel incorrect' }]);
      }
      await changeByUser.reset(userId);
      const passwordHash = await hashPassword(body.newPassword);
      await db.$transaction(async (tx) => {
        await tx.user.update({ where: { id: userId }, data: { passwordHash } });
        const ended = await tx.session.deleteMany({ where: { userId, ...(currentSessionId && { id: { not: currentSessionId } }) } });
        await tx.passwordLink.deleteMany({ where: { userId } });
        await recordAudit(tx, { actor: userId, action: 'account.password_change', requestId, details: { sessionsEnded: ended.count } });
      });
    },
  };
}

export type Accounts = ReturnType<typeof createAccounts>;
