import type { Db } from './db';

/**
 * Reference data every deployment starts with: the programme's three landlords and the partner
 * organisations of the platform named in the project sheet (fictional mailboxes), plus the coordination mailbox. Fixed ids so that a
 * second start, the tests and the demo all agree. Idempotent.
 */
export const LANDLORDS = [
  { id: '6f1c2a52-0000-4000-8000-000000000001', code: 'plurial-novilia', name: 'Plurial Novilia' },
  { id: '6f1c2a52-0000-4000-8000-000000000002', code: 'foyer-remois', name: 'Foyer Rémois' },
  { id: '6f1c2a52-0000-4000-8000-000000000003', code: 'reims-habitat', name: 'Reims Habitat' },
] as const;

export const PARTNER_ORGANISATIONS = [
  { id: '7a2d3b63-0000-4000-8000-000000000001', code: 'ccas-reims', name: 'CCAS de Reims', email: 'ccas@april.localhost' },
  { id: '7a2d3b63-0000-4000-8000-000000000002', code: 'departement-marne', name: 'Conseil départemental de la Marne', email: 'departement@april.localhost' },
  { id: '7a2d3b63-0000-4000-8000-000000000003', code: 'caf-marne', name: 'CAF de la Marne', email: 'caf@april.localhost' },
  { id: '7a2d3b63-0000-4000-8000-000000000004', code: 'ville-reims', name: 'Ville de Reims', email: 'ville@april.localhost' },
  { id: '7a2d3b63-0000-4000-8000-000000000005', code: 'ddcsp', name: 'DDCSP de la Marne', email: 'ddcsp@april.localhost' },
  { id: '7a2d3b63-0000-4000-8000-000000000006', code: 'chu-cmp', name: 'CHU et CMP de Reims', email: 'sante@april.localhost' },
  { id: '7a2d3b63-0000-4000-8000-000000000007', code: 'mission-locale', name: 'Mission locale de Reims', email: 'mission-locale@april.localhost' },
] as const;

export const COORDINATOR = {
  id: '8b3e4c74-0000-4000-8000-000000000001',
  email: 'coordination@april.localhost',
  displayName: 'Coordination APRIL',
} as const;

/** A demo educator of the Club de Prévention, so that a committee can admit a household out of the box. */
export const DEMO_EDUCATOR = {
  id: '8b3e4c74-0000-4000-8000-000000000002',
  email: 'educateur@april.localhost',
  displayName: 'Éducateur (démo)',
} as const;

export async function ensureReferenceData(db: Db): Promise<void> {
  // INSERT … ON CONFLICT DO NOTHING: two processes starting at once on a fresh database (a worker
  // and an API, two test files) both insert, and neither fails (upsert reads first, then inserts).
  await db.landlord.createMany({ data: [...LANDLORDS], skipDuplicates: true });
  await db.partnerOrganisation.createMany({ data: [...PARTNER_ORGANISATIONS], skipDuplicates: true });
  await db.user.createMany({
    data: [{ ...COORDINATOR, role: 'coordinator' }, { ...DEMO_EDUCATOR, role: 'educator' }],
    skipDuplicates: true,
  });
}
