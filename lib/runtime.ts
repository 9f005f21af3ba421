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
import { checkDependencies, NOT_READY_REASONS } from './health';
import { createRegistry, registerWorkerMetrics, startOpsListener } from './metrics';
import { isPolling } from './metrics/worker';

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
  const running = await startHouseholdWorker({
    temporalAddress: services.temporalAddress,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    maxCachedWorkflows: config.temporal.maxCachedWorkflows,
    shutdownGraceMs: config.shutdownTimeoutMs,
    payloadCodec: runtime.payloadCodec,
    deps: { db: runtime.db, mailer: runtime.mailer, clock: () => new Date(), logger: runtime.logger, publicUrl: config.publicUrl },
    tracing: runtime.tracing.worker,
  });
  const ops = await startWorkerOps(config, runtime, running).catch(async (error: unknown) => {
    await running.shutdown();
    throw error;
  });
  return {
    ...running,
    shutdown: async () => {
      ops.stopping = true;
      try {
        await running.shutdown();
      } finally {
        await ops.close();
      }
    },
  };
}

/**
 * The worker's operations listener (docs/design/runtime.md, "Metrics and probes"): its probes, and
 * its metrics followed by the Temporal SDK's (read from the runtime's loopback exporter, installed
 * by the entry point with `temporalMetricsTelemetry`).
 */
async function startWorkerOps(config: AppConfig, runtime: Runtime, running: RunningWorker) {
  const registry = createRegistry();
  const workers = () => ({ households: running.worker, imports: running.importWorker });
  registerWorkerMetrics(registry, workers);
  const state = { stopping: false };
  const sdkMetrics = async () => {
    if (!config.metrics.temporalPort) return '';
    try {
      const answer = await fetch(`http://127.0.0.1:${config.metrics.temporalPort}/metrics`, { signal: AbortSignal.timeout(2_000) });
      return answer.ok ? await answer.text() : '';
    } catch {
      return ''; // no SDK exporter installed in this process (tests): the worker's own metrics only
    }
  };
  const listener = await startOpsListener({
    host: config.metrics.host,
    port: config.metrics.workerPort,
    token: config.metrics.token,
    metrics: async () => {
      const [own, sdk] = await Promise.all([registry.metrics(), sdkMetrics()]);
      return { contentType: registry.contentType, body: sdk ? `${own}\n${sdk}` : own };
    },
    probes: {
      '/health/live': async () => ({ status: 200, body: { status: 'ok' } }),
      '/health/ready': async () => {
        const checks = await checkDependencies({ db: runtime.db, temporal: runtime.temporal, namespace: config.temporal.namespace });
        const polling = Object.values(workers()).every(isPolling);
        const reasons = [
          ...(state.stopping ? [NOT_READY_REASONS.stopping] : []),
          ...(checks.postgres.ok ? [] : [NOT_READY_REASONS.postgres]),
          ...(checks.temporal.ok ? [] : [NOT_READY_REASONS.temporal]),
          ...(polling ? [] : [NOT_READY_REASONS.polling]),
        ];
        return { status: reasons.length ? 503 : 200, body: { status: reasons.length ? 'not_ready' : 'ready', reasons, checks, polling } };
      },
    },
  });
  runtime.logger.info({ host: config.metrics.host, port: listener.port }, 'worker metrics and probes listening');
  return {
    get stopping() { return state.stopping; },
    set stopping(value: boolean) { state.stopping = value; },
    port: listener.port,
    close: listener.close,
  };
}

/** The Temporal SDK runtime's Prometheus exporter, on loopback: the worker's /metrics serves its lines. */
export function temporalMetricsTelemetry(config: AppConfig) {
  if (!config.metrics.temporalPort) return undefined;
  return { metrics: { prometheus: { bindAddress: `127.0.0.1:${config.metrics.temporalPort}`, useSecondsForDurations: true } } };
}

export async function startApiPart(config: AppConfig, runtime: Runtime): Promise<{ server: Server; metricsPort: number; close(): Promise<void> }> {
  const { app, households, metrics, lifecycle } = createApp({
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
  const ops = await startOpsListener({
    host: config.metrics.host, port: config.metrics.apiPort, token: config.metrics.token,
    metrics: async () => ({ contentType: metrics.contentType, body: await metrics.metrics() }),
  }).catch(async (error: unknown) => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    throw error;
  });
  return {
    server,
    metricsPort: ops.port,
    close: async () => {
      clearInterval(timer);
      // Readiness says 503 from now on; no new connection is accepted; requests in flight finish,
      // within the bound, then whatever is left is cut (docs/design/runtime.md, "Graceful stop").
      lifecycle.stopping = true;
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const bound = setTimeout(() => {
        runtime.logger.warn({ timeoutMs: config.shutdownTimeoutMs }, 'requests still running at the end of the shutdown bound: connections closed');
        server.closeAllConnections();
      }, config.shutdownTimeoutMs);
      bound.unref();
      await drained;
      clearTimeout(bound);
      await ops.close();
    },
  };
}
