import { proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../../activities';

type Activities = ReturnType<typeof createActivities>;

/** Listings and database writes: short and idempotent, retried until the database answers. */
export const jobSteps = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Anonymising one household: a fault that survives ten attempts is a bug to look at, not a reason to stop the batch. */
export const anonymisation = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
});

const mailRetry = { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' } as const;

/** A digest is stale by the next morning: give up after half a day, leaving the outbox row `failed`. */
export const digestMail = proxyActivities<Activities>({ startToCloseTimeout: '1 minute', scheduleToCloseTimeout: '12 hours', retry: mailRetry });

/** Escalations and agendas: retried for a day (an SMTP outage), then `failed` in the mail log. */
export const jobMail = proxyActivities<Activities>({ startToCloseTimeout: '1 minute', scheduleToCloseTimeout: '1 day', retry: mailRetry });
