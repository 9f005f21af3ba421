import { Context } from '@temporalio/activity';
import type { RelapseSignal } from '../domain/household/event-types';
import type { NumberedEvent } from '../workflows/household/side-effects';
import type { ActivityDeps } from './index';
import { productLinks } from './links';
import { label, PROCEDURE_LABELS, SCHEME_LABELS, TASK_TYPE_LABELS } from '../domain/labels';
import { frenchDate } from './mail-format';
import { createOutbox } from './outbox';
import {
  escalationNotice, handoffRequest, newTaskNotice, partnerCheckRequest, referentAlert, referralNotification, relapseAlert,
} from './mail-templates';

const euros = (cents: number) => new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' }).format(cents / 100);

function relapseSignalText(signal: RelapseSignal): string {
  switch (signal.kind) {
    case 'arrears_above_threshold':
      return `dette locative de ${euros(signal.arrearsCents)}, au-dessus du seuil de ${euros(signal.thresholdCents)}`;
    case 'procedure_event':
      return `nouvelle étape de la procédure : ${label(PROCEDURE_LABELS, signal.procedureType)}`;
    case 'reported':
      return 'rechute signalée par l\'équipe';
  }
}

/** The attempt number of the running activity; undefined when called outside Temporal (tests). */
function activityAttempt(): number | undefined {
  try {
    return Context.current().info.attempt;
  } catch {
    return undefined;
  }
}

export function createMailActivities(deps: ActivityDeps) {
  const { db } = deps;

  const sendOnce = createOutbox(deps);
  const links = productLinks(deps.publicUrl);
  const coordinators = () => db.user.findMany({ where: { role: 'coordinator', active: true }, orderBy: { id: 'asc' } });

  return {
    /** Tells every coordinator that a household was referred (no personal data in the mail). */
    async notifyCoordinationOfReferral(input: { householdId: string; idempotencyKey: string }): Promise<number> {
      const household = await db.household.findUniqueOrThrow({ where: { id: input.householdId }, include: { landlord: true } });
      const mail = referralNotification({
        landlordName: household.landlord.name,
        tenancyReference: household.tenancyReference,
        arrearsCents: household.arrearsCents,
        link: links.household(household.id),
      });
      const recipients = await coordinators();
      for (const coordinator of recipients) {
        await sendOnce(`${input.idempotencyKey}:${coordinator.id}`, coordinator.email, 'referral_notification', mail, { householdId: household.id, userId: coordinator.id });
      }
      return recipients.length;
    },

    /**
     * The mails some events call for (docs/design/process.md): partner checks, referent alerts, handoffs,
     * escalations, relapse alerts, and the new tasks assigned to a person. Runs after the events'
     * tasks are written (recordHouseholdEvents), so it can point at them.
     */
    async sendHouseholdEventMails(input: { householdId: string; workflowId: string; events: NumberedEvent[] }): Promise<void> {
      const household = await db.household.findUniqueOrThrow({ where: { id: input.householdId }, include: { landlord: true } });
      const householdId = household.id;
      const common = { landlordName: household.landlord.name, tenancyReference: household.tenancyReference, link: links.household(household.id) };
      // Whoever acted in this batch knows what it opened: no "new task" mail to them.
      const actors = new Set(input.events.flatMap(({ event }) => ('by' in event && event.by ? [event.by.id] : [])));
      const batchHas = (type: string) => input.events.some(({ event }) => event.type === type);
      /** The open partner-check task addressed to an organisation: its page is where the partner answers. */
      const partnerCheckLink = async (partnerOrganisationId: string, taskKey?: string) => {
        const task = await db.task.findFirst({
          where: { householdId, type: 'partner_check', partnerOrganisationId, ...(taskKey ? { idempotencyKey: taskKey } : { status: { in: ['open', 'claimed'] } }) },
          orderBy: { createdAt: 'desc' },
        });
        return task ? links.partnerCheck(task.id) : links.inbox();
      };

      for (const { seq, event, taskDueAt } of input.events) {
        const key = (suffix: string) => `${input.workflowId}:event:${seq}:mail:${suffix}`;
        switch (event.type) {
          case 'partnerCheckOpened': {
            const partners = await db.partnerOrganisation.findMany({ where: { id: { in: event.partnerOrgIds } } });
            for (const partner of partners.filter((p) => p.email)) {
              const dueOn = taskDueAt ? frenchDate(taskDueAt) : undefined;
              // The task's key is the one taskChangesFor gives it (activities/household-tasks.ts).
              const link = await partnerCheckLink(partner.id, `${input.workflowId}:event:${seq}:${partner.id}`);
              await sendOnce(key(partner.id), partner.email!, 'partner_check_request', partnerCheckRequest({ ...common, partnerName: partner.name, dueOn, link }), { householdId });
            }
            break;
          }
          case 'partnerReminderIssued': {
            const partners = await db.partnerOrganisation.findMany({ where: { id: { in: event.pendingPartnerOrgIds } } });
            for (const partner of partners.filter((p) => p.email)) {
              const link = await partnerCheckLink(partner.id);
              await sendOnce(key(partner.id), partner.email!, 'partner_check_reminder', partnerCheckRequest({ ...common, partnerName: partner.name, reminder: true, link }), { householdId });
            }
            break;
          }
          case 'handoffReminderIssued': {
            const handoffTasks = await db.task.findMany({
              where: { householdId, type: 'handoff_acknowledgement', status: 'open', partnerOrganisationId: { not: null } },
            });
            for (const task of handoffTasks) {
              const partner = await db.partnerOrganisation.findUnique({ where: { id: task.partnerOrganisationId! } });
              const scheme = String((task.form as { scheme?: string } | null)?.scheme ?? 'other');
              if (partner?.email) {
                await sendOnce(key(`${partner.id}:${scheme}`), partner.email, 'handoff_reminder', handoffRequest({ ...common, partnerName: partner.name, scheme: label(SCHEME_LABELS, scheme), reminder: true }), { householdId });
              }
            }
            break;
          }
          case 'referentWorkerAlertRequested': {
            const referent = await db.referentWorker.findFirst({ where: { id: event.referentWorkerRef, householdId } });
            const partner = await db.partnerOrganisation.findUnique({ where: { id: event.partnerOrgId } });
            if (referent?.email) {
              await sendOnce(key(referent.id), referent.email, 'referent_alert', referentAlert({ ...common, referentName: referent.name, partnerName: partner?.name ?? 'Un partenaire' }), { householdId });
            }
            break;
          }
          case 'handoffStarted': {
            for (const { scheme, partnerOrgId } of event.schemes) {
              const partner = partnerOrgId ? await db.partnerOrganisation.findUnique({ where: { id: partnerOrgId } }) : null;
              if (partner?.email) {
                await sendOnce(key(scheme), partner.email, 'handoff_request', handoffRequest({ ...common, partnerName: partner.name, scheme: label(SCHEME_LABELS, scheme) }), { householdId });
              }
            }
            break;
          }
          case 'contactEscalated':
          case 'committeeReviewRequested': {
            const reason = event.type === 'committeeReviewRequested' ? 'rechute pendant la veille active'
              : event.reason === 'too_many_attempts' ? 'trop de tentatives de contact sans succès' : 'aucun contact établi dans le délai prévu';
            for (const coordinator of await coordinators()) {
              await sendOnce(key(coordinator.id), coordinator.email, 'escalation_notice', escalationNotice({ ...common, reason }), { householdId, userId: coordinator.id });
            }
            break;
          }
          case 'relapseDetected': {
            // The educator, unless they reported it themselves; the coordination, unless the same
            // batch sends the case to the committee (its escalation notice already says why).
            const educator = household.educatorId && household.educatorId !== event.by?.id
              ? await db.user.findFirst({ where: { id: household.educatorId, active: true } })
              : null;
            const recipients = [...(educator ? [educator] : []), ...(batchHas('committeeReviewRequested') ? [] : await coordinators())];
            const mail = relapseAlert({
              ...common,
              signals: event.signals.map(relapseSignalText),
              next: batchHas('committeeReviewRequested')
                ? 'La situation est inscrite à l\'ordre du jour du comité.'
                : 'L\'accompagnement reprend : l\'éducateur référent reprend contact avec le ménage.',
            });
            for (const user of recipients) {
              await sendOnce(key(user.id), user.email, 'relapse_alert', mail, { householdId, userId: user.id });
            }
            break;
          }
          default:
            break;
        }

        // Tasks this event opened for a named person (contact attempts, reviews, watch check-ins):
        // tell that person of the first of each series for a household. The next attempt, the
        // next monthly review, are in their daily digest (and reminded when overdue), or an
        // educator with twenty households would get a mail every few hours. Tasks opened for a
        // whole role are in the team's digest too.
        const opened = `${input.workflowId}:event:${seq}:`;
        const assigned = await db.task.findMany({
          where: { householdId, idempotencyKey: { startsWith: opened }, assigneeId: { not: null }, status: { in: ['open', 'claimed'] } },
        });
        for (const task of assigned) {
          if (actors.has(task.assigneeId!)) continue;
          const earlier = await db.task.count({
            where: { householdId, type: task.type, assigneeId: task.assigneeId, NOT: { idempotencyKey: { startsWith: opened } } },
          });
          if (earlier > 0) continue;
          const assignee = await db.user.findFirst({ where: { id: task.assigneeId!, active: true } });
          if (!assignee) continue;
          const mail = newTaskNotice({
            ...common, taskLabel: label(TASK_TYPE_LABELS, task.type), dueOn: task.dueAt ? frenchDate(task.dueAt) : undefined, link: links.task(task.id),
          });
          await sendOnce(key(`task:${task.id}`), assignee.email, 'new_task', mail, { householdId, userId: assignee.id });
        }
      }

      // An earlier attempt of this activity may have recorded a mail and died before sending it.
      // Some choices above depend on the moment (a task since completed gets no "new task" mail,
      // an acknowledged handoff no reminder): the recorded row is the decision, so send it as
      // recorded rather than leave it pending for ever (drill:crash found one).
      // Only a retry can find such a row: the first attempt skips the query (the key prefix is not
      // served by an index, and this runs for every batch of every household).
      if (activityAttempt() === 1) return;
      const pending = await db.mailMessage.findMany({
        where: {
          status: 'pending', text: { not: null },
          OR: input.events.map(({ seq }) => ({ idempotencyKey: { startsWith: `${input.workflowId}:event:${seq}:mail:` } })),
        },
      });
      for (const row of pending) {
        await sendOnce(row.idempotencyKey, row.recipient, row.template, { subject: row.subject, text: row.text! }, {
          householdId: row.householdId ?? undefined, userId: row.userId ?? undefined,
        });
      }
    },
  };
}
