import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { goInstallInto } from '../../lib/embedded/go-install';
import { isExecutable, userCacheDir } from '../../lib/embedded/user-cache';
import { freePort, isPortFree } from '../../test/support/free-port';

/**
 * What the production Temporal server needs before it starts (temporal-production.ts): its binaries
 * built with Go, its two databases and their schemas, its config folder and its environment, as
 * temporal-docker/docker-compose.yml gives them to the temporalio/server image.
 */
export const TEMPORAL_SERVER_VERSION = 'v1.29.1'; // the server the dev CLI v1.5.1 bundles (docs/design/runtime.md)
export const MODULE = 'go.temporal.io/server';
const REPO_ROOT = path.resolve(__dirname, '..', '..');
const DYNAMIC_CONFIG = path.join(REPO_ROOT, 'temporal-docker', 'dynamicconfig', 'production-sql.yaml');
// temporal-docker/docker-compose.yml: NUM_HISTORY_SHARDS (fixed for the life of the database).
export const HISTORY_SHARDS = '4';

export interface Postgres {
  host: string;
  port: number;
  user: string;
  password: string;
}

/** The server and schema tool, built once per user and version like the Temporal CLI. */
export async function ensureServerBinaries(log: (line: string) => void): Promise<{ server: string; sql: string }> {
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
export function temporalModuleDir(): string {
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
export async function setupSchemas(sqlTool: string, moduleDir: string, db: Postgres, logFile: string): Promise<string> {
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
export function writeConfigFolder(dataDir: string, moduleDir: string): string {
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
export async function serverEnvironment(db: Postgres, dynamicConfigFile: string): Promise<Record<string, string>> {
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
    if (taken.has(port) || !(await isPortFree(port))) continue;
    taken.add(port);
    return port;
  }
  throw new Error('no free port found in 10000–32767 for the Temporal membership ports');
}
