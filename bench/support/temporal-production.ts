import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Connection, isGrpcServiceError } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import pg from 'pg';
import { goInstallInto } from '../../lib/embedded/go-install';
import { isExecutable, userCacheDir } from '../../lib/embedded/user-cache';
import { ensureSearchAttributes } from '../../lib/temporal';
import { householdSearchAttributes } from '../../workflows/household/search-attributes';
import { freePort } from '../../test/support/free-port';

/**
 * The production Temporal topology of temporal-docker/docker-compose.yml, run here without Docker:
 * the real `temporal-server` binary (the one the temporalio/server image ships) on PostgreSQL,
 * schemas made by the schema tool the admin-tools image ships, the same config template and the
 * same dynamic config file. The benchmarks and drills can then measure and restart the server
 * the way production runs it, instead of the dev server's SQLite.
 */
export const TEMPORAL_SERVER_VERSION = 'v1.29.1'; // the server the dev CLI v1.5.1 bundles (docs/design/runtime.md)
const MODULE = 'go.temporal.io/server';
const REPO_ROOT = path.resolve(__dirname, '..', '..');
const DYNAMIC_CONFIG = path.join(REPO_ROOT, 'temporal-docker', 'dynamicconfig', 'production-sql.yaml');
// temporal-docker/docker-compose.yml: NUM_HISTORY_SHARDS (fixed for the life of the database).
const HISTORY_SHARDS = '4';
// temporal-docker/scripts/create-namespace.sh: NAMESPACE_RETENTION.
const RETENTION = '720h';
const READY_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 20_000;
// gRPC status codes (the client reports them as numbers).
const NOT_FOUND = 5;
const ALREADY_EXISTS = 6;

export interface ProductionTemporal {
  address: string;
  /** The server process (for its RSS); undefined while it is stopped. */
  pid(): number | undefined;
  /** Milliseconds from spawn to a usable namespace, for the last start. */
  startupMs(): number;
  /** Names the topology precisely, for the benchmark output and JSON. */
  topology: string;
  /** Bytes on disk of the `temporal` and `temporal_visibility` databases. */
  storageBytes(): Promise<number>;
  /** Stops the server and starts it again on the same databases and ports (the crash drill). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

interface Postgres {
  host: string;
  port: number;
  user: string;
  password: string;
}

export async function startProductionTemporal(options: {
  dataDir: string;
  /** The app's database URL: Temporal's databases go on the same PostgreSQL server. */
  databaseUrl: string;
  /** Whether that PostgreSQL is the embedded one, for the topology string. */
  embeddedPostgres: boolean;
  namespace: string;
  log: (line: string) => void;
}): Promise<ProductionTemporal> {
  const url = new URL(options.databaseUrl);
  const db: Postgres = { host: url.hostname, port: Number(url.port || 5432), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
  const binaries = await ensureServerBinaries(options.log);
  const moduleDir = temporalModuleDir();
  const logDir = path.join(options.dataDir, 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  const postgresVersion = await setupSchemas(binaries.sql, moduleDir, db, path.join(logDir, 'temporal-sql-tool.log'));
  const root = writeConfigFolder(options.dataDir, moduleDir);
  const env = await serverEnvironment(db, path.join(root, 'config', 'dynamicconfig', 'production-sql.yaml'));
  const address = `127.0.0.1:${env.FRONTEND_GRPC_PORT}`;
  const logFile = path.join(logDir, 'temporal-server.log');

  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let lastStartupMs = 0;
  // A benchmark that exits (or throws) without stopping the stack must not leave a server behind.
  const killOnExit = () => child?.exitCode === null && child.kill('SIGKILL');
  process.on('exit', killOnExit);

  const start = async () => {
    const started = Date.now();
    const out = fs.openSync(logFile, 'a');
    try {
      // The image's command: `temporal-server --env docker start`, config/docker.yaml rendered from the environment.
      child = spawn(binaries.server, ['--root', root, '--config', 'config', '--env', 'docker', 'start'], { env, stdio: ['ignore', out, out] });
    } finally {
      fs.closeSync(out);
    }
    const current = child;
    exited = new Promise<void>((resolve) => {
      current.once('exit', () => resolve());
      current.once('error', () => resolve());
    });
    try {
      await waitUntilUsable(address, options.namespace, exited, logFile);
    } catch (error) {
      await stop();
      throw error;
    }
    lastStartupMs = Date.now() - started;
    options.log(`temporal-server ${TEMPORAL_SERVER_VERSION} ready at ${address} in ${(lastStartupMs / 1000).toFixed(1)} s (pid ${current.pid}, log ${logFile})`);
  };

  const stop = async () => {
    const current = child;
    if (!current || current.exitCode !== null || current.signalCode !== null) return;
    current.kill('SIGTERM');
    const timer = setTimeout(() => current.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };

  try {
    await start();
  } catch (error) {
    process.off('exit', killOnExit);
    throw error;
  }
  const where = options.embeddedPostgres ? 'embedded' : `external at ${db.host}:${db.port}`;
  return {
    address,
    pid: () => (child && child.exitCode === null && child.signalCode === null ? child.pid : undefined),
    startupMs: () => lastStartupMs,
    topology:
      `temporal-server ${TEMPORAL_SERVER_VERSION.slice(1)} (${MODULE}, config/docker.yaml as in the temporalio/server image, ${HISTORY_SHARDS} history shards) ` +
      `on PostgreSQL ${postgresVersion} (${where}, same server as the app database, separate databases temporal and temporal_visibility), ` +
      'dynamic config temporal-docker/dynamicconfig/production-sql.yaml',
    storageBytes: () => databaseSizes(db),
    restart: async () => {
      await stop();
      await start();
    },
    stop: async () => {
      await stop();
      process.off('exit', killOnExit);
    },
  };
}

/** The server and schema tool, built once per user and version like the Temporal CLI. */
async function ensureServerBinaries(log: (line: string) => void): Promise<{ server: string; sql: string }> {
  const dir = userCacheDir('temporal-server', TEMPORAL_SERVER_VERSION);
  const binaries = { server: path.join(dir, 'server'), sql: path.join(dir, 'sql') };
  if (isExecutable(binaries.server) && isExecutable(binaries.sql)) return binaries;
  log(`Building temporal-server and its schema tool ${TEMPORAL_SERVER_VERSION} with Go (a few minutes the first time)…`);
  await goInstallInto({
    targetDir: dir, packages: [`${MODULE}/cmd/server@${TEMPORAL_SERVER_VERSION}`, `${MODULE}/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`], binaries: ['server', 'sql'], log,
  });
  return binaries;
}

/** The server module's source (schemas, config template): in the Go module cache, fetched if absent. */
function temporalModuleDir(): string {
  const result = spawnSync('go', ['mod', 'download', '-json', `${MODULE}@${TEMPORAL_SERVER_VERSION}`], { cwd: os.tmpdir(), encoding: 'utf8' });
  const dir = result.status === 0 ? (JSON.parse(result.stdout) as { Dir?: string }).Dir : undefined;
  if (!dir || !fs.existsSync(dir)) throw new Error(`go mod download ${MODULE}@${TEMPORAL_SERVER_VERSION} failed: ${result.stderr || result.error}`);
  return dir;
}

/**
 * temporal-docker/scripts/setup-schema.sh: for each database, create-database, setup-schema -v 0.0,
 * update-schema to the newest versioned folder. Idempotent, so a second start changes nothing.
 * Returns the PostgreSQL version, for the topology string.
 */
async function setupSchemas(sqlTool: string, moduleDir: string, db: Postgres, logFile: string): Promise<string> {
  const schemaDir = path.join(moduleDir, 'schema', 'postgresql', 'v12');
  const out = fs.openSync(logFile, 'a');
  try {
    for (const [database, versioned] of [['temporal', 'temporal'], ['temporal_visibility', 'visibility']] as const) {
      for (const command of [['create-database'], ['setup-schema', '-v', '0.0'], ['update-schema', '-d', path.join(schemaDir, versioned, 'versioned')]]) {
        const args = ['--plugin', 'postgres12', '--ep', db.host, '-p', String(db.port), '-u', db.user, '--db', database, ...command];
        // The password goes through SQL_PASSWORD, as in the script: not visible in `ps`.
        const result = spawnSync(sqlTool, args, { env: { PATH: process.env.PATH, SQL_PASSWORD: db.password }, stdio: ['ignore', out, out] });
        if (result.status !== 0) throw new Error(`temporal sql tool ${command[0]} on ${database} failed (code ${result.status}); see ${logFile}`);
      }
    }
  } finally {
    fs.closeSync(out);
  }
  const client = new pg.Client({ ...db, database: 'postgres' });
  await client.connect();
  try {
    return String((await client.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version);
  } finally {
    await client.end();
  }
}

/**
 * The config folder of the temporalio/server image: the module's config/docker.yaml, a template the
 * server renders from its environment, beside our production dynamic config.
 */
function writeConfigFolder(dataDir: string, moduleDir: string): string {
  const root = path.join(dataDir, 'temporal-server');
  fs.mkdirSync(path.join(root, 'config', 'dynamicconfig'), { recursive: true });
  fs.copyFileSync(path.join(moduleDir, 'config', 'docker.yaml'), path.join(root, 'config', 'docker.yaml'));
  fs.copyFileSync(DYNAMIC_CONFIG, path.join(root, 'config', 'dynamicconfig', 'production-sql.yaml'));
  return root;
}

/**
 * The `temporal` service's environment in docker-compose.yml, with loopback instead of 0.0.0.0 and
 * a free port for every listener so that runs side by side never collide. Only these variables are
 * passed: the app's own (LOG_LEVEL, PORT, DB…) must not leak into the template.
 */
async function serverEnvironment(db: Postgres, dynamicConfigFile: string): Promise<Record<string, string>> {
  const ports: Record<string, string> = {};
  for (const name of ['FRONTEND_GRPC_PORT', 'FRONTEND_HTTP_PORT', 'HISTORY_GRPC_PORT', 'MATCHING_GRPC_PORT', 'WORKER_GRPC_PORT']) {
    ports[name] = String(await freePort());
  }
  const taken = new Set<number>();
  for (const name of ['FRONTEND_MEMBERSHIP_PORT', 'HISTORY_MEMBERSHIP_PORT', 'MATCHING_MEMBERSHIP_PORT', 'WORKER_MEMBERSHIP_PORT']) {
    ports[name] = String(await freeMembershipPort(taken));
  }
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    DB: 'postgres12',
    DB_PORT: String(db.port),
    // The template reads the visibility store's port from VISIBILITY_DB_PORT or POSTGRES_PORT, not DB_PORT.
    VISIBILITY_DB_PORT: String(db.port),
    POSTGRES_SEEDS: db.host,
    POSTGRES_USER: db.user,
    POSTGRES_PWD: db.password,
    NUM_HISTORY_SHARDS: HISTORY_SHARDS,
    DYNAMIC_CONFIG_FILE_PATH: dynamicConfigFile,
    BIND_ON_IP: '127.0.0.1',
    LOG_LEVEL: process.env.BENCH_TEMPORAL_SERVER_LOG_LEVEL ?? 'info',
    ...ports,
  };
}

/**
 * The schema stores a membership port as SMALLINT (cluster_membership.rpc_port): a port above 32767,
 * which is where the kernel hands out ephemeral ones, makes the server die at start. So these
 * come from 10000–32767, tried until one is free on the loopback.
 */
async function freeMembershipPort(taken: Set<number>): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 10_000 + Math.floor(Math.random() * (32_767 - 10_000));
    if (taken.has(port) || !(await isFree(port))) continue;
    taken.add(port);
    return port;
  }
  throw new Error('no free port found in 10000–32767 for the Temporal membership ports');
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * Up means what temporal-docker/scripts/create-namespace.sh waits for: the frontend answers its
 * health check, the namespace exists (created with the production retention if not), our search
 * attributes are registered, and a visibility query naming each of them is accepted (the frontend
 * serves namespaces and search attributes from caches that lag behind a registration).
 */
async function waitUntilUsable(address: string, namespace: string, exited: Promise<void>, logFile: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let gone = false;
  void exited.then(() => (gone = true));
  let lastError: unknown;
  let connection: Connection | undefined;
  try {
    while (Date.now() < deadline) {
      if (gone) throw new Error(`temporal-server exited during start-up; see ${logFile}:\n${tail(logFile)}`);
      try {
        connection ??= await Connection.connect({ address, connectTimeout: 2_000 });
        await connection.healthService.check({ service: 'temporal.api.workflowservice.v1.WorkflowService' });
        await ensureNamespace(connection, namespace);
        await ensureSearchAttributes(connection, namespace);
        const query = householdSearchAttributes.map((key) => `${key.name} = 'ready'`).join(' AND ');
        await connection.workflowService.countWorkflowExecutions({ namespace, query });
        return;
      } catch (error) {
        lastError = error;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
    throw new Error(`temporal-server not usable at ${address} after ${READY_TIMEOUT_MS / 1000} s: ${String(lastError)}; see ${logFile}`);
  } finally {
    await connection?.close();
  }
}

async function ensureNamespace(connection: Connection, namespace: string): Promise<void> {
  try {
    await connection.workflowService.describeNamespace({ namespace });
    return;
  } catch (error) {
    if (!isGrpcServiceError(error) || error.code !== NOT_FOUND) throw error;
  }
  try {
    await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs(RETENTION) });
  } catch (error) {
    if (!isGrpcServiceError(error) || error.code !== ALREADY_EXISTS) throw error;
  }
}

async function databaseSizes(db: Postgres): Promise<number> {
  const client = new pg.Client({ ...db, database: 'postgres' });
  await client.connect();
  try {
    const result = await client.query<{ size: string }>(
      "SELECT sum(pg_database_size(datname))::text AS size FROM pg_database WHERE datname IN ('temporal', 'temporal_visibility')",
    );
    return Number(result.rows[0]!.size);
  } finally {
    await client.end();
  }
}

function tail(file: string, lines = 20): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
