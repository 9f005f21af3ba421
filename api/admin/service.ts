import type { z } from '../../lib/zod-fr';
import type { Accounts } from '../accounts/service';
import type { ApiCore } from '../context';
import { auditLog, mailLog } from './logs';
import { retryMail } from './mail-retry';
import { createLandlord, createPartnerOrganisation, listLandlords, listPartnerOrganisations } from './organisations';
import type { auditQuery, CreateUserBody, createLandlordBody, createPartnerOrganisationBody, listUsersQuery, mailsQuery, UpdateUserBody } from './schemas';
import { createUser, listUsers, updateUser, type AdminActor } from './users';

/**
 * The administration's reads and writes (api/admin/*) as one service, for the admin pages: the
 * same functions as the API's admin routers, so the same rules and the same audit rows.
 */
export function createAdminService({ db, clock, mailer, accounts }: Pick<ApiCore, 'db' | 'clock' | 'mailer'> & { accounts: Accounts }) {
  const deps = { db, clock, accounts };
  return {
    users: (query: z.infer<typeof listUsersQuery>) => listUsers(db, query),
    createUser: (body: CreateUserBody, by: AdminActor) => createUser(deps, body, by),
    updateUser: (id: string, body: UpdateUserBody, by: AdminActor) => updateUser(deps, id, body, by),
    /** A new invitation for an active account without a password (the previous link stops working). */
    invite: (id: string, by: AdminActor) => accounts.invite(id, by),
    /** Landlords and partner organisations, with their codes. */
    organisations: async () => {
      const [landlords, partners] = await Promise.all([listLandlords(db), listPartnerOrganisations(db)]);
      return { landlords, partners };
    },
    createLandlord: (body: z.infer<typeof createLandlordBody>, by: AdminActor) => createLandlord(deps, body, by),
    createPartnerOrganisation: (body: z.infer<typeof createPartnerOrganisationBody>, by: AdminActor) => createPartnerOrganisation(deps, body, by),
    auditLog: (query: z.infer<typeof auditQuery>) => auditLog(db, query),
    mailLog: (query: z.infer<typeof mailsQuery>) => mailLog(db, query),
    /** A failed mail sent again (503 when no mailer is configured). */
    retryMail: (id: string, by: { actor: string; requestId: string }) => retryMail({ db, mailer, clock }, id, by),
  };
}

export type AdminService = ReturnType<typeof createAdminService>;
