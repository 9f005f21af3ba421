import { startTracing, type Tracing } from './tracing';
import type { Server } from 'node:http';
import type { Client, Connection } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import type { Pool } from 'pg';
import { payloadCodecFor } from './codec-keys';
import { createApp } from '../api/app';
import { startHouseholdWorker, type RunningWorker } from '../workers/worker';
import { caseloadListKeyFor, type AppConfig, type ResolvedServices } from './config';
import { createDb, createPgPool, type Db } from './db';
import { createLogger, type Logger } from './logger';
import { createMailer, type Mailer } from './mailer';
import { ensureReferenceData } from './reference-data';
import { ensureSchedules } from './schedules';
import { defaultProgrammePolicy } from '../domain/programme/policy';
import { connectClient, ensureSearchAttributes } from './temporal';

/**
 * Wires the product's running parts to resolved services. `npm start` runs the worker and the API
 * in one process; in production each runs in its own container (workers/main.ts, api/main.ts).
 */
export interface Runtime {
  db: Db;
  temporal: Client;
  temporalConnection: Connection;
  payloadCodec: PayloadCodec;
  mailer: Mailer;
  logger: Logger;
  /** The same database through pg, for the API's shared sign-in limits (rate-limiter-flexible). */
  pgPool: Pool;
  tracing: Tracing;
  close(): Promise<void>;
}

export async function openRuntime(config: AppConfig, services: ResolvedServices, name: string): Promise<Runtime> {
  const logger = createLogger(config.logLevel, name);
  const db = createDb(services.databaseUrl);
  const pgPool = createPgPool(services.databaseUrl);
  const payloadCodec = payloadCodecFor(config);
  const tracing = startTracing({ serviceName: name, tracesUrl: config.tracesUrl });
  if (tracing.enabled) logger.info({ tracesUrl: config.tracesUrl }, 'traces exported over OTLP');
  const { client: temporal, connection: temporalConnection } = await connectClient(services.temporalAddress, config.temporal.namespace, payloadCodec, tracing.clientInterceptors);
  const mailer = createMailer(services.smtpUrl, config.mail.from);
  return {
    db,
    temporal,
    temporalConnection,
    payloadCodec,
    mailer,
    logger,
    pgPool,
    tracing,
    close: async () => {
      mailer.close();
      await tracing.shutdown().catch(() => undefined);
      await temporalConnection.close();
      await db.$disconnect();
      await pgPool.end();
    },
  };
}

export async function startWorkerPart(config: AppConfig, services: ResolvedServices, runtime: Runtime): Promise<RunningWorker> {
  await ensureSearchAttributes(runtime.temporalConnection, config.temporal.namespace).catch((error: unknown) =>
    // A production namespace may be managed by its operator with narrower rights: say it, go on.
    runtime.logger.warn({ err: error }, 'could not register search attributes'),
  );
  await ensureReferenceData(runtime.db);
  await ensureSchedules(runtime.temporal, { taskQueue: config.temporal.taskQueue, policy: defaultProgrammePolicy }).then(
    (result) => runtime.logger.info(result, 'schedules set (daily digest, overdue escalation, retention)'),
    // The households must go on even if the namespace refuses schedules: say it loudly, go on.
    (error: unknown) => runtime.logger.error({ err: error }, 'could not set the schedules (daily digest, overdue escalation, retention)'),
  );
  return startHouseholdWorker({
    temporalAddress: services.temporalAddress,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    maxCachedWorkflows: config.temporal.maxCachedWorkflows,
    payloadCodec: runtime.payloadCodec,
    deps: { db: runtime.db, mailer: runtime.mailer, clock: () => new Date(), logger: runtime.logger, publicUrl: config.publicUrl },
    tracing: runtime.tracing.worker,
  });
}

export async function startApiPart(config: AppConfig, runtime: Runtime): Promise<{ server: Server; close(): Promise<void> }> {
  const { app, households } = createApp({
    db: runtime.db,
    temporal: runtime.temporal,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    logger: runtime.logger,
    mailer: runtime.mailer,
    publicUrl: config.publicUrl,
    trustProxy: config.trustProxy,
    rateLimits: { pool: runtime.pgPool },
    caseloadListKey: caseloadListKeyFor(config),
    tracer: runtime.tracing.tracer,
    ...(config.codecEndpoint.token && {
      codecEndpoint: {
        codec: runtime.payloadCodec, token: config.codecEndpoint.token, uiOrigin: config.codecEndpoint.uiOrigin,
        refuseUnencrypted: config.env === 'production',
      },
    }),
  });
  const resume = () =>
    households.resumePendingStarts().catch((error: unknown) => runtime.logger.warn({ err: error }, 'resume of pending starts failed'));
  await resume();
  const timer = setInterval(() => void resume(), 60_000);
  timer.unref();
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(config.port, config.host, (error?: Error) => (error ? reject(error) : resolve(listening)));
  });
  return {
    server,
    close: async () => {
      clearInterval(timer);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
