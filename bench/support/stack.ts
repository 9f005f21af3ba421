import fs from 'node:fs';
import os from 'node:os';
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
import { freePort } from '../../test/support/free-port';

export { freePort };

/**
 * The services a benchmark or drill runs against: by default the embedded ones of `npm start`
 * (PostgreSQL, Temporal dev server, MailDev) in a fresh temporary DATA_DIR on free ports, as the
 * tests do; DATABASE_URL, TEMPORAL_ADDRESS, SMTP_URL point at external ones instead.
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
  /** The embedded dev server's process, for its RSS; undefined for an external server. */
  temporalServerPid(): number | undefined;
  /** Only for the restartable (drill) stack with embedded services. */
  restartTemporal?(): Promise<void>;
  restartPostgres?(): Promise<void>;
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
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `april-${options.name}-`));
  // As root, PostgreSQL runs as the `postgres` user, which must reach its folder inside ours.
  fs.chmodSync(dataDir, 0o755);
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    EMBEDDED_POSTGRES_PORT: String(await freePort()),
    EMBEDDED_TEMPORAL_PORT: String(await freePort()),
    EMBEDDED_SMTP_PORT: String(await freePort()),
    EMBEDDED_MAIL_WEB_PORT: String(await freePort()),
    ...(options.smtpUrl && { SMTP_URL: options.smtpUrl }),
  });
  const parts = options.restartable ? await startRestartableParts(config, options.log) : await startPlainParts(config, options.log);
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
    const topology = config.temporal.address
      ? `external Temporal at ${config.temporal.address} (${process.env.BENCH_TOPOLOGY ?? 'topology not named: set BENCH_TOPOLOGY'})`
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
      temporalServerPid: () => (temporalPort ? findTemporalServerPid(temporalPort) : undefined),
      restartTemporal: parts.restartTemporal,
      restartPostgres: parts.restartPostgres,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

interface Parts {
  services: ResolvedServices;
  mailInboxUrl?: string;
  restartTemporal?(): Promise<void>;
  restartPostgres?(): Promise<void>;
  stop(): Promise<void>;
}

async function startPlainParts(config: AppConfig, log: (line: string) => void): Promise<Parts> {
  const running = await startServices(config, { temporalUi: false, log });
  return { services: running.services, mailInboxUrl: running.mailInboxUrl, stop: running.stop };
}

/**
 * The same parts as `startServices`, started one by one so that the drill can stop and start
 * Temporal and PostgreSQL again on the same data and ports.
 */
async function startRestartableParts(config: AppConfig, log: (line: string) => void): Promise<Parts> {
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
      restartPostgres = async () => {
        await slot.stop();
        slot.stop = (await start()).stop;
      };
    }
    let temporalAddress = config.temporal.address;
    let restartTemporal: Parts['restartTemporal'];
    if (!temporalAddress) {
      const cli = await ensureTemporalCli({ cliPath: config.temporal.cliPath, log });
      const start = () => startEmbeddedTemporal({ cli, dataDir: config.dataDir, port: config.temporal.embeddedPort, namespace: config.temporal.namespace });
      const first = await start();
      const slot = { stop: first.stop };
      stops.push(slot);
      temporalAddress = first.address;
      restartTemporal = async () => {
        await slot.stop();
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
    return { services: { databaseUrl, temporalAddress, smtpUrl }, mailInboxUrl, restartTemporal, restartPostgres, stop: stopAll };
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
