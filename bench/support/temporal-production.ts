import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Connection, isGrpcServiceError } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import pg from 'pg';
import { ensureSearchAttributes } from '../../lib/temporal';
import { householdSearchAttributes } from '../../workflows/household/search-attributes';
import {
  ensureServerBinaries, HISTORY_SHARDS, MODULE, serverEnvironment, setupSchemas, TEMPORAL_SERVER_VERSION, temporalModuleDir,
  writeConfigFolder, type Postgres,
} from './temporal-server-setup';

export { TEMPORAL_SERVER_VERSION };

/**
 * The production Temporal topology of temporal-docker/docker-compose.yml, run here without Docker:
 * the real `temporal-server` binary (the one the temporalio/server image ships) on PostgreSQL,
 * schemas made by the schema tool the admin-tools image ships, the same config template and the
 * same dynamic config file. The benchmarks and drills can then measure and restart the server
 * the way production runs it, instead of the dev server's SQLite.
 */
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
