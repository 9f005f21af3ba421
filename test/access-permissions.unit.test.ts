import {
  PERMISSION_NAMES, PERMISSIONS, ROLES, caseFileViewFor, householdInScope, isAllowed, keepsPartnerInScope, taskInScope, type Permission, type Viewer,
} from '../api/access/permissions';

const LANDLORD_A = 'landlord-a';
const LANDLORD_B = 'landlord-b';
const PARTNER_A = 'partner-a';
const PARTNER_B = 'partner-b';

const viewers: Record<string, Viewer> = {
  coordinator: { role: 'coordinator', landlordId: null, partnerOrganisationId: null },
  committee_member: { role: 'committee_member', landlordId: null, partnerOrganisationId: null },
  educator: { role: 'educator', landlordId: null, partnerOrganisationId: null },
  landlord_agent: { role: 'landlord_agent', landlordId: LANDLORD_A, partnerOrganisationId: null },
  partner_worker: { role: 'partner_worker', landlordId: null, partnerOrganisationId: PARTNER_A },
  admin: { role: 'admin', landlordId: null, partnerOrganisationId: null },
  landlord_agent_without_landlord: { role: 'landlord_agent', landlordId: null, partnerOrganisationId: null },
  partner_worker_without_organisation: { role: 'partner_worker', landlordId: null, partnerOrganisationId: null },
};

describe('who may do what (the table people were told about)', () => {
  // The expected table, written out in full on purpose: a change of the policy must change this test.
  const expected: Record<Permission, string> = {
    'household.list': 'coordinator committee_member educator landlord_agent partner_worker',
    'household.read': 'coordinator committee_member educator landlord_agent partner_worker',
    'household.refer': 'coordinator landlord_agent',
    'household.openPartnerCheck': 'coordinator',
    'household.recordPartnerAnswer': 'coordinator partner_worker',
    'household.recordCommitteeDecision': 'coordinator committee_member',
    'household.contactEscalationDecision': 'coordinator committee_member',
    'household.recordContactAttempt': 'educator',
    'household.updateSupportPlan': 'educator',
    'household.recordReview': 'educator',
    'household.startHandoff': 'coordinator educator',
    'household.acknowledgeHandoff': 'coordinator partner_worker',
    'household.cancelHandoff': 'coordinator',
    'household.reportRelapse': 'coordinator educator',
    'household.close': 'coordinator',
    'household.withdraw': 'coordinator',
    'household.recordProcedureEvent': 'coordinator landlord_agent',
    'household.recordPayment': 'coordinator landlord_agent',
    'household.updateArrears': 'coordinator landlord_agent',
    'task.list': 'coordinator committee_member educator partner_worker',
    'task.claim': 'coordinator committee_member educator',
    'task.complete': 'coordinator committee_member educator partner_worker',
    'committee.read': 'coordinator committee_member',
    'committee.manage': 'coordinator',
    'committee.decide': 'coordinator committee_member',
    'partnerCheck.list': 'coordinator partner_worker',
    'partnerCheck.answer': 'coordinator partner_worker',
    'caseload.manage': 'partner_worker',
    'caseload.overview': 'coordinator',
    'dashboard.read': 'coordinator',
    'admin.users': 'admin',
    'admin.organisations': 'admin',
    'admin.policy': 'coordinator admin',
    'audit.read': 'admin',
    'mail.read': 'coordinator admin',
    'mail.retry': 'coordinator admin',
    'account.manage': 'coordinator committee_member educator landlord_agent partner_worker admin',
  };

  test('every action of the policy is in the expected table, and no more', () => {
    expect([...PERMISSION_NAMES].sort()).toEqual(Object.keys(expected).sort());
  });

  test.each(PERMISSION_NAMES.flatMap((action) => ROLES.map((role) => [action, role] as const)))('%s by %s', (action, role) => {
    expect(isAllowed(role, action)).toBe(expected[action].split(' ').includes(role));
  });

  test('administration never reads case files', () => {
    for (const action of PERMISSION_NAMES.filter((a) => a.startsWith('household.'))) {
      expect(PERMISSIONS[action]).not.toContain('admin');
    }
  });
});

describe('which households are in scope', () => {
  const table: [string, { landlordId: string; addressedPartnerOrgIds: string[] }, boolean][] = [
    ['coordinator', { landlordId: LANDLORD_B, addressedPartnerOrgIds: [] }, true],
    ['committee_member', { landlordId: LANDLORD_B, addressedPartnerOrgIds: [] }, true],
    ['educator', { landlordId: LANDLORD_B, addressedPartnerOrgIds: [] }, true],
    ['landlord_agent', { landlordId: LANDLORD_A, addressedPartnerOrgIds: [] }, true],
    ['landlord_agent', { landlordId: LANDLORD_B, addressedPartnerOrgIds: [] }, false],
    ['landlord_agent_without_landlord', { landlordId: LANDLORD_A, addressedPartnerOrgIds: [] }, false],
    ['partner_worker', { landlordId: LANDLORD_A, addressedPartnerOrgIds: [PARTNER_A, PARTNER_B] }, true],
    ['partner_worker', { landlordId: LANDLORD_A, addressedPartnerOrgIds: [PARTNER_B] }, false],
    ['partner_worker', { landlordId: LANDLORD_A, addressedPartnerOrgIds: [] }, false],
    ['partner_worker_without_organisation', { landlordId: LANDLORD_A, addressedPartnerOrgIds: [PARTNER_A] }, false],
    ['admin', { landlordId: LANDLORD_A, addressedPartnerOrgIds: [PARTNER_A] }, false],
  ];
  test.each(table)('%s, household %j → %s', (viewer, household, inScope) => {
    expect(householdInScope(viewers[viewer]!, household)).toBe(inScope);
  });
});

describe('which tasks are in scope', () => {
  const table: [string, { candidateRole: 'educator' | 'committee_member' | 'partner_worker'; partnerOrganisationId: string | null }, boolean][] = [
    ['coordinator', { candidateRole: 'partner_worker', partnerOrganisationId: PARTNER_B }, true],
    ['educator', { candidateRole: 'educator', partnerOrganisationId: null }, true],
    ['educator', { candidateRole: 'committee_member', partnerOrganisationId: null }, false],
    ['committee_member', { candidateRole: 'committee_member', partnerOrganisationId: null }, true],
    ['committee_member', { candidateRole: 'educator', partnerOrganisationId: null }, false],
    ['partner_worker', { candidateRole: 'partner_worker', partnerOrganisationId: PARTNER_A }, true],
    ['partner_worker', { candidateRole: 'partner_worker', partnerOrganisationId: PARTNER_B }, false],
    ['partner_worker_without_organisation', { candidateRole: 'partner_worker', partnerOrganisationId: PARTNER_A }, false],
    ['landlord_agent', { candidateRole: 'educator', partnerOrganisationId: null }, false],
    ['admin', { candidateRole: 'educator', partnerOrganisationId: null }, false],
  ];
  test.each(table)('%s, task %j → %s', (viewer, task, inScope) => {
    expect(taskInScope(viewers[viewer]!, { ...task, status: 'open', completedAt: null }, SINCE)).toBe(inScope);
  });
});

/** The correction window opened at SINCE: answers given after it keep the household in the partner's scope. */
const SINCE = new Date('2026-12-01T00:00:00Z');

describe('a partner task keeps the household in scope while open, or answered within the correction window', () => {
  const table: [string, { status: 'open' | 'claimed' | 'completed' | 'cancelled'; completedAt: Date | null }, boolean][] = [
    ['open', { status: 'open', completedAt: null }, true],
    ['claimed', { status: 'claimed', completedAt: null }, true],
    ['answered inside the window', { status: 'completed', completedAt: new Date('2026-12-03T10:00:00Z') }, true],
    ['answered at the window\'s start', { status: 'completed', completedAt: SINCE }, true],
    ['answered before the window', { status: 'completed', completedAt: new Date('2026-11-30T23:59:59Z') }, false],
    ['completed without a date', { status: 'completed', completedAt: null }, false],
    ['cancelled', { status: 'cancelled', completedAt: null }, false],
  ];
  test.each(table)('%s → %s', (_name, task, inScope) => {
    expect(keepsPartnerInScope(task, SINCE)).toBe(inScope);
    // The inbox follows the same rule for the organisation's own tasks.
    expect(taskInScope(viewers.partner_worker!, { ...task, candidateRole: 'partner_worker', partnerOrganisationId: PARTNER_A }, SINCE)).toBe(inScope);
  });
});

test('how much of a case file each role reads', () => {
  expect(ROLES.map((role) => [role, caseFileViewFor(role)])).toEqual([
    ['coordinator', 'full'], ['committee_member', 'full'], ['educator', 'full'],
    ['landlord_agent', 'landlord'], ['partner_worker', 'partner'], ['admin', 'full'],
  ]);
});
