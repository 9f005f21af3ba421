import { randomUUID } from 'node:crypto';
import type { Role } from '../../generated/prisma/client';
import { hashSecret, newSecret } from '../../api/auth/secrets';
import type { Db } from '../../lib/db';
import { hashPassword } from '../../lib/passwords';
import { COORDINATOR, DEMO_EDUCATOR, LANDLORDS, PARTNER_ORGANISATIONS } from '../../lib/reference-data';

/** A test account: its id and the headers that authenticate as it (a personal API token). */
export interface TestAccount {
  id: string;
  email: string;
  role: Role;
  headers: Record<string, string>;
}

export type AccountName =
  | 'coordinator' | 'committee_member' | 'educator' | 'educator2' | 'landlord_agent' | 'other_landlord_agent'
  | 'partner_worker' | 'other_partner_worker' | 'admin';

export const TEST_PASSWORD = 'mot-de-passe-de-test-2026';

/**
 * One account per role and scope (plus a second educator, a second landlord's agent and a second
 * partner) with a fresh API token each. The coordinator and the first educator are the reference
 * users, so that the demo educator admitted by the committee is the one whose inbox the tests read.
 */
export async function createTestAccounts(db: Db): Promise<Record<AccountName, TestAccount>> {
  const suffix = randomUUID().slice(0, 8);
  const passwordHash = await hashPassword(TEST_PASSWORD);
  const specs: Record<AccountName, { id?: string; role: Role; landlordId?: string; partnerOrganisationId?: string }> = {
    coordinator: { id: COORDINATOR.id, role: 'coordinator' },
    committee_member: { role: 'committee_member' },
    educator: { id: DEMO_EDUCATOR.id, role: 'educator' },
    educator2: { role: 'educator' },
    landlord_agent: { role: 'landlord_agent', landlordId: LANDLORDS[0].id },
    other_landlord_agent: { role: 'landlord_agent', landlordId: LANDLORDS[1].id },
    partner_worker: { role: 'partner_worker', partnerOrganisationId: PARTNER_ORGANISATIONS[0].id },
    other_partner_worker: { role: 'partner_worker', partnerOrganisationId: PARTNER_ORGANISATIONS[1].id },
    admin: { role: 'admin' },
  };
  const accounts = {} as Record<AccountName, TestAccount>;
  for (const [name, spec] of Object.entries(specs) as [AccountName, (typeof specs)[AccountName]][]) {
    let id = spec.id;
    let email: string;
    if (id) {
      // Reference users sign in with the test password too (pages are tested through sign-in).
      email = (await db.user.update({ where: { id }, data: { passwordHash } })).email;
    } else {
      id = randomUUID();
      email = `${name.replace(/_/g, '-')}-${suffix}@test.april.localhost`;
      await db.user.create({
        data: { id, email, displayName: `${name} ${suffix}`, role: spec.role, passwordHash, landlordId: spec.landlordId, partnerOrganisationId: spec.partnerOrganisationId },
      });
    }
    const token = newSecret('april');
    await db.apiToken.create({ data: { id: randomUUID(), userId: id, name: `test ${suffix}`, prefix: token.slice(0, 12), tokenHash: hashSecret(token) } });
    accounts[name] = { id, email, role: spec.role, headers: { authorization: `Bearer ${token}` } };
  }
  return accounts;
}
