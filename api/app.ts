import type { Client } from '@temporalio/client';
import express from 'express';
import type { Db } from '../lib/db';
import type { Logger } from '../lib/logger';
import { errorHandler, notFoundRoute, requestId } from './errors';
import { healthRouter } from './health/router';
import { householdsRouter } from './households/router';
import { createProcessService } from './households/process-service';
import { processRouter } from './households/process-router';
import { createHouseholdService } from './households/service';
import { defaultPolicy, type Policy } from '../workflows/domain/policy';

export interface AppDeps {
  db: Db;
  temporal: Client;
  namespace: string;
  taskQueue: string;
  logger: Logger;
  clock?: () => Date;
  /** Deployment policy for new households (default: the programme's rhythm). */
  policy?: Policy;
}

export function createApp(deps: AppDeps) {
  const clock = deps.clock ?? (() => new Date());
  const households = createHouseholdService({ ...deps, clock, policy: deps.policy ?? defaultPolicy });
  const process = createProcessService(deps);
  const app = express();
  app.disable('x-powered-by');
  app.use(requestId);
  app.use(express.json({ limit: '100kb' }));
  app.use('/health', healthRouter(deps));
  app.use('/api/households', householdsRouter(households, process));
  app.use('/api/households', processRouter(process));
  app.use(notFoundRoute);
  app.use(errorHandler(deps.logger));
  return { app, households };
}
