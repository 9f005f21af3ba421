import { maskAddressesIn, maskEmail, maskRecipients } from '../api/admin/mask';
import { retryMail } from '../api/admin/mail-retry';
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

describe('addresses inside an error text', () => {
  test.each([
    ['Error: 550 5.1.1 <personne.reelle@exemple.fr>: Recipient address rejected', 'Error: 550 5.1.1 <p***@exemple.fr>: Recipient address rejected'],
    ['Can\'t send mail - all recipients were rejected: 550 zoe.martin@exemple.fr unknown, a@b.fr full', 'Can\'t send mail - all recipients were rejected: 550 z***@exemple.fr unknown, a***@b.fr full'],
    ['"Mme Dupont" <dupont+ccas@sous.domaine.fr>; (copie: x_y@z.org)', '"Mme Dupont" <d***@sous.domaine.fr>; (copie: x***@z.org)'],
    ['Error: 451 temporary', 'Error: 451 temporary'],
  ])('%s', (text, masked) => expect(maskAddressesIn(text)).toBe(masked));
  test('no error stays no error', () => expect(maskAddressesIn(null)).toBeNull());
});

test('a retry refused again answers the server\'s error with the address masked (stored as said)', async () => {
  const row = { id: 'm1', status: 'failed', text: 'Bonjour', recipient: 'personne.reelle@exemple.fr', subject: 's', messageId: '<x@april>', idempotencyKey: 'k', householdId: null };
  const updates: unknown[] = [];
  const db = {
    mailMessage: {
      findUnique: async () => row,
      updateMany: async () => ({ count: 1 }),
      update: async (args: unknown) => updates.push(args),
    },
    auditEvent: { create: async () => undefined },
  };
  const mailer = { send: async () => { throw new Error('550 5.1.1 <personne.reelle@exemple.fr>: Recipient address rejected'); }, verify: async () => undefined, close: () => undefined };
  const result = await retryMail({ db: db as never, mailer, clock: () => new Date() }, 'm1', { actor: 'u1', requestId: 'r1' });
  expect(result).toEqual({ id: 'm1', status: 'failed', lastError: 'Error: 550 5.1.1 <p***@exemple.fr>: Recipient address rejected' });
  expect(JSON.stringify(updates)).toContain('personne.reelle@exemple.fr');
});
