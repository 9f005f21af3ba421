import fs from 'node:fs';
import { bundleWorkflowCode, type WorkflowBundleOption } from '@temporalio/worker';

/**
 * The workflow code, bundled by webpack once per test run (global setup) into a file that every
 * test worker loads: each file used to spend seconds bundling the same code again. The replay
 * test still bundles from source itself (histories.replay.test.ts).
 */
const silentLogger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

export function bundleWorkflows() {
  return bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: silentLogger });
}

/** Bundles the workflows into `file` and returns its path. */
export async function buildWorkflowBundle(file: string): Promise<string> {
  const { code } = await bundleWorkflows();
  fs.writeFileSync(file, code);
  return file;
}

let inProcess: ReturnType<typeof bundleWorkflows> | undefined;
/** The run's bundle (TEST_WORKFLOW_BUNDLE, from the global setup), else one built in this process. */
export async function sharedWorkflowBundle(): Promise<WorkflowBundleOption> {
  const codePath = process.env.TEST_WORKFLOW_BUNDLE;
  if (codePath && fs.existsSync(codePath)) return { codePath };
  inProcess ??= bundleWorkflows();
  return inProcess;
}
