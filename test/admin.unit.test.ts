import { maskEmail, maskRecipients } from '../api/admin/logs';
import { describePolicy, frenchDuration } from '../api/admin/policy-view';
import { days, defaultProgrammePolicy } from '../domain/programme/policy';

/** Paths of every leaf setting of the policy, e.g. `partnerCheck.deadlineMs`. */
function leaves(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  // A relapse threshold is one setting whatever its kind.
  if ('kind' in value) return [prefix];
  return Object.entries(value).flatMap(([key, inner]) => leaves(inner, prefix ? `${prefix}.${key}` : key));
}

describe('policy as shown to administrators', () => {
  const settings = describePolicy(defaultProgrammePolicy);

  test('every setting of the policy has a French label (a new setting fails here)', () => {
    expect(settings.map((s) => s.key).sort()).toEqual(leaves(defaultProgrammePolicy).sort());
    for (const setting of settings) expect(setting.label.length).toBeGreaterThan(5);
  });

  test('durations are given in days', () => {
    const byKey = Object.fromEntries(settings.map((s) => [s.key, s]));
    expect(byKey['partnerCheck.deadlineMs']).toEqual(expect.objectContaining({ value: days(10), days: 10, display: '10 jours' }));
    expect(byKey['retentionAfterClosureMs']).toEqual(expect.objectContaining({ days: 730, display: '730 jours' }));
    expect(byKey['watch.relapseArrears']?.display).toBe('1 mois de loyer');
    expect(byKey['watch.relapseThroughCommittee']?.display).toMatch(/^non/);
    expect(byKey['contact.maxFailedAttempts']?.display).toBe('8 tentatives');
    expect(frenchDuration(days(1))).toBe('1 jour');
    expect(frenchDuration(1500)).toBe('1,5 seconde');
    expect(frenchDuration(4000)).toBe('4 secondes');
  });
});

describe('recipient masking', () => {
  test.each([
    ['coordination@april.localhost', 'c***@april.localhost'],
    ['CCAS <ccas@april.localhost>', 'c***@april.localhost'],
    ['a@b.fr, zoe.martin@exemple.fr', 'a***@b.fr, z***@exemple.fr'],
    ['pas une adresse', '***'],
  ])('%s → %s', (recipient, masked) => {
    expect(maskRecipients(recipient)).toBe(masked);
  });
  test('an address without a local part is masked whole', () => expect(maskEmail('@x.fr')).toBe('***'));
});
