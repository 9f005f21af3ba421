import type { Role, TaskStatus } from '../../generated/prisma/client';

/**
 * Who may do what, in one table (docs/design/roles-and-access.md). Two questions, answered in this order:
 * 1. may this role ever do this action? No → 403 (the role is known, saying so leaks nothing);
 * 2. is this household, task or organisation within the person's scope? No → 404, exactly as if it
 *    did not exist, so that nobody learns what another landlord or partner has on file.
 * Pure: the API's guard applies it, the unit tests walk it as a table, the access drill prints it.
 */
export const ROLES = ['coordinator', 'committee_member', 'educator', 'landlord_agent', 'partner_worker', 'admin'] as const satisfies readonly Role[];

const ALL_CASEWORK: readonly Role[] = ['coordinator', 'committee_member', 'educator'];

export const PERMISSIONS = {
  // Households
  'household.list': [...ALL_CASEWORK, 'landlord_agent', 'partner_worker'],
  'household.read': [...ALL_CASEWORK, 'landlord_agent', 'partner_worker'],
  'household.refer': ['coordinator', 'landlord_agent'],
  'household.openPartnerCheck': ['coordinator'],
  // A partner answers for its own organisation; the coordination records an answer given by phone.
  'household.recordPartnerAnswer': ['coordinator', 'partner_worker'],
  // The committee decides; the coordination, who holds the session, may record its decisions.
  'household.recordCommitteeDecision': ['coordinator', 'committee_member'],
  'household.contactEscalationDecision': ['coordinator', 'committee_member'],
  'household.recordContactAttempt': ['educator'],
  'household.updateSupportPlan': ['educator'],
  'household.recordReview': ['educator'],
  'household.startHandoff': ['educator', 'coordinator'],
  'household.acknowledgeHandoff': ['coordinator', 'partner_worker'],
  'household.cancelHandoff': ['coordinator'],
  'household.reportRelapse': ['educator', 'coordinator'],
  'household.close': ['coordinator'],
  'household.withdraw': ['coordinator'],
  // The landlord's feeds (court procedure, payments, arrears), by its agents or its system's token.
  'household.recordProcedureEvent': ['coordinator', 'landlord_agent'],
  'household.recordPayment': ['coordinator', 'landlord_agent'],
  'household.updateArrears': ['coordinator', 'landlord_agent'],
  // Task inbox
  'task.list': [...ALL_CASEWORK, 'partner_worker'],
  'task.claim': ALL_CASEWORK,
  'task.complete': [...ALL_CASEWORK, 'partner_worker'],
  // Committee sessions
  'committee.read': ['coordinator', 'committee_member'],
  'committee.manage': ['coordinator'],
  'committee.decide': ['coordinator', 'committee_member'],
  // Partner checks
  'partnerCheck.list': ['partner_worker', 'coordinator'],
  'partnerCheck.answer': ['partner_worker', 'coordinator'],
  // A partner's list of the households it follows, as keyed pseudonyms (docs/privacy/caseload-lists.md):
  // only its own workers upload or delete it; the coordination sees dates and counts, never keys.
  'caseload.manage': ['partner_worker'],
  'caseload.overview': ['coordinator'],
  // The programme's indicators and caseload (coordination's dashboard)
  'dashboard.read': ['coordinator'],
  // Administration
  'admin.users': ['admin'],
  'admin.organisations': ['admin'],
  'admin.policy': ['admin', 'coordinator'],
  'audit.read': ['admin'],
  'mail.read': ['admin', 'coordinator'],
  'mail.retry': ['admin', 'coordinator'],
  // Everyone signed in manages their own account (password, API tokens).
  'account.manage': ROLES,
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;
export const PERMISSION_NAMES = Object.keys(PERMISSIONS) as Permission[];

export function isAllowed(role: Role, action: Permission): boolean {
  return (PERMISSIONS[action] as readonly Role[]).includes(role);
}

/** Matches no row: stands in a query for a scope that is missing (an agent without landlord). */
export const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/** What the guard knows about a person: role and scope. */
export interface Viewer {
  role: Role;
  landlordId: string | null;
  partnerOrganisationId: string | null;
}

/** What decides whether a household is in a viewer's scope. */
export interface HouseholdScopeFacts {
  landlordId: string;
  /** Partner organisations a check or handoff of this household is addressed to now (`keepsPartnerInScope`). */
  addressedPartnerOrgIds: readonly string[];
}

/** The partner tasks that open a household to the organisation addressed (checks, handoffs). */
export const PARTNER_TASK_TYPES = ['partner_check', 'handoff_acknowledgement'] as const;

/** A partner task's status, and when it was answered. */
export interface PartnerTaskFacts {
  status: TaskStatus;
  completedAt: Date | null;
}

/**
 * A partner organisation reads a household while something is asked of it: a check or handoff
 * addressed to it and still open, or answered since `correctionSince` (the policy's correction
 * window: it can read and correct its answer). A cancelled task, or an answer older than the
 * window, opens nothing (docs/design/roles-and-access.md).
 */
export function keepsPartnerInScope(task: PartnerTaskFacts, correctionSince: Date): boolean {
  if (task.status === 'open' || task.status === 'claimed') return true;
  return task.status === 'completed' && task.completedAt !== null && task.completedAt >= correctionSince;
}

export function householdInScope(viewer: Viewer, household: HouseholdScopeFacts): boolean {
  switch (viewer.role) {
    case 'coordinator':
    case 'committee_member':
    case 'educator':
      // The association's team follows every household of the programme.
      return true;
    case 'landlord_agent':
      return viewer.landlordId !== null && viewer.landlordId === household.landlordId;
    case 'partner_worker':
      return viewer.partnerOrganisationId !== null && household.addressedPartnerOrgIds.includes(viewer.partnerOrganisationId);
    case 'admin':
      // Administration runs the platform; it does not read case files.
      return false;
  }
}

/** How much of a case file each role reads (data minimisation, CNIL framework for social support). */
export type CaseFileView = 'full' | 'landlord' | 'partner';

export function caseFileViewFor(role: Role): CaseFileView {
  if (role === 'landlord_agent') return 'landlord';
  if (role === 'partner_worker') return 'partner';
  return 'full';
}

export interface TaskScopeFacts extends PartnerTaskFacts {
  candidateRole: Role;
  partnerOrganisationId: string | null;
}

/**
 * Tasks a viewer sees in the inbox: the team's role work, or what was addressed to its organisation
 * while it keeps the household in scope (`keepsPartnerInScope`).
 */
export function taskInScope(viewer: Viewer, task: TaskScopeFacts, correctionSince: Date): boolean {
  switch (viewer.role) {
    case 'coordinator':
      return true;
    case 'committee_member':
    case 'educator':
      return task.candidateRole === viewer.role;
    case 'partner_worker':
      return task.candidateRole === 'partner_worker' && viewer.partnerOrganisationId !== null
        && task.partnerOrganisationId === viewer.partnerOrganisationId && keepsPartnerInScope(task, correctionSince);
    case 'landlord_agent':
    case 'admin':
      return false;
  }
}
