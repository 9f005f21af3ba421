import { createHash, randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityDeps } from './index';
import type { MailText } from './mail-templates';

/**
 * What Temporal keeps of a mail failure: the SMTP code, never the server's text (it quotes the
 * recipient's address). A 5xx answer is permanent: retrying would only hold the household up.
 */
export function smtpFailure(error: unknown): ApplicationFailure {
  const code = typeof error === 'object' && error !== null && 'responseCode' in error ? Number((error as { responseCode: unknown }).responseCode) : undefined;
  const message = code ? `SMTP server answered ${code}` : 'SMTP server unreachable';
  return code && code >= 500 ? ApplicationFailure.nonRetryable(message, 'SmtpRejected') : ApplicationFailure.retryable(message, 'SmtpUnavailable');
}

/**
 * Sends one mail at most once per key: the outbox row says whether an earlier attempt already went
 * through, and records failures for the coordination to see. The only window for a duplicate is a
 * crash between the SMTP server's acceptance and the row update; the stable Message-ID lets mail
 * clients fold such a duplicate.
 */
export function createOutbox({ db, mailer, clock }: Pick<ActivityDeps, 'db' | 'mailer' | 'clock'>) {
  return async function sendOnce(key: string, to: string, template: string, mail: MailText): Promise<void> {
    const row = await db.mailMessage.upsert({
      where: { idempotencyKey: key },
      create: { id: randomUUID(), idempotencyKey: key, recipient: to, subject: mail.subject, template },
      update: {},
    });
    if (row.status === 'sent') return;
    const messageId = `<${createHash('sha256').update(key).digest('hex').slice(0, 32)}@april>`;
    try {
      await mailer.send({ to, subject: mail.subject, text: mail.text, messageId });
    } catch (error) {
      await db.mailMessage.update({
        where: { id: row.id },
        data: { status: 'failed', attempts: { increment: 1 }, lastError: String(error).slice(0, 500) },
      });
      throw smtpFailure(error);
    }
    await db.mailMessage.update({
      where: { id: row.id },
      data: { status: 'sent', attempts: { increment: 1 }, lastError: null, messageId, sentAt: clock() },
    });
  };
}
