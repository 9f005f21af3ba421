import type { Client } from '@temporalio/client';
import type { CaseloadListKey } from '../lib/config';
import type { Db } from '../lib/db';
import type { Logger } from '../lib/logger';
import type { Mailer } from '../lib/mailer';
import type { ProgrammePolicy } from '../domain/programme/policy';
import { createAccounts, type Accounts } from './accounts/service';
import { createAdminService, type AdminService } from './admin/service';
import type { SignInLimitStore } from './auth/rate-limit';
import { createSessions, type Sessions } from './auth/sessions';
import { tokenService } from './auth/tokens';
import { createCaseloadLists, type CaseloadLists } from './caseloads/service';
import { createCommitteeService, type CommitteeService } from './committee/service';
import { createDashboard, type Dashboard } from './dashboard/service';
import { createDirectory, type Directory } from './directory/service';
import { createHouseholdLists, type HouseholdLists } from './households/lists';
import { createHouseholdPageView, type HouseholdPageView } from './households/page-view';
import { createProcessService, type ProcessService } from './households/process-service';
import { createHouseholdService, type HouseholdService } from './households/service';
import { createArrearsImportService, type ArrearsImportService } from './imports/service';
import { createHandoffs, type Handoffs } from './partners/handoffs';
import { createPartnerChecks } from './partners/service';
import { createTaskService, type TaskService } from './tasks/service';

/** The infrastructure every service is built from. */
export interface ApiCore {
  db: Db;
  temporal: Client;
  namespace: string;
  taskQueue: string;
  logger: Logger;
  clock: () => Date;
  /** The deployment's policy (capacities, rhythm, retention). */
  policy: ProgrammePolicy;
  /** Where people reach the product (links in mails, minutes). */
  publicUrl: string;
  /** The partners' caseload lists' HMAC key (docs/privacy/caseload-lists.md). */
  caseloadListKey: CaseloadListKey;
  /**
   * For what people send themselves from the pages (a failed mail sent again) and the account mails
   * (invitations, resets: api/accounts/mail.ts); workflows mail through their activities.
   */
  mailer?: Mailer;
  households: HouseholdService;
  process: ProcessService;
}

/** The feature services the routers (and every page) read and write through; pages never reach the database. */
export interface ApiServices {
  /** Signing in and out: one service (and one rate limit) for the API and the sign-in page. */
  sessions: Sessions;
  /** Passwords people set themselves: invitations, resets, changes (api/accounts/service.ts). */
  accounts: Accounts;
  /** A person's personal API tokens. */
  tokens: ReturnType<typeof tokenService>;
  /** Who and what can be chosen in a form: active educators, landlords, partner organisations, names. */
  directory: Directory;
  /** The household lists of the pages (the household list, the landlord space). */
  householdLists: HouseholdLists;
  /** What the household's pages read beyond the case file (team details, form choices). */
  householdPage: HouseholdPageView;
  dashboard: Dashboard;
  admin: AdminService;
  committee: CommitteeService;
  partnerChecks: ReturnType<typeof createPartnerChecks>;
  handoffs: Handoffs;
  tasks: TaskService;
  imports: ArrearsImportService;
  /** Partners' caseload lists, as keyed pseudonyms (docs/privacy/caseload-lists.md). */
  caseloads: CaseloadLists;
}

/** What every router of the API is built from (one object, so a new router needs no new wiring). */
export type ApiContext = ApiCore & ApiServices;

export interface ApiContextDeps extends Omit<ApiCore, 'households' | 'process'> {
  /** Secure cookies when the product is served over HTTPS. */
  secureCookies: boolean;
  /** Failed sign-ins of one e-mail from one address before the first lock (api/auth/sessions.ts). */
  signInAttempts?: number;
  /** Where sign-in failures are counted (PostgreSQL, shared by every API process); default in memory. */
  rateLimits?: SignInLimitStore;
}

/** Every service, built once (api/app.ts); routers and pages take the result. */
export function createApiContext(deps: ApiContextDeps): ApiContext {
  const { secureCookies, signInAttempts, rateLimits, ...infrastructure } = deps;
  const households = createHouseholdService(infrastructure);
  const process = createProcessService(infrastructure);
  const core: ApiCore = { ...infrastructure, households, process };
  const directory = createDirectory(core.db);
  const tasks = createTaskService(core);
  const accounts = createAccounts({ ...core, rateLimits });
  return {
    ...core,
    sessions: createSessions({ db: core.db, clock: core.clock, secureCookies, signInAttempts, rateLimits }),
    accounts,
    tokens: tokenService(core.db, core.clock),
    directory,
    householdLists: createHouseholdLists(core, directory),
    householdPage: createHouseholdPageView(core.db, directory),
    dashboard: createDashboard(core, directory),
    admin: createAdminService({ ...core, accounts }),
    committee: createCommitteeService(core),
    partnerChecks: createPartnerChecks(core),
    handoffs: createHandoffs(core, tasks),
    tasks,
    imports: createArrearsImportService(core),
    caseloads: createCaseloadLists(core),
  };
}
