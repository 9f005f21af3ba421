import { createHash } from 'node:crypto';
import type { Db } from '../../lib/db';
import type { Mailer } from '../../lib/mailer';
import { recordAudit } from '../audit';
import { AppError, ConflictError, NotFoundError } from '../errors';
import { maskAddressesIn } from './mask';

/**
 * Sends again a mail the SMTP server refused for good (the workflows gave up on it): from the mail
 * log, once the address or the server is fixed. Only a `failed` row can be retried, and it is
 * claimed first (failed → pending) so that two clicks send it once. Same Message-ID as the first
 * attempt: a mail client folds a duplicate. A new failure is stored as the server said it; the
 * answer (read by an admin, in JSON or in the page's notice) has its addresses masked, as the log.
 */
export async function retryMail(
  deps: { db: Db; mailer?: Mailer; clock: () => Date },
  mailId: string,
  ctx: { actor: string; requestId: string },
): Promise<{ id: string; status: 'sent' | 'failed'; lastError: string | null }> {
  const { db, mailer } = deps;
  if (!mailer) throw new AppError(503, 'service_unavailable', 'L\'envoi de courriels n\'est pas configuré sur ce serveur.');
  const row = await db.mailMessage.findUnique({ where: { id: mailId } });
  if (!row) throw new NotFoundError('Courriel introuvable.');
  if (row.status !== 'failed') throw new ConflictError('Seul un courriel en échec peut être renvoyé.');
  if (!row.text || row.recipient === '[anonymisé]') {
    throw new ConflictError('Le contenu de ce courriel n\'a pas été conservé : il ne peut pas être renvoyé.');
  }
  const claimed = await db.mailMessage.updateMany({ where: { id: row.id, status: 'failed' }, data: { status: 'pending' } });
  if (claimed.count === 0) throw new ConflictError('Ce courriel est déjà en cours de renvoi.');

  const messageId = row.messageId ?? `<${createHash('sha256').update(row.idempotencyKey).digest('hex').slice(0, 32)}@april>`;
  try {
    await mailer.send({ to: row.recipient, subject: row.subject, text: row.text, messageId });
  } catch (error) {
    const lastError = String(error).slice(0, 500);
    await db.mailMessage.update({ where: { id: row.id }, data: { status: 'failed', attempts: { increment: 1 }, lastError } });
    await recordAudit(db, { actor: ctx.actor, action: 'mail.retry_failed', householdId: row.householdId ?? undefined, requestId: ctx.requestId, details: { mailId: row.id } });
    return { id: row.id, status: 'failed', lastError: maskAddressesIn(lastError) };
  }
  await db.mailMessage.update({
    where: { id: row.id },
    data: { status: 'sent', attempts: { increment: 1 }, lastError: null, messageId, sentAt: deps.clock() },
  });
  await recordAudit(db, { actor: ctx.actor, action: 'mail.retry', householdId: row.householdId ?? undefined, requestId: ctx.requestId, details: { mailId: row.id } });
  return { id: row.id, status: 'sent', lastError: null };
}
