import { createHash, randomUUID } from 'node:crypto';
import type { ActivityDeps } from './index';
import { referralNotification } from './mail-templates';

export function createMailActivities(deps: ActivityDeps) {
  const { db } = deps;

  /**
   * Sends one mail at most once per key: the outbox row says whether an earlier attempt already
   * went through. The only window for a duplicate is a crash between the SMTP server's acceptance
   * and the row update; the stable Message-ID lets mail clients fold such a duplicate.
   */
  async function sendOnce(key: string, to: string, template: string, subject: string, text: string): Promise<void> {
    const row = await db.mailMessage.upsert({
      where: { idempotencyKey: key },
      create: { id: randomUUID(), idempotencyKey: key, recipient: to, subject, template },
      update: {},
    });
    if (row.status === 'sent') return;
    const messageId = `<${createHash('sha256').update(key).digest('hex').slice(0, 32)}@april>`;
    try {
      await deps.mailer.send({ to, subject, text, messageId });
    } catch (error) {
      await db.mailMessage.update({
        where: { id: row.id },
        data: { status: 'failed', attempts: { increment: 1 }, lastError: String(error).slice(0, 500) },
      });
      throw error;
    }
    await db.mailMessage.update({
      where: { id: row.id },
      data: { status: 'sent', attempts: { increment: 1 }, lastError: null, messageId, sentAt: deps.clock() },
    });
  }

  return {
    /** Tells every coordinator that a household was referred (no personal data in the mail). */
    async notifyCoordinationOfReferral(input: { householdId: string; idempotencyKey: string }): Promise<number> {
      const household = await db.household.findUniqueOrThrow({
        where: { id: input.householdId },
        include: { landlord: true },
      });
      const coordinators = await db.user.findMany({ where: { role: 'coordinator', active: true }, orderBy: { id: 'asc' } });
      const mail = referralNotification({
        landlordName: household.landlord.name,
        tenancyReference: household.tenancyReference,
        arrearsCents: household.arrearsCents,
        link: `${deps.publicUrl}/api/households/${household.id}`,
      });
      for (const coordinator of coordinators) {
        await sendOnce(`${input.idempotencyKey}:${coordinator.id}`, coordinator.email, 'referral_notification', mail.subject, mail.text);
      }
      return coordinators.length;
    },
  };
}
