import { createHash, randomUUID } from 'node:crypto';
import type { MailText } from '../../activities/mail-templates';
import type { Db } from '../../lib/db';
import type { Logger } from '../../lib/logger';
import type { Mailer } from '../../lib/mailer';

/**
 * The account mails the API sends itself (invitation, reset, notice to the coordination), through
 * the same outbox table as the workflows' mails (docs/decisions/0003-mail-outbox.md): one row per
 * key, so that a key is sent once; the mail log shows it, failed or sent. They are sent at once,
 * within the request: the person waits for their link, and a failure is said in the answer (the
 * admin re-sends the invitation, the person asks for another reset) rather than retried unseen.
 *
 * A mail carrying a one-time link never has its text stored (`keepText: false`): the link exists
 * only in the mail itself. Such a row, once failed, cannot be sent again from the mail log (no
 * text): a new link is sent instead. The coordination's notices keep their text until sent, as the
 * workflows' mails, so that a failed one can be sent again from the mail log.
 */
export interface AccountMail {
  key: string;
  to: string;
  template: string;
  mail: MailText;
  /** Whose mail it is, for the mail log. */
  userId: string;
  keepText: boolean;
}

export type MailStatus = 'sent' | 'failed';

/** Tries a few times within the request: a busy SMTP server (4xx, unreachable) often answers the next try. */
const RETRY_DELAYS_MS = [200, 1_000] as const;

export async function sendAccountMail(
  deps: { db: Db; mailer?: Mailer; clock: () => Date; logger: Logger },
  { key, to, template, mail, userId, keepText }: AccountMail,
): Promise<MailStatus> {
  const { db, mailer } = deps;
  const row = await db.mailMessage.upsert({
    where: { idempotencyKey: key },
    create: { id: randomUUID(), idempotencyKey: key, recipient: to, subject: mail.subject, text: keepText ? mail.text : null, template, userId },
    update: {},
  });
  if (row.status === 'sent') return 'sent';
  const messageId = `<${createHash('sha256').update(key).digest('hex').slice(0, 32)}@april>`;
  let lastError = 'L\'envoi de courriels n\'est pas configuré sur ce serveur.';
  if (mailer) {
    for (let attempt = 0; ; attempt++) {
      try {
        await mailer.send({ to, subject: mail.subject, text: mail.text, messageId });
        await db.mailMessage.update({
          where: { id: row.id },
          data: { status: 'sent', attempts: { increment: attempt + 1 }, lastError: null, messageId, sentAt: deps.clock(), text: null },
        });
        return 'sent';
      } catch (error) {
        lastError = String(error).slice(0, 500);
        const code = typeof error === 'object' && error !== null && 'responseCode' in error ? Number((error as { responseCode: unknown }).responseCode) : undefined;
        // A permanent refusal (5xx) will not pass on a retry.
        if ((code !== undefined && code >= 500) || attempt >= RETRY_DELAYS_MS.length) {
          await db.mailMessage.update({ where: { id: row.id }, data: { status: 'failed', attempts: { increment: attempt + 1 }, lastError } });
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, RETRY_DELAYS_MS[attempt]));
      }
    }
  } else {
    await db.mailMessage.update({ where: { id: row.id }, data: { status: 'failed', lastError } });
  }
  // The template and the row's id only: the address stays out of the logs.
  deps.logger.warn({ template, mailId: row.id }, 'account mail not sent');
  return 'failed';
}
