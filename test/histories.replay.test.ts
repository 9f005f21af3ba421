import fs from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { dataConverterFor } from '../lib/temporal';
import { quietTemporalRuntime, testPayloadCodec } from './support/harness';
import { HISTORIES_DIR, recordedHistories } from './support/histories';

/**
 * Households live for years: every change to the workflow code must replay the histories of runs
 * recorded with earlier code, every release's folder included (docs/operations/releases.md). A
 * non-determinism error here means the change needs versioning (`patched`), not a new recording.
 */
const files = recordedHistories();

const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
let bundle: WorkflowBundleWithSourceMap;
beforeAll(async () => {
  quietTemporalRuntime();
  bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: quiet });
});

test('representative histories are checked in', () => {
  expect(files.length).toBeGreaterThanOrEqual(4);
});

test.each(files)('%s replays against the current workflow code', async (file) => {
  const history = historyFromJSON(JSON.parse(fs.readFileSync(path.join(HISTORIES_DIR, file), 'utf8')));
  await Worker.runReplayHistory({ workflowBundle: bundle, dataConverter: dataConverterFor(testPayloadCodec) }, history, `replay-${file}`);
});
