import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A TCP port free on the loopback right now (the tests' and benchmarks' embedded services).
 *
 * Taken below the kernel's ephemeral range (32768–60999 here), in a slice of its own per jest
 * worker: a port the kernel hands out for `listen(0)` or an outgoing connection in another process
 * could otherwise be taken between this check and the service's own bind (two jest workers run at
 * once; `npm start`'s test once met EADDRINUSE that way). Never the same port twice per process.
 */
const SLICE = 3_000;
const BASE = 20_000;
const given = new Set<number>();

export async function freePort(): Promise<number> {
  const slice = (Number(process.env.JEST_WORKER_ID ?? 0) || 0) % 4;
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = BASE + slice * SLICE + Math.floor(Math.random() * SLICE);
    if (given.has(port)) continue;
    if (await isPortFree(port)) {
      given.add(port);
      return port;
    }
  }
  return anyPort();
}

/** Whether the port can be bound on the loopback right now. */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function anyPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A fresh data folder and free ports for the embedded services (the tests' and benchmarks' stacks). */
export async function embeddedStackEnv(prefix: string): Promise<{ dataDir: string; env: Record<string, string> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  // As root, PostgreSQL runs as the `postgres` user, which must reach its folder inside ours.
  fs.chmodSync(dataDir, 0o755);
  const env = {
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    EMBEDDED_POSTGRES_PORT: String(await freePort()),
    EMBEDDED_TEMPORAL_PORT: String(await freePort()),
    EMBEDDED_SMTP_PORT: String(await freePort()),
    EMBEDDED_MAIL_WEB_PORT: String(await freePort()),
  };
  return { dataDir, env };
}
