import type { Client } from '@temporalio/client';
import express from 'express';
import type { Db } from '../lib/db';
import type { Logger } from '../lib/logger';
import { errorHandler, notFoundRoute, requestId } from './errors';
import { healthRouter } from './health/router';
import { householdsRouter } from './households/router';
import { createHouseholdService } from './households/service';

export interface AppDeps {
  db: Db;
  temporal: Client;
  namespace: string;
  taskQueue: string;
  logger: Logger;
  clock?: () => Date;
}

export function createApp(deps: AppDeps) {
  const clock = deps.clock ?? (() => new Date());
  const households = createHouseholdService({ ...deps, clock });
  const app = express();
  app.disable('x-powered-by');
  app.use(requestId);
  app.use(express.json({ limit: '100kb' }));
  app.use('/health', healthRouter(deps));
  app.use('/api/households', householdsRouter(households));
  app.use(notFoundRoute);
  app.use(errorHandler(deps.logger));
  return { app, households };
}
