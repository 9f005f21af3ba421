import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A TCP port free on the loopback right now (the tests' and benchmarks' embedded services). */
export async function freePort(): Promise<number> {
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
