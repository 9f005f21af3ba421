import type { NumberedEvent } from '../workflows/household/side-effects';
import type { ActivityDeps } from './index';
import { createOutbox } from './outbox';
import {
  escalationNotice, handoffRequest, partnerCheckRequest, referentAlert, referralNotification,
} from './mail-templates';

const SCHEME_LABELS: Record<string, string> = {
  asll: 'ASLL', fsl: 'FSL', protection_measure: 'mesure de protection', sector_social_worker: 'assistant social de secteur',
  ccapex_followup: 'suivi CCAPEX', other: 'autre dispositif',
};

export function createMailActivities(deps: ActivityDeps) {
  const { db } = deps;

  const sendOnce = createOutbox(deps);

  const householdLink = (id: string) => `${deps.publicUrl}/api/households/${id}`;
  const coordinators = () => db.user.findMany({ where: { role: 'coordinator', active: true }, orderBy: { id: 'asc' } });

  return {
    /** Tells every coordinator that a household was referred (no personal data in the mail). */
    async notifyCoordinationOfReferral(input: { householdId: string; idempotencyKey: string }): Promise<number> {
      const household = await db.household.findUniqueOrThrow({ where: { id: input.householdId }, include: { landlord: true } });
      const mail = referralNotification({
        landlordName: household.landlord.name,
        tenancyReference: household.tenancyReference,
        arrearsCents: household.arrearsCents,
        link: householdLink(household.id),
      });
      const recipients = await coordinators();
      for (const coordinator of recipients) {
        await sendOnce(`${input.idempotencyKey}:${coordinator.id}`, coordinator.email, 'referral_notification', mail);
      }
      return recipients.length;
    },

    /** The mails some events call for (DESIGN §3): partner checks, referent alerts, handoffs, escalations. */
    async sendHouseholdEventMails(input: { householdId: string; workflowId: string; events: NumberedEvent[] }): Promise<void> {
      const household = await db.household.findUniqueOrThrow({ where: { id: input.householdId }, include: { landlord: true } });
      const common = { landlordName: household.landlord.name, tenancyReference: household.tenancyReference, link: householdLink(household.id) };
      for (const { seq, event, taskDueAt } of input.events) {
        const key = (suffix: string) => `${input.workflowId}:event:${seq}:mail:${suffix}`;
        switch (event.type) {
          case 'partnerCheckOpened': {
            const partners = await db.partnerOrganisation.findMany({ where: { id: { in: event.partnerOrgIds } } });
            for (const partner of partners.filter((p) => p.email)) {
              const dueOn = taskDueAt ? new Date(taskDueAt).toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris' }) : undefined;
              await sendOnce(key(partner.id), partner.email!, 'partner_check_request', partnerCheckRequest({ ...common, partnerName: partner.name, dueOn }));
            }
            break;
          }
          case 'partnerReminderIssued': {
            const partners = await db.partnerOrganisation.findMany({ where: { id: { in: event.pendingPartnerOrgIds } } });
            for (const partner of partners.filter((p) => p.email)) {
              await sendOnce(key(partner.id), partner.email!, 'partner_check_reminder', partnerCheckRequest({ ...common, partnerName: partner.name, reminder: true }));
            }
            break;
          }
          case 'handoffReminderIssued': {
            const handoffTasks = await db.task.findMany({
              where: { householdId: household.id, type: 'handoff_acknowledgement', status: 'open', partnerOrganisationId: { not: null } },
            });
            for (const task of handoffTasks) {
              const partner = await db.partnerOrganisation.findUnique({ where: { id: task.partnerOrganisationId! } });
              const scheme = String((task.form as { scheme?: string } | null)?.scheme ?? 'other');
              if (partner?.email) {
                await sendOnce(key(`${partner.id}:${scheme}`), partner.email, 'handoff_reminder', handoffRequest({ ...common, partnerName: partner.name, scheme: SCHEME_LABELS[scheme] ?? scheme, reminder: true }));
              }
            }
            break;
          }
          case 'referentWorkerAlertRequested': {
            const referent = await db.referentWorker.findFirst({ where: { id: event.referentWorkerRef, householdId: household.id } });
            const partner = await db.partnerOrganisation.findUnique({ where: { id: event.partnerOrgId } });
            if (referent?.email) {
              await sendOnce(key(referent.id), referent.email, 'referent_alert', referentAlert({ ...common, referentName: referent.name, partnerName: partner?.name ?? 'Un partenaire' }));
            }
            break;
          }
          case 'handoffStarted': {
            for (const { scheme, partnerOrgId } of event.schemes) {
              const partner = partnerOrgId ? await db.partnerOrganisation.findUnique({ where: { id: partnerOrgId } }) : null;
              if (partner?.email) {
                await sendOnce(key(scheme), partner.email, 'handoff_request', handoffRequest({ ...common, partnerName: partner.name, scheme: SCHEME_LABELS[scheme] ?? scheme }));
              }
            }
            break;
          }
          case 'contactEscalated':
          case 'committeeReviewRequested': {
            const reason = event.type === 'committeeReviewRequested' ? 'rechute pendant la veille active'
              : event.reason === 'too_many_attempts' ? 'trop de tentatives de contact sans succès' : 'aucun contact établi dans le délai prévu';
            for (const coordinator of await coordinators()) {
              await sendOnce(key(coordinator.id), coordinator.email, 'escalation_notice', escalationNotice({ ...common, reason }));
            }
            break;
          }
          default:
            break;
        }
      }
    },
  };
}
