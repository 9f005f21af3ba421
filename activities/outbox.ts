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
/** Whose mail a row is, so that the admin's mail log can filter by household or by user. */
export interface MailOwner {
  householdId?: string;
  userId?: string;
}

export type SendOnce = (key: string, to: string, template: string, mail: MailText, owner?: MailOwner) => Promise<void>;

export function createOutbox({ db, mailer, clock }: Pick<ActivityDeps, 'db' | 'mailer' | 'clock'>): SendOnce {
  return async function sendOnce(key, to, template, mail, owner = {}) {
    const row = await db.mailMessage.upsert({
      where: { idempotencyKey: key },
      create: {
        id: randomUUID(), idempotencyKey: key, recipient: to, subject: mail.subject, text: mail.text, template,
        householdId: owner.householdId ?? null, userId: owner.userId ?? null,
      },
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

/**
 * Sends to several recipients, each on its own: one refused address must not keep the others
 * from their mail. Then fails like the worst failure, so that Temporal retries (the outbox skips
 * what went through) when any failure may pass, and gives up when all were refused for good.
 */
export async function sendToEach(sends: (() => Promise<void>)[]): Promise<void> {
  const failures: unknown[] = [];
  for (const send of sends) {
    try {
      await send();
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length === 0) return;
  const retryable = failures.find((f) => !(f instanceof ApplicationFailure && f.nonRetryable));
  throw retryable ?? failures[0];
}
