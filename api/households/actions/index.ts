import { isAllowed } from '../../access/permissions';
import type { Principal } from '../../auth/principal';
import type { HouseholdAction } from './action';
import { closeHousehold, withdrawHousehold } from './closure';
import { contactEscalationDecision, recordContactAttempt } from './contact';
import { recordPayment, recordProcedureEvent, updateArrears } from './feeds';
import { openPartnerCheck, recordCommitteeDecision, recordPartnerAnswer } from './intake';
import { acknowledgeHandoff, cancelHandoff, recordReview, reportRelapse, startHandoff, updateSupportPlan } from './support';

/**
 * The household action table, in the order of the path (the household page lists what may be done
 * now in this order). Adding an action: its rule in domain/household, one entry here, its tests.
 */
export const ACTIONS = {
  openPartnerCheck, recordPartnerAnswer, recordCommitteeDecision, recordContactAttempt, contactEscalationDecision,
  updateSupportPlan, recordReview, reportRelapse, startHandoff, acknowledgeHandoff, cancelHandoff,
  recordProcedureEvent, recordPayment, updateArrears, closeHousehold, withdrawHousehold,
} as const;

export const HOUSEHOLD_ACTIONS: readonly HouseholdAction[] = Object.values(ACTIONS);

export function actionBySlug(slug: string): HouseholdAction | undefined {
  return HOUSEHOLD_ACTIONS.find((action) => action.slug === slug);
}

/** What the viewer may do now: the workflow accepts the command at this phase ∩ the role may take it. */
export function availableActions(accepted: readonly string[], principal: Principal): HouseholdAction[] {
  return HOUSEHOLD_ACTIONS.filter((action) => accepted.includes(action.command) && isAllowed(principal.role, action.permission));
}

export { runAction, type ActionEnv, type HouseholdAction } from './action';
