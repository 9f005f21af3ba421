// A household worker in a process of its own: the scale run reads its RSS alone, the crash drill
// kills it with SIGKILL. Configured by the parent through the environment (lib/config.ts) plus
// BENCH_WORKFLOW_BUNDLE, a workflow bundle built once by the parent (a restart skips webpack).
import { payloadCodecFor } from '../../lib/codec-keys';
import { loadConfig } from '../../lib/config';
import { createDb } from '../../lib/db';
import { createLogger } from '../../lib/logger';
import { createMailer } from '../../lib/mailer';
import { startHouseholdWorker } from '../../workers/worker';
import { quietTemporalRuntime } from './stack';

async function main(): Promise<void> {
  quietTemporalRuntime();
  const config = loadConfig();
  const { DATABASE_URL, TEMPORAL_ADDRESS, SMTP_URL, BENCH_WORKFLOW_BUNDLE } = process.env;
  if (!DATABASE_URL || !TEMPORAL_ADDRESS || !SMTP_URL || !BENCH_WORKFLOW_BUNDLE) throw new Error('bench worker: services or bundle missing from the environment');
  const db = createDb(DATABASE_URL);
  const mailer = createMailer(SMTP_URL, config.mail.from);
  const worker = await startHouseholdWorker({
    temporalAddress: TEMPORAL_ADDRESS,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    maxCachedWorkflows: config.temporal.maxCachedWorkflows,
    payloadCodec: payloadCodecFor(config),
    workflowBundle: { codePath: BENCH_WORKFLOW_BUNDLE },
    deps: { db, mailer, clock: () => new Date(), logger: createLogger('silent'), publicUrl: config.publicUrl },
  });
  process.once('SIGTERM', () => void worker.shutdown());
  // The parent holds our stdin: when it dies, however it dies, we stop rather than linger.
  process.stdin.on('end', () => process.exit(1));
  process.stdin.resume();
  console.log('READY');
  await worker.done;
  mailer.close();
  await db.$disconnect();
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
