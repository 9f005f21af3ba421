import { condition, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { createActivities } from '../../activities';
import { getHouseholdStateQuery, type HouseholdState, type HouseholdWorkflowInput } from './messages';

type Activities = ReturnType<typeof createActivities>;

// Database writes are short and idempotent: retry them for a long time rather than lose a step.
const db = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

// E-mail goes through an SMTP server that may be down for a while: back off further.
const mail = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

/**
 * One household, from referral to closure. This first slice records the referral, tells the
 * coordination team, and waits in the `referred` phase; the later phases build on this state.
 */
export async function householdWorkflow(input: HouseholdWorkflowInput): Promise<void> {
  const state: HouseholdState = {
    householdId: input.householdId,
    landlordId: input.landlordId,
    phase: 'referred',
    referralRecorded: false,
    history: [],
  };
  setHandler(getHouseholdStateQuery, () => state);

  const stepKey = (step: string) => `${workflowInfo().workflowId}:${step}`;

  await db.recordReferral({
    householdId: input.householdId,
    referredAt: input.referredAt,
    actor: input.referredBy,
    idempotencyKey: stepKey('referral-recorded'),
  });
  state.referralRecorded = true;
  state.history.push({ at: input.referredAt, type: 'referral_recorded' });

  await mail.notifyCoordinationOfReferral({
    householdId: input.householdId,
    idempotencyKey: stepKey('referral-notified'),
  });

  // The next phases (partner check onwards) take over from here.
  await condition(() => state.phase !== 'referred');
}
