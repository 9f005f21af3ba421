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

/** Starts bench/support/worker-process.ts and resolves once it polls its task queue. */
export async function spawnWorker(stack: BenchStack, taskQueue: string, bundlePath: string, extraEnv: Record<string, string> = {}): Promise<WorkerChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'worker-process.ts')], {
    cwd: path.resolve(__dirname, '..', '..'),
    env: {
      ...process.env,
      ...extraEnv,
      NODE_OPTIONS: '',
      DATA_DIR: stack.dataDir,
      DATABASE_URL: stack.services.databaseUrl,
      TEMPORAL_ADDRESS: stack.services.temporalAddress,
      SMTP_URL: stack.services.smtpUrl,
      TEMPORAL_TASK_QUEUE: taskQueue,
      BENCH_WORKFLOW_BUNDLE: bundlePath,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    errors = (errors + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('READY') && resolve());
    void exited.then((code) => reject(new Error(`worker process exited before READY (${code}):\n${errors}`)));
  });
  return { child, pid: child.pid!, exited };
}
