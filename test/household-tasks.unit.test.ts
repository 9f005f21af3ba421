import { taskChangesFor } from '../activities/household-tasks';

const ctx = { workflowId: 'household-h', householdId: 'h' };
const at = '2026-12-04T10:00:00.000Z';

describe('a partner\'s answer on its own check', () => {
  test('closes the check and writes the answer on it, the referent included', () => {
    const changes = taskChangesFor({ seq: 7, event: { type: 'partnerAnswerRecorded', at, by: { kind: 'person', id: 'u' }, partnerOrgId: 'org-a', answer: 'followed', referentWorkerRef: 'ref-1' } } as never, ctx);
    expect(changes.close).toEqual([{ where: { type: 'partner_check', partnerOrganisationId: 'org-a' }, status: 'completed' }]);
    // Whatever the status (a correction finds the check completed), never a cancelled one.
    expect(changes.record).toEqual([{ where: { type: 'partner_check', partnerOrganisationId: 'org-a', status: { not: 'cancelled' } }, result: { partnerOrgId: 'org-a', answer: 'followed', referentWorkerRef: 'ref-1' } }]);
  });

  test('an answer without referent records none', () => {
    const changes = taskChangesFor({ seq: 8, event: { type: 'partnerAnswerRecorded', at, by: { kind: 'person', id: 'u' }, partnerOrgId: 'org-b', answer: 'not_known' } } as never, ctx);
    expect(changes.record?.[0]?.result).toEqual({ partnerOrgId: 'org-b', answer: 'not_known' });
  });

  test('other events record nothing on tasks', () => {
    expect(taskChangesFor({ seq: 9, event: { type: 'partnerCheckCompleted', at, reason: 'all_answered', pendingPartnerOrgIds: [] } } as never, ctx).record).toBeUndefined();
  });
});
