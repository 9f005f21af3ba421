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
 * crash of the worker between the SMTP server's acceptance and the row update (a database outage
 * there is waited out, retryAfterSend); the stable Message-ID lets mail clients fold such a
 * duplicate. Exactly once is not to be had from SMTP: the server's acceptance and our record
 * cannot be one transaction.
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
    // The mail is gone: recording it must outlast a database restart, or the activity's retry would
    // send it a second time (drill:crash saw 3 of 3 566 mails twice around a PostgreSQL restart).
    const sentAt = clock();
    await retryAfterSend(() => db.mailMessage.update({
      where: { id: row.id },
      // Sent: its text has done its work; keeping it would keep names and references for nothing
      // (the key, status, dates and recipient stay for the mail log).
      data: { status: 'sent', attempts: { increment: 1 }, lastError: null, messageId, sentAt, text: null },
    }));
  };
}

/** Pauses between attempts to record a mail already sent: about 30 s in all, within the activity's minute. */
export const RECORD_SENT_DELAYS_MS = [250, 500, 1_000, 2_000, 4_000, 8_000, 15_000] as const;

/**
 * Runs `write` until it succeeds, pausing between attempts; rethrows the last error when the
 * pauses are spent (the activity then fails and Temporal retries it, at the risk of a duplicate).
 */
export async function retryAfterSend<T>(
  write: () => Promise<T>,
  delaysMs: readonly number[] = RECORD_SENT_DELAYS_MS,
  pause: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= delaysMs.length) throw error;
      await pause(delaysMs[attempt]!);
    }
  }
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
