// A household worker in a process of its own, so that a test can kill it with SIGKILL mid-work.
import { createDb } from '../../lib/db';
import { createLogger } from '../../lib/logger';
import { createMailer } from '../../lib/mailer';
import { startHouseholdWorker } from '../../workers/worker';
import { quietTemporalRuntime, testPayloadCodec, testServices } from './harness';
import { sharedWorkflowBundle } from './workflow-bundle';

async function main(): Promise<void> {
  quietTemporalRuntime();
  const services = testServices();
  const db = createDb(services.databaseUrl);
  const worker = await startHouseholdWorker({
    temporalAddress: services.temporalAddress,
    namespace: 'default',
    taskQueue: process.env.WORKER_TASK_QUEUE!,
    payloadCodec: testPayloadCodec,
    workflowBundle: await sharedWorkflowBundle(),
    deps: { db, mailer: createMailer(services.smtpUrl, 'APRIL test <test@april.localhost>'), clock: () => new Date(), logger: createLogger('silent'), publicUrl: 'http://127.0.0.1' },
  });
  console.log('READY');
  await worker.done;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
