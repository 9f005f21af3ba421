import fs from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { Client } from '@temporalio/client';

export const HISTORIES_DIR = path.resolve(__dirname, '..', 'histories');

/**
 * Every recorded history under test/histories/, the releases' folders included (`v0.1.0/…`), as
 * paths relative to it, sorted. The files at the top were recorded before histories were kept per
 * release (docs/operations/releases.md); they replay like the others.
 */
export function recordedHistories(dir: string = HISTORIES_DIR): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }))
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.split(path.sep).join('/'))
    .sort();
}

/**
 * The release a recording belongs to: HISTORIES_RELEASE, else `v` + package.json's version (the
 * release's tag, docs/operations/releases.md).
 */
export function recordingRelease(): string {
  const release = process.env.HISTORIES_RELEASE
    ?? `v${(JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version}`;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(release)) throw new Error(`HISTORIES_RELEASE: a folder name is expected, got "${release}"`);
  return release;
}

/**
 * With RECORD_HISTORIES=1 (`npm run histories:record`), keeps the history of a representative run
 * in test/histories/<release>/, where the replay test checks that today's workflow code, and every
 * later release's, still replays it. Each release records its own folder and never rewrites an
 * earlier one: a change that cannot replay them needs `patched()`, not a new recording.
 */
export async function maybeRecordHistory(temporal: Client, workflowId: string, name: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const history = await temporal.workflow.getHandle(workflowId).fetchHistory();
  const dir = path.join(HISTORIES_DIR, recordingRelease());
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${name}.json`), `${historyToJSON(history)}\n`);
}
