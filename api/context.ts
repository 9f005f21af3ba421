import type { Client } from '@temporalio/client';
import type { Db } from '../lib/db';
import type { Logger } from '../lib/logger';
import type { Mailer } from '../lib/mailer';
import type { ProgrammePolicy } from '../domain/programme/policy';
import type { ProcessService } from './households/process-service';
import type { HouseholdPageView } from './households/page-view';
import type { HouseholdService } from './households/service';

/** What every router of the API is built from (one object, so a new router needs no new wiring). */
export interface ApiContext {
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
  /** For what people send themselves from the pages (a failed mail sent again); workflows mail through their activities. */
  mailer?: Mailer;
  households: HouseholdService;
  process: ProcessService;
  /** What the household's pages read beyond the case file (team details, form choices). */
  householdPage: HouseholdPageView;
}
