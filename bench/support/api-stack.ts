import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { createApp } from '../../api/app';
import { createLogger } from '../../lib/logger';
import { createMailer } from '../../lib/mailer';
import { createTestAccounts, type AccountName, type TestAccount } from '../../test/support/accounts';
import { freePort } from '../../test/support/free-port';
import { sendJson } from '../../test/support/http';
import type { ProgrammePolicy } from '../../domain/programme/policy';
import { startHouseholdWorker, type RunningWorker } from '../../workers/worker';
import { benchPolicy } from './policy';
import type { BenchStack } from './stack';
import { spawnScript, spawnWorker, stackEnv, writeWorkflowBundle, type WorkerChild } from './worker-supervisor';

const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/**
 * The API on a free port over a bench stack, with one account per role and scope (the tests'
 * accounts, test/support/accounts.ts) and, unless told otherwise, a household worker in this
 * process on a task queue of its own: what the HTTP drills and benchmarks speak to.
 */
export interface RunningApi {
  baseUrl: string;
  taskQueue: string;
  as: Record<AccountName, TestAccount>;
  worker?: RunningWorker;
  close(): Promise<void>;
}

export async function startApi(stack: BenchStack, options: { worker?: boolean; policy?: ProgrammePolicy } = {}): Promise<RunningApi> {
  const taskQueue = `bench-api-${randomUUID()}`;
  const logger = createLogger(process.env.BENCH_LOG_LEVEL ?? 'silent', 'april-bench');
  const as = await createTestAccounts(stack.db);
  let publicUrl = 'http://127.0.0.1';
  const mailer = createMailer(stack.services.smtpUrl, stack.config.mail.from);
  const { app } = createApp({
    db: stack.db, temporal: stack.client, namespace: stack.config.temporal.namespace, taskQueue, logger, mailer,
    policy: options.policy ?? benchPolicy, get publicUrl() { return publicUrl; },
  });
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  publicUrl = baseUrl;
  let worker: RunningWorker | undefined;
  if (options.worker !== false) {
    worker = await startHouseholdWorker({
      temporalAddress: stack.services.temporalAddress, namespace: stack.config.temporal.namespace, taskQueue,
      workflowBundle: await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: quiet }),
      payloadCodec: stack.codec,
      deps: { db: stack.db, mailer, clock: () => new Date(), logger, publicUrl: baseUrl },
    });
  }
  return {
    baseUrl, taskQueue, as, worker,
    async close() {
      await worker?.shutdown().catch(() => undefined);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      mailer.close();
    },
  };
}

/**
 * Production's topology: the product's API process (api/main.ts) and a worker process, each on its
 * own, so that what measures the API (autocannon, in the bench's process) shares no event loop
 * with it, and the API shares none with the workflows.
 */
export async function startApiProcesses(stack: BenchStack): Promise<RunningApi> {
  const taskQueue = `bench-api-${randomUUID()}`;
  const as = await createTestAccounts(stack.db);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const worker = await spawnWorker(stack, taskQueue, await writeWorkflowBundle(stack.dataDir));
  const env = { ...stackEnv(stack, taskQueue), HOST: '127.0.0.1', PORT: String(port), PUBLIC_URL: baseUrl, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn' };
  const api = await spawnScript(path.resolve(__dirname, '..', '..', 'api', 'main.ts'), env, async (child) => {
    child.stdout!.resume();
    await untilHealthy(baseUrl);
  });
  const children = [api, worker];
  // However the bench ends, its children end with it.
  const killAll = () => children.forEach((c) => c.child.kill('SIGKILL'));
  process.once('exit', killAll);
  return {
    baseUrl, taskQueue, as,
    async close() {
      process.off('exit', killAll);
      await Promise.all(children.map((c) => stopChild(c)));
    },
  };
}

async function stopChild(c: WorkerChild): Promise<void> {
  c.child.kill('SIGTERM');
  const timeout = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), 15_000).unref());
  if ((await Promise.race([c.exited, timeout])) === 'late') c.child.kill('SIGKILL');
}

async function untilHealthy(baseUrl: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await fetch(`${baseUrl}/health`).then((r) => r.status, () => 0);
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`API at ${baseUrl} not healthy after ${timeoutMs / 1000} s (last status ${status})`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** JSON over HTTP, as a client would; the body as text too (the drills search it for leaked ids). */
export async function call(baseUrl: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const { response, text } = await sendJson(baseUrl, method, path, body, headers);
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  // Not JSON (or empty): an empty object, which has no error shape either.
  return { status: response.status, headers: response.headers, text, body: (json ?? {}) as Record<string, unknown> };
}

/** The API's one error shape: `{error, message, details?, requestId}`. */
export function hasErrorShape(body: unknown): boolean {
  if (!body || typeof body !== 'object') return false;
  const b = body as Record<string, unknown>;
  return typeof b.error === 'string' && typeof b.message === 'string' && typeof b.requestId === 'string';
}
