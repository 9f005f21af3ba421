import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { payloadCodecFor } from '../../lib/codec-keys';
import { loadConfig, type AppConfig, type ResolvedServices } from '../../lib/config';
import { createDb, type Db } from '../../lib/db';
import { startMailCatcher } from '../../lib/embedded/mail-catcher';
import { startEmbeddedPostgres } from '../../lib/embedded/postgres';
import { startServices } from '../../lib/embedded/stack';
import { ensureTemporalCli } from '../../lib/embedded/temporal-cli';
import { startEmbeddedTemporal } from '../../lib/embedded/temporal-server';
import { migrateDatabase } from '../../lib/migrate';
import { ensureReferenceData } from '../../lib/reference-data';
import { dataConverterFor, ensureSearchAttributes } from '../../lib/temporal';
import { findTemporalServerPid } from './machine';
import { startProductionTemporal, type ProductionTemporal } from './temporal-production';
import { embeddedStackEnv, freePort } from '../../test/support/free-port';

export { freePort };

/**
 * The services a benchmark or drill runs against: by default the embedded ones of `npm start`
 * (PostgreSQL, Temporal dev server, MailDev) in a fresh temporary DATA_DIR on free ports, as the
 * tests do; DATABASE_URL, TEMPORAL_ADDRESS, SMTP_URL point at external ones instead.
 * `--temporal=production` (or BENCH_TEMPORAL=production) replaces the dev server with the
 * production topology of temporal-docker/: temporal-server on PostgreSQL (temporal-production.ts).
 */
export interface BenchStack {
  config: AppConfig;
  services: ResolvedServices;
  dataDir: string;
  /** Which Temporal the figures come from, said in the output and the JSON. */
  topology: string;
  db: Db;
  connection: Connection;
  client: Client;
  codec: PayloadCodec;
  mailInboxUrl?: string;
  /** The embedded dev or production server's process, for its RSS; undefined for an external server. */
  temporalServerPid(): number | undefined;
  /** Bytes Temporal keeps on disk (SQLite file, or its two PostgreSQL databases); undefined if external. */
  temporalStorageBytes(): Promise<number | undefined>;
  /**
   * Only for the restartable (drill) stack with embedded services; `whileStopped` runs between the
   * stop and the start (the restore drill destroys and restores the data there).
   */
  restartTemporal?(whileStopped?: () => Promise<void>): Promise<void>;
  restartPostgres?(whileStopped?: () => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

export function quietTemporalRuntime(): void {
  try {
    Runtime.install({ logger: new DefaultLogger((process.env.BENCH_TEMPORAL_LOG_LEVEL as 'WARN') ?? 'ERROR') });
  } catch {
    // Installed already.
  }
}

export async function startBenchStack(options: {
  name: string;
  log: (line: string) => void;
  /** The crash drill restarts Temporal and PostgreSQL: it starts each part itself. */
  restartable?: boolean;
  /** Overrides the SMTP server (the scale run uses a discarding sink: MailDev keeps every mail in memory). */
  smtpUrl?: string;
}): Promise<BenchStack> {
  quietTemporalRuntime();
  const flavour = temporalFlavour();
  if (flavour === 'production' && process.env.TEMPORAL_ADDRESS) {
    throw new Error('--temporal=production starts its own temporal-server: unset TEMPORAL_ADDRESS');
  }
  const { dataDir, env } = await embeddedStackEnv(`april-${options.name}`);
  const config = loadConfig({ ...process.env, ...env, ...(options.smtpUrl && { SMTP_URL: options.smtpUrl }) });
  // The production server is not part of `startServices`: its stack is always started part by part.
  const parts = options.restartable || flavour === 'production'
    ? await startPartByPart(config, flavour, options.log)
    : await startPlainParts(config, options.log);
  const cleanups: (() => Promise<unknown>)[] = [parts.stop];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => options.log(`stop: ${String(error)}`));
    if (!process.env.BENCH_KEEP_DATA) fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await migrateDatabase(parts.services.databaseUrl);
    const db = createDb(parts.services.databaseUrl);
    cleanups.push(() => db.$disconnect());
    await ensureReferenceData(db);
    const connection = await Connection.connect({ address: parts.services.temporalAddress });
    cleanups.push(() => connection.close());
    await ensureSearchAttributes(connection, config.temporal.namespace);
    const codec = payloadCodecFor(config);
    const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: dataConverterFor(codec) });
    const temporalPort = config.temporal.address ? undefined : config.temporal.embeddedPort;
    const production = parts.productionTemporal;
    const topology = config.temporal.address
      ? `external Temporal at ${config.temporal.address} (${process.env.BENCH_TOPOLOGY ?? 'topology not named: set BENCH_TOPOLOGY'})`
      : production
        ? production.topology
        : 'embedded Temporal dev server (temporal server start-dev, SQLite), embedded PostgreSQL';
    return {
      config,
      services: parts.services,
      dataDir,
      topology,
      db,
      connection,
      client,
      codec,
      mailInboxUrl: parts.mailInboxUrl,
      temporalServerPid: () => (production ? production.pid() : temporalPort ? findTemporalServerPid(temporalPort) : undefined),
      temporalStorageBytes: async () => (production ? production.storageBytes() : temporalPort ? sqliteBytes(path.join(dataDir, 'temporal', 'temporal.sqlite')) : undefined),
      // Only the drill's stack restarts parts, even where a production stack could.
      restartTemporal: options.restartable ? parts.restartTemporal : undefined,
      restartPostgres: options.restartable ? parts.restartPostgres : undefined,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Which Temporal server runs when TEMPORAL_ADDRESS is not set: `--temporal=` flag, else BENCH_TEMPORAL. */
export function temporalFlavour(): 'dev' | 'production' {
  const raw = process.argv.find((a) => a.startsWith('--temporal='))?.slice('--temporal='.length) || process.env.BENCH_TEMPORAL || 'dev';
  if (raw !== 'dev' && raw !== 'production') throw new Error(`--temporal / BENCH_TEMPORAL: "dev" or "production" expected, got "${raw}"`);
  return raw;
}

/** The dev server's SQLite file with its write-ahead log; undefined before it exists. */
function sqliteBytes(file: string): number | undefined {
  if (!fs.existsSync(file)) return undefined;
  return ['', '-wal', '-shm'].reduce((total, suffix) => total + (fs.statSync(file + suffix, { throwIfNoEntry: false })?.size ?? 0), 0);
}

interface Parts {
  services: ResolvedServices;
  mailInboxUrl?: string;
  productionTemporal?: ProductionTemporal;
  restartTemporal?(whileStopped?: () => Promise<void>): Promise<void>;
  restartPostgres?(whileStopped?: () => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

async function startPlainParts(config: AppConfig, log: (line: string) => void): Promise<Parts> {
  const running = await startServices(config, { temporalUi: false, log });
  return { services: running.services, mailInboxUrl: running.mailInboxUrl, stop: running.stop };
}

/**
 * The same parts as `startServices`, started one by one so that the drill can stop and start
 * Temporal and PostgreSQL again on the same data and ports, and so that the production Temporal
 * server can take the dev server's place (its databases live on the PostgreSQL started first).
 */
async function startPartByPart(config: AppConfig, flavour: 'dev' | 'production', log: (line: string) => void): Promise<Parts> {
  const stops: { stop: () => Promise<void> }[] = [];
  const stopAll = async () => {
    for (const part of [...stops].reverse()) await part.stop().catch(() => undefined);
  };
  try {
    const logDir = path.join(config.dataDir, 'logs');
    let databaseUrl = config.database.url;
    let restartPostgres: Parts['restartPostgres'];
    if (!databaseUrl) {
      const start = () => startEmbeddedPostgres({ dataDir: config.dataDir, port: config.database.embeddedPort, logFile: path.join(logDir, 'postgres.log') });
      const slot = { stop: (await start()).stop };
      stops.push(slot);
      databaseUrl = `postgresql://april:april@127.0.0.1:${config.database.embeddedPort}/april`;
      restartPostgres = async (whileStopped) => {
        await slot.stop();
        await whileStopped?.();
        slot.stop = (await start()).stop;
      };
    }
    let temporalAddress = config.temporal.address;
    let restartTemporal: Parts['restartTemporal'];
    let productionTemporal: ProductionTemporal | undefined;
    if (!temporalAddress && flavour === 'production') {
      const server = await startProductionTemporal({
        dataDir: config.dataDir, databaseUrl, embeddedPostgres: !config.database.url, namespace: config.temporal.namespace, log,
      });
      stops.push(server);
      productionTemporal = server;
      temporalAddress = server.address;
      // Same databases, config and ports: only the process is new, as after a container restart.
      restartTemporal = () => server.restart();
    } else if (!temporalAddress) {
      const cli = await ensureTemporalCli({ cliPath: config.temporal.cliPath, log });
      const start = () => startEmbeddedTemporal({ cli, dataDir: config.dataDir, port: config.temporal.embeddedPort, namespace: config.temporal.namespace });
      const first = await start();
      const slot = { stop: first.stop };
      stops.push(slot);
      temporalAddress = first.address;
      restartTemporal = async (whileStopped) => {
        await slot.stop();
        await whileStopped?.();
        slot.stop = (await start()).stop;
      };
    }
    let smtpUrl = config.mail.smtpUrl;
    let mailInboxUrl: string | undefined;
    if (!smtpUrl) {
      const mail = await startMailCatcher({
        dataDir: config.dataDir, smtpPort: config.mail.embeddedSmtpPort, webPort: config.mail.embeddedWebPort, logFile: path.join(logDir, 'maildev.log'),
      });
      stops.push(mail);
      smtpUrl = mail.smtpUrl;
      mailInboxUrl = mail.webUrl;
    }
    return { services: { databaseUrl, temporalAddress, smtpUrl }, mailInboxUrl, productionTemporal, restartTemporal, restartPostgres, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Stops the stack on Ctrl-C too: a benchmark must never leave a PostgreSQL behind. */
export async function withStack<T>(stack: BenchStack, run: () => Promise<T>): Promise<T> {
  let stopping: Promise<void> | undefined;
  const onSignal = () => {
    stopping ??= stack.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await run();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await (stopping ?? stack.stop());
  }
}
