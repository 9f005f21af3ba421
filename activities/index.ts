import type { Db } from '../lib/db';
import type { Logger } from '../lib/logger';
import type { Mailer } from '../lib/mailer';
import { createArrearsImportActivities } from './arrears-import-activities';
import { createHouseholdActivities } from './household-activities';
import { createJobActivities } from './job-activities';
import { createLegalActivities } from './legal-activities';
import { createMailActivities } from './mail-activities';
import { createRetentionActivities } from './retention-activities';

export interface ActivityDeps {
  db: Db;
  mailer: Mailer;
  /** Injected so that tests and drills can pin time; activities never call `new Date()` directly. */
  clock: () => Date;
  logger: Logger;
  publicUrl: string;
}

/** Every activity the workflows may call (households, scheduled jobs), wired to its dependencies by the worker. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createHouseholdActivities(deps),
    ...createMailActivities(deps),
    ...createLegalActivities(deps),
    ...createJobActivities(deps),
    ...createRetentionActivities(deps),
    ...createArrearsImportActivities(deps),
  };
}
