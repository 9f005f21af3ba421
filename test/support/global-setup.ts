import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { embeddedStackEnv } from './free-port';
import { buildWorkflowBundle } from './workflow-bundle';

/**
 * One real PostgreSQL, one real Temporal dev server and one real SMTP server (MailDev) for the
 * whole integration run, in a child process, on free ports, with data in a fresh temporary folder.
 * Where DATABASE_URL, TEMPORAL_ADDRESS or SMTP_URL are set, those services are reused instead.
 */
declare global {
  var __aprilStack: { child: ChildProcess; dataDir: string } | undefined;
}

export default async function globalSetup(): Promise<void> {
  // The integration and browser projects share one stack: jest calls this once per project.
  if (globalThis.__aprilStack) return;
  const root = path.resolve(__dirname, '..', '..');
  const { dataDir, env: stackEnv } = await embeddedStackEnv('april-test');
  const env = { ...process.env, ...stackEnv };
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'stack-process.ts')], {
    cwd: root,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  globalThis.__aprilStack = { child, dataDir };
  // Webpack runs once for the whole run, while the services start, instead of once per test file.
  const bundled = buildWorkflowBundle(path.join(dataDir, 'workflow-bundle.js'));
  bundled.catch(() => undefined); // awaited below, once the services are up

  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const ready = await new Promise<Record<string, string>>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`test services not ready after 10 min:\n${errors}`)), 600_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('READY '));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line.slice('READY '.length)) as Record<string, string>);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`test services exited (code ${code}):\n${errors}`));
    });
  });
  // Test workers are forked after the global setup: they inherit these.
  process.env.TEST_WORKFLOW_BUNDLE = await bundled;
  process.env.TEST_DATABASE_URL = ready.databaseUrl;
  process.env.TEST_TEMPORAL_ADDRESS = ready.temporalAddress;
  process.env.TEST_SMTP_URL = ready.smtpUrl;
  if (ready.mailInboxUrl) process.env.TEST_MAIL_INBOX_URL = ready.mailInboxUrl;
}
