import fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const stack = globalThis.__aprilStack;
  if (!stack) return;
  // Both the integration and the browser projects name this teardown: the first one stops the stack.
  globalThis.__aprilStack = undefined;
  const { child, dataDir } = stack;
  if (child.exitCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
}
