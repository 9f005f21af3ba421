import type { Prisma } from '../../generated/prisma/client';
import type { Db } from '../../lib/db';
import type { z } from '../../lib/zod-fr';
import type { ApiContext } from '../context';
import { decodeCursor, olderThan, page, parseInstant } from './paging';
import { retryMail } from './mail-retry';
import { maskAddressesIn, maskRecipients } from './mask';
import { defineRoute, TAGS, type Route } from '../http/route';
import { auditQuery, mailIdParam, mailsQuery } from './schemas';

/**
 * The two logs an administrator reads: the audit log (who read or wrote what, append-only) and the
 * mail log (what was sent, what failed for good). Both newest first, paged by cursor.
 */
export function logsRoutes({ db, mailer, clock }: Pick<ApiContext, 'db' | 'mailer' | 'clock'>): Route[] {
  return [
    defineRoute({
      method: 'get', path: '/api/admin/audit', tag: TAGS.admin, access: 'audit.read', query: auditQuery,
      summary: 'Journal d\'audit : qui a lu ou modifié quoi, et quand',
      description: 'Par ménage (`householdId`) et par personne (`userId`), les plus récents d\'abord ; page suivante avec `cursor` = `nextCursor`.',
      responses: { 200: 'Les entrées du journal.' },
    }, {
      async handle(_req, res, { query }) {
        res.json(await auditLog(db, query));
      },
    }),
    defineRoute({
      method: 'get', path: '/api/admin/mails', tag: TAGS.admin, access: 'mail.read', query: mailsQuery,
      summary: 'Journal des mails : envoyés, en attente, en échec',
      description: 'Les adresses des destinataires sont masquées (ex. c***@april.localhost).',
      responses: { 200: 'Les mails, les plus récents d\'abord.' },
    }, {
      async handle(_req, res, { query }) {
        res.json(await mailLog(db, query));
      },
    }),
    defineRoute({
      method: 'post', path: '/api/admin/mails/:id/retry', tag: TAGS.admin, access: 'mail.retry',
      params: { id: { schema: mailIdParam, description: 'Identifiant du mail.' } }, notFound: 'Courriel introuvable.',
      summary: 'Renvoyer un mail en échec',
      description: 'Seul un mail en échec dont le texte est conservé peut être renvoyé (409 sinon) ; même Message-ID que le premier envoi.',
      responses: { 200: 'Le résultat du renvoi : `sent`, ou `failed` avec l\'erreur.' },
    }, {
      async handle(req, res, { principal, params }) {
        res.json(await retryMail({ db, mailer, clock }, params.id, { actor: principal.id, requestId: req.id }));
      },
    }),
  ];
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
      lastError: maskAddressesIn(lastError),
    })),
    nextCursor,
  };
}
