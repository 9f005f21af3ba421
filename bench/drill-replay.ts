// npm run drill:replay — every recorded history in test/histories/ (every release's folder
// included, docs/operations/releases.md) replays against the current
// workflow code (what test/histories.replay.test.ts checks in `npm test`), one line per history
// and a verdict. Needs no running service: replay is local.
import fs from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { AesGcmPayloadCodec } from '../lib/payload-codec';
import { dataConverterFor } from '../lib/temporal';
import { describeMachine, machineFacts } from './support/machine';
import { writeResult } from './support/results';
import { quietTemporalRuntime } from './support/stack';
import { HISTORIES_DIR, recordedHistories } from '../test/support/histories';

// The histories were recorded by the tests, whose payloads are encrypted with the tests' fixed key
// (test/support/harness.ts testPayloadCodec): the same key decrypts them here.
const testCodec = new AesGcmPayloadCodec({ keys: [{ id: 'test', key: Buffer.alloc(32, 42) }], activeKeyId: 'test' });
const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

async function main(): Promise<void> {
  quietTemporalRuntime();
  const machine = machineFacts();
  console.log(`drill:replay — ${describeMachine(machine)}`);
  const files = recordedHistories();
  const bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: quiet });
  const results: { history: string; ok: boolean; events: number; ms: number; error?: string }[] = [];
  for (const file of files) {
    const started = Date.now();
    const history = historyFromJSON(JSON.parse(fs.readFileSync(path.join(HISTORIES_DIR, file), 'utf8')));
    try {
      await Worker.runReplayHistory({ workflowBundle: bundle, dataConverter: dataConverterFor(testCodec) }, history, `replay-${file}`);
      results.push({ history: file, ok: true, events: history.events?.length ?? 0, ms: Date.now() - started });
    } catch (error) {
      results.push({ history: file, ok: false, events: history.events?.length ?? 0, ms: Date.now() - started, error: String(error) });
    }
    const r = results[results.length - 1]!;
    console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${file} (${r.events} events, ${r.ms} ms)${r.error ? `: ${r.error}` : ''}`);
  }
  const failed = results.filter((r) => !r.ok).length;
  // Fewer than the four representative runs the replay test requires would make a pass meaningless.
  const pass = failed === 0 && files.length >= 4;
  const verdict = pass
    ? `VERDICT: PASS ${files.length}/${files.length} recorded histories replay against the current workflow code`
    : `VERDICT: FAIL ${failed} of ${files.length} histories do not replay${files.length < 4 ? ' (fewer than 4 histories found)' : ''}`;
  const file = writeResult('replay', { drill: 'replay', at: new Date().toISOString(), machine, historiesDir: 'test/histories', results, pass, verdict });
  console.log(`JSON: ${file}`);
  console.log(verdict);
  process.exitCode = pass ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error);
  console.log(`VERDICT: FAIL drill did not run: ${String(error)}`);
  process.exit(1);
});
