import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import type { Registry } from 'prom-client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createApp } from '../../api/app';
import { createDb, createPgPool, type Db } from '../../lib/db';
import { createLogger } from '../../lib/logger';
import { createMailer, type Mailer } from '../../lib/mailer';
import { ensureReferenceData } from '../../lib/reference-data';
import { AesGcmPayloadCodec } from '../../lib/payload-codec';
import { dataConverterFor, ensureSearchAttributes } from '../../lib/temporal';
import type { ProgrammePolicy } from '../../domain/programme/policy';
import type { Tracing } from '../../lib/tracing';
import { startHouseholdWorker, type RunningWorker } from '../../workers/worker';
import { createTestAccounts, type AccountName, type TestAccount } from './accounts';
import { fastPolicy } from './policy';
import { sharedWorkflowBundle } from './workflow-bundle';

/**
 * What an integration test file needs: the real services from the global setup, the API on a free
 * port, and a worker on a task queue of its own (so files never steal each other's tasks) that a
 * test can stop and start again.
 */
export interface Harness {
  baseUrl: string;
  db: Db;
  temporal: Client;
  mailer: Mailer;
  taskQueue: string;
  /** The app's metrics registry (what its operations listener serves: lib/metrics). */
  metrics: Registry;
  services: ReturnType<typeof testServices>;
  /** One account per role and scope, each with an API token (see accounts.ts). */
  as: Record<AccountName, TestAccount>;
  startWorker(): Promise<RunningWorker>;
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

export function testServices() {
  const required = (name: string) => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set: run the integration tests through jest (global setup)`);
    return value;
  };
  return {
    databaseUrl: required('TEST_DATABASE_URL'),
    temporalAddress: required('TEST_TEMPORAL_ADDRESS'),
    smtpUrl: required('TEST_SMTP_URL'),
    mailInboxUrl: process.env.TEST_MAIL_INBOX_URL,
  };
}

/** The tests' own key: every payload of every test workflow is encrypted, as in production. */
export const testPayloadCodec = new AesGcmPayloadCodec({ keys: [{ id: 'test', key: Buffer.alloc(32, 42) }], activeKeyId: 'test' });

export function quietTemporalRuntime(): void {
  try {
    Runtime.install({ logger: new DefaultLogger((process.env.TEST_TEMPORAL_LOG_LEVEL as 'WARN') ?? 'WARN') });
  } catch {
    // Already installed by an earlier test file in this jest worker process.
  }
}

export interface HarnessOptions {
  startWorker?: boolean;
  /**
   * The database to this file alone while its harness is open: for a file that counts every table
   * (fuzz). Every other harness holds a shared lock, so two jest workers never overlap it.
   */
  quietDatabase?: boolean;
  policy?: ProgrammePolicy;
  app?: Partial<Parameters<typeof createApp>[0]>;
  /** Traces (lib/tracing.ts): the client, the app and the worker traced; the worker bundles its own workflow code then. */
  tracing?: Tracing;
}

export async function openHarness(options: HarnessOptions = {}): Promise<Harness> {
  quietTemporalRuntime();
  const services = testServices();
  const namespace = 'default';
  const taskQueue = `test-${randomUUID()}`;
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent', 'april-test');
  const lock = await databaseLock(services.databaseUrl, options.quietDatabase ? 'exclusive' : 'shared');
  const db = createDb(services.databaseUrl);
  await ensureReferenceData(db);
  const connection = await Connection.connect({ address: services.temporalAddress });
  await ensureSearchAttributes(connection, namespace);
  const temporal = new Client({ connection, namespace, dataConverter: dataConverterFor(testPayloadCodec), interceptors: { workflow: options.tracing?.clientInterceptors ?? [] } });
  const mailer = createMailer(services.smtpUrl, 'APRIL test <test@april.localhost>');

  const accounts = await createTestAccounts(db);
  // The server listens first, so that the app knows its port: links in the mails the API sends
  // itself (invitations, resets) point at the test's own server, as the worker's do.
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The sign-in limits in the test database, as in production; this app's own budget (the reference
  // accounts sign in from every test file, and one test exhausts a budget on purpose).
  const pgPool = createPgPool(services.databaseUrl, 2);
  const { app, metrics } = createApp({ db, temporal, namespace, taskQueue, logger, mailer, policy: options.policy ?? fastPolicy, publicUrl: baseUrl, rateLimits: { pool: pgPool, prefix: `${taskQueue}:` }, ...(options.tracing && { tracer: options.tracing.tracer }), ...options.app });
  server.on('request', app);

  let worker: RunningWorker | undefined;
  const harness: Harness = {
    baseUrl,
    db,
    temporal,
    mailer,
    taskQueue,
    metrics,
    services,
    as: accounts,
    async startWorker() {
      if (worker) throw new Error('worker already running');
      worker = await startHouseholdWorker({
        temporalAddress: services.temporalAddress,
        namespace,
        taskQueue,
        // A traced worker bundles the workflow code with the tracing interceptors inside.
        ...(options.tracing?.worker ? { tracing: options.tracing.worker } : { workflowBundle: await sharedWorkflowBundle() }),
        payloadCodec: testPayloadCodec,
        deps: { db, mailer, clock: () => new Date(), logger, publicUrl: baseUrl },
      });
      return worker;
    },
    async stopWorker() {
      const running = worker;
      worker = undefined;
      await running?.shutdown();
    },
    async close() {
      await harness.stopWorker();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      mailer.close();
      await connection.close();
      await db.$disconnect();
      await pgPool.end();
      await lock.end();
    },
  };
  if (options.startWorker !== false) await harness.startWorker();
  return harness;
}

/**
 * The file's harness, opened before its tests and closed after them: call it at the top of a test
 * file (its beforeAll runs before the file's own). What it returns stands for the harness once open.
 */
export function useHarness(options: HarnessOptions = {}): Harness {
  let opened: Harness | undefined;
  beforeAll(async () => {
    opened = await openHarness(options);
  }, 120_000);
  afterAll(async () => {
    await opened?.close();
  });
  return new Proxy({} as Harness, {
    get(_target, key) {
      if (!opened) throw new Error('the harness is not open: use it inside a test or a beforeAll');
      return Reflect.get(opened, key);
    },
  });
}

/**
 * A PostgreSQL advisory lock held on a connection of its own until `end()`: shared by every harness
 * (and real-rhythm), exclusive for a file that needs the database quiet. PostgreSQL queues a shared
 * request behind a waiting exclusive one: the quiet file waits for the files already running, then
 * runs alone.
 */
export async function databaseLock(databaseUrl: string, mode: 'shared' | 'exclusive'): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(mode === 'shared' ? 'select pg_advisory_lock_shared($1)' : 'select pg_advisory_lock($1)', [QUIET_DATABASE_LOCK]);
  return client;
}
const QUIET_DATABASE_LOCK = 4_212_012;

/** Polls until `check` returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
