import type { Permission } from '../../api/access/permissions';

/**
 * The endpoints that act on one household, with the policy action each one stands for. The access
 * test and the access drill walk this list for every account, in and out of scope. A body that no
 * schema accepts (an unknown property) lets an allowed, in-scope call stop at validation (400):
 * walking the matrix changes nothing.
 */
export interface HouseholdEndpoint {
  method: 'GET' | 'POST';
  path: (householdId: string) => string;
  action: Permission;
}

const post = (suffix: string, action: Permission): HouseholdEndpoint => ({ method: 'POST', path: (id) => `/api/households/${id}/${suffix}`, action });

export const HOUSEHOLD_ENDPOINTS: HouseholdEndpoint[] = [
  { method: 'GET', path: (id) => `/api/households/${id}`, action: 'household.read' },
  post('partner-check', 'household.openPartnerCheck'),
  post('partner-answers', 'household.recordPartnerAnswer'),
  post('committee-decisions', 'household.recordCommitteeDecision'),
  post('contact-attempts', 'household.recordContactAttempt'),
  post('contact-escalation', 'household.contactEscalationDecision'),
  post('support-plan', 'household.updateSupportPlan'),
  post('reviews', 'household.recordReview'),
  post('handoff', 'household.startHandoff'),
  post('handoff/acknowledgements', 'household.acknowledgeHandoff'),
  post('handoff/cancel', 'household.cancelHandoff'),
  post('relapse', 'household.reportRelapse'),
  post('close', 'household.close'),
  post('withdraw', 'household.withdraw'),
  post('procedure-events', 'household.recordProcedureEvent'),
  post('payments', 'household.recordPayment'),
  post('arrears', 'household.updateArrears'),
];

export const MATRIX_PROBE_BODY = { unexpectedProperty: 'matrice d\'accès' };
