import { Router } from 'express';
import type { Prisma } from '../../generated/prisma/client';
import type { Db } from '../../lib/db';
import type { z } from '../../lib/zod-fr';
import { allow } from '../access/guard';
import type { ApiContext } from '../context';
import { decodeCursor, olderThan, page, parseInstant } from './paging';
import { NotFoundError } from '../errors';
import { retryMail } from './mail-retry';
import { parseQuery } from './query';
import { auditQuery, mailIdParam, mailsQuery } from './schemas';

/**
 * The two logs an administrator reads: the audit log (who read or wrote what, append-only) and the
 * mail log (what was sent, what failed for good). Both newest first, paged by cursor.
 */
export function logsRouter({ db, mailer, clock }: ApiContext): Router {
  const router = Router();

  router.get('/audit', async (req, res) => {
    allow(req, 'audit.read');
    res.json(await auditLog(db, parseQuery(auditQuery, req.query)));
  });

  router.get('/mails', async (req, res) => {
    allow(req, 'mail.read');
    res.json(await mailLog(db, parseQuery(mailsQuery, req.query)));
  });

  router.post('/mails/:id/retry', async (req, res) => {
    const principal = allow(req, 'mail.retry');
    const id = mailIdParam.safeParse(req.params.id);
    if (!id.success) throw new NotFoundError('Courriel introuvable.');
    res.json(await retryMail({ db, mailer, clock }, id.data, { actor: principal.id, requestId: req.id }));
  });

  return router;
}

/** The audit log, newest first, paged by cursor (the API and the admin page). */
export async function auditLog(db: Db, query: z.infer<typeof auditQuery>) {
  const from = parseInstant(query.from, 'from');
  const to = parseInstant(query.to, 'to');
  const where: Prisma.AuditEventWhereInput = {
    ...(query.householdId && { householdId: query.householdId }),
    ...(query.userId && { actor: query.userId }),
    ...((from || to) && { at: { ...(from && { gte: from }), ...(to && { lt: to }) } }),
    ...olderThan('at', decodeCursor(query.cursor)),
  };
  const rows = await db.auditEvent.findMany({ where, orderBy: [{ at: 'desc' }, { id: 'desc' }], take: query.limit + 1 });
  const { items, nextCursor } = page(rows, query.limit, (row) => ({ at: row.at, id: row.id }));
  return { events: items, nextCursor };
}

/** The mail log, newest first, paged by cursor, recipients and errors masked. */
export async function mailLog(db: Db, query: z.infer<typeof mailsQuery>) {
  const rows = await db.mailMessage.findMany({
    where: {
      ...(query.status && { status: query.status }),
      ...(query.householdId && { householdId: query.householdId }),
      ...olderThan('createdAt', decodeCursor(query.cursor)),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: query.limit + 1,
    select: {
      id: true, status: true, template: true, subject: true, attempts: true, lastError: true, recipient: true,
      householdId: true, userId: true, createdAt: true, sentAt: true,
    },
  });
  const { items, nextCursor } = page(rows, query.limit, (row) => ({ at: row.createdAt, id: row.id }));
  return {
    mails: items.map(({ recipient, lastError, ...mail }) => ({
      ...mail,
      recipient: maskRecipients(recipient),
      // SMTP servers quote the recipient in their errors: the log shows the reason, not the address.
      lastError: lastError === null ? null : lastError.replace(EMAIL_IN_TEXT, (address) => maskEmail(address)),
    })),
    nextCursor,
  };
}

const EMAIL_IN_TEXT = /[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g;

/**
 * Enough of an address to tell mailboxes apart (the first letter and the domain), not enough to
 * write to the person: the log is read by more people than the mail was meant for.
 */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${address[0]}***${address.slice(at)}`;
}

/** Every address of a recipient field (a plain address, a list, or « Name <address> »), masked. */
export function maskRecipients(recipient: string): string {
  const addresses = recipient.match(EMAIL_IN_TEXT) ?? [];
  return addresses.length === 0 ? '***' : addresses.map(maskEmail).join(', ');
}
