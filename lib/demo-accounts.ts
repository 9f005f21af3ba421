import type { Role } from '../generated/prisma/client';
import type { Db } from './db';
import { hashPassword } from './passwords';
import { COORDINATOR, DEMO_EDUCATOR, LANDLORDS, PARTNER_ORGANISATIONS } from './reference-data';

/**
 * One fictional account per role, for the embedded product only (`npm start` without DATABASE_URL):
 * someone trying APRIL on a laptop can sign in as each of the programme's people at once. Never
 * seeded against an external database. The password is printed at start; a changed one is kept.
 */
export const DEMO_PASSWORD = 'april-demo-2026';

export const DEMO_ACCOUNTS: { id: string; email: string; displayName: string; role: Role; landlordId?: string; partnerOrganisationId?: string }[] = [
  { ...COORDINATOR, role: 'coordinator' },
  { ...DEMO_EDUCATOR, role: 'educator' },
  { id: '8b3e4c74-0000-4000-8000-000000000003', email: 'comite@april.localhost', displayName: 'Membre du comité (démo)', role: 'committee_member' },
  {
    id: '8b3e4c74-0000-4000-8000-000000000004', email: 'bailleur@april.localhost', displayName: `Agent ${LANDLORDS[0].name} (démo)`,
    role: 'landlord_agent', landlordId: LANDLORDS[0].id,
  },
  {
    id: '8b3e4c74-0000-4000-8000-000000000005', email: 'partenaire@april.localhost', displayName: `Travailleur social ${PARTNER_ORGANISATIONS[0].name} (démo)`,
    role: 'partner_worker', partnerOrganisationId: PARTNER_ORGANISATIONS[0].id,
  },
  { id: '8b3e4c74-0000-4000-8000-000000000006', email: 'admin@april.localhost', displayName: 'Administration (démo)', role: 'admin' },
];

export async function ensureDemoAccounts(db: Db): Promise<typeof DEMO_ACCOUNTS> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const account of DEMO_ACCOUNTS) {
    const existing = await db.user.findUnique({ where: { id: account.id } });
    if (!existing) await db.user.create({ data: { ...account, passwordHash } });
    else if (!existing.passwordHash) await db.user.update({ where: { id: account.id }, data: { passwordHash } });
  }
  return DEMO_ACCOUNTS;
}
