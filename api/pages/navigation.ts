import type { Role } from '../../generated/prisma/client';
import { isAllowed, type Permission } from '../access/permissions';

/**
 * The header's navigation: one entry per page area, shown to the roles whose policy action allows
 * it (the page itself checks again). Add your page here when you add an area.
 */
const AREAS: { href: string; text: string; action: Permission }[] = [
  { href: '/menages', text: 'Ménages', action: 'household.list' },
  { href: '/taches', text: 'Tâches', action: 'task.list' },
  { href: '/orienter', text: 'Orienter un ménage', action: 'household.refer' },
  { href: '/comite', text: 'Comité', action: 'committee.read' },
  { href: '/partenaires/verifications', text: 'Vérifications', action: 'partnerCheck.list' },
  { href: '/partenaires/relais', text: 'Passages de relais', action: 'household.acknowledgeHandoff' },
  { href: '/partenaires/liste-suivis', text: 'Liste des ménages suivis', action: 'caseload.manage' },
  { href: '/tableau-de-bord', text: 'Tableau de bord', action: 'dashboard.read' },
  { href: '/admin', text: 'Administration', action: 'mail.read' },
  { href: '/bailleur', text: 'Espace bailleur', action: 'household.updateArrears' },
  { href: '/compte', text: 'Mon compte', action: 'account.manage' },
];

/** Where `/` sends each role: its working page. */
export const HOME_OF: Record<Role, string> = {
  coordinator: '/tableau-de-bord',
  committee_member: '/comite',
  educator: '/taches',
  landlord_agent: '/bailleur',
  partner_worker: '/partenaires/verifications',
  admin: '/admin',
};

export function navigationFor(role: Role, currentPath: string) {
  return AREAS.filter((area) => isAllowed(role, area.action)).map((area) => ({
    href: area.href,
    text: area.text,
    active: currentPath === area.href || currentPath.startsWith(`${area.href}/`),
  }));
}
