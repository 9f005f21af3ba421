import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { BenchStack } from './stack';

const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** Bundles the household workflows once, into the run's data folder, for every worker process. */
export async function writeWorkflowBundle(dataDir: string): Promise<string> {
  const bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: quiet });
  const file = path.join(dataDir, 'workflow-bundle.js');
  fs.writeFileSync(file, bundle.code);
  return file;
}

export interface WorkerChild {
  child: ChildProcess;
  pid: number;
  exited: Promise<number | null>;
}

/** The services of the bench stack, as the product's configuration reads them (lib/config.ts). */
export function stackEnv(stack: BenchStack, taskQueue: string): Record<string, string> {
  return {
    DATA_DIR: stack.dataDir,
    DATABASE_URL: stack.services.databaseUrl,
    TEMPORAL_ADDRESS: stack.services.temporalAddress,
    SMTP_URL: stack.services.smtpUrl,
    TEMPORAL_TASK_QUEUE: taskQueue,
    // Several processes at once: metrics listeners on free ports, the SDK's exporter off.
    METRICS_PORT: '0',
    WORKER_METRICS_PORT: '0',
    TEMPORAL_METRICS_PORT: '0',
    // The keys the stack's own client encrypts with (lib/codec-keys.ts wrote them in its data folder).
    PAYLOAD_CODEC_KEYS: fs.readFileSync(path.join(stack.dataDir, 'payload-codec.keys'), 'utf8').trim(),
    // The production API requires the caseload lists' key (docs/privacy/caseload-lists.md): one per bench run.
    CASELOAD_LIST_KEY: `bench:${randomBytes(32).toString('base64')}`,
  };
}

/**
 * Starts a TypeScript entry point in a Node process of its own (through tsx) with `env` over ours,
 * and resolves once `ready` says so; rejects, with the end of its stderr, if it exits first.
 */
export async function spawnScript(script: string, env: Record<string, string>, ready: (child: ChildProcess) => Promise<void>): Promise<WorkerChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: path.resolve(__dirname, '..', '..'),
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    errors = (errors + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await Promise.race([
    ready(child),
    exited.then((code) => Promise.reject(new Error(`${path.basename(script)} exited before it was ready (${code}):\n${errors}`))),
  ]);
  return { child, pid: child.pid!, exited };
}

/** Starts bench/support/worker-process.ts and resolves once it polls its task queue. */
export function spawnWorker(stack: BenchStack, taskQueue: string, bundlePath: string, extraEnv: Record<string, string> = {}): Promise<WorkerChild> {
  return spawnScript(path.join(__dirname, 'worker-process.ts'), { ...extraEnv, ...stackEnv(stack, taskQueue), BENCH_WORKFLOW_BUNDLE: bundlePath }, (child) =>
    new Promise<void>((resolve) => child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('READY') && resolve())));
}
