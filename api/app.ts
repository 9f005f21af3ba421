import type { Client } from '@temporalio/client';
import express from 'express';
import type { Db } from '../lib/db';
import type { Logger } from '../lib/logger';
import { codecRouter, type CodecEndpointOptions } from './codec/router';
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
  /** Remote codec endpoint for the Temporal web UI; absent = not mounted. */
  codecEndpoint?: CodecEndpointOptions;
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
  if (deps.codecEndpoint) app.use('/codec', codecRouter(deps.codecEndpoint));
  app.use('/api/households', householdsRouter(households, process));
  app.use('/api/households', processRouter(process));
  app.use(notFoundRoute);
  app.use(errorHandler(deps.logger));
  return { app, households };
}
