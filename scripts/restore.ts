// `npm run restore -- <backup folder>`: brings a backup of `npm run backup` back on an empty machine
// (or an empty DATA_DIR / empty databases), then converges the projection on the workflows.
// docs/design/runtime.md, « Sauvegarde et restauration ».
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime as TemporalRuntime } from '@temporalio/worker';
import { importDatabase, sha256File } from '../lib/backup/app-database';
import { BACKUP_FORMAT, type BackupManifest } from '../lib/backup/manifest';
import { reconcileHouseholds, type ReconcileReport } from '../lib/backup/reconcile';
import { payloadCodecFor } from '../lib/codec-keys';
import { ConfigError, loadConfig } from '../lib/config';
import { createDb } from '../lib/db';
import { startEmbeddedPostgres } from '../lib/embedded/postgres';
import { ensureTemporalCli } from '../lib/embedded/temporal-cli';
import { startEmbeddedTemporal } from '../lib/embedded/temporal-server';
import { createLogger } from '../lib/logger';
import { migrateDatabase } from '../lib/migrate';
import { dataConverterFor, ensureSearchAttributes } from '../lib/temporal';

export interface RestoreResult {
  durationMs: number;
  rows: number;
  reconcile: ReconcileReport;
}

/**
 * The convergence alone, against the configured services (DATABASE_URL, TEMPORAL_ADDRESS): after a
 * restore made by other means (pg_restore of the three databases on the production topology).
 */
export async function runReconcileOnly(options: { env?: NodeJS.ProcessEnv; log?: (line: string) => void } = {}): Promise<ReconcileReport> {
  const log = options.log ?? ((line: string) => console.log(`[restore] ${line}`));
  const config = loadConfig(options.env ?? process.env);
  if (!config.database.url || !config.temporal.address) throw new Error('--reconcile-only : indiquez DATABASE_URL et TEMPORAL_ADDRESS (services restaurés).');
  const connection = await Connection.connect({ address: config.temporal.address });
  const db = createDb(config.database.url);
  try {
    const codec = payloadCodecFor(config);
    const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: dataConverterFor(codec) });
    const report = await reconcileHouseholds({ db, temporal: client, codec, namespace: config.temporal.namespace, logger: createLogger(config.logLevel, 'april-restore') });
    describeReport(report, log);
    return report;
  } finally {
    await db.$disconnect();
    await connection.close();
  }
}

function describeReport(reconcile: ReconcileReport, log: (line: string) => void): void {
  log(
    `convergence : ${reconcile.households} ménages, ${reconcile.inStep} à jour, ${reconcile.caughtUp.length} rattrapés sur leur workflow, ` +
      `${reconcile.rolledBack.length} ramenés à leur workflow, ${reconcile.projectionFixed.length} projections corrigées, ${reconcile.mailsSetAside} courriels postérieurs mis de côté`,
  );
  if (reconcile.missingWorkflows.length) log(`ATTENTION : ${reconcile.missingWorkflows.length} dossiers sans workflow dans Temporal : ${reconcile.missingWorkflows.join(', ')}`);
  if (reconcile.orphanWorkflows.length) {
    log(`ATTENTION : ${reconcile.orphanWorkflows.length} workflows sans dossier (orientés entre les deux copies, données personnelles perdues : à orienter de nouveau) : ${reconcile.orphanWorkflows.join(', ')}`);
  }
}

export async function runRestore(backupDir: string, options: { env?: NodeJS.ProcessEnv; log?: (line: string) => void } = {}): Promise<RestoreResult> {
  const log = options.log ?? ((line: string) => console.log(`[restore] ${line}`));
  const started = Date.now();
  const config = loadConfig(options.env ?? process.env);
  const manifestFile = path.join(backupDir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) throw new Error(`Pas de manifest.json dans ${backupDir}`);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as BackupManifest;
  if (manifest.format !== BACKUP_FORMAT) throw new Error(`Format de sauvegarde inconnu : ${String(manifest.format)}`);

  // Every file as the manifest describes it, before anything is touched.
  const files = [
    ...[...manifest.database.tables, ...(manifest.database.outboxAfterTemporal ? [manifest.database.outboxAfterTemporal] : [])]
      .map((t) => ({ path: path.join('database', t.file), sha256: t.sha256 })),
    ...(manifest.temporal.included ? manifest.temporal.files : []),
    ...(manifest.codecKeys.included ? manifest.codecKeys.files : []),
  ];
  for (const file of files) {
    const actual = await sha256File(path.join(backupDir, file.path)).catch(() => 'absent');
    if (actual !== file.sha256) throw new Error(`Sauvegarde altérée : ${file.path} (sha256 ${actual}, attendu ${file.sha256})`);
  }
  log(`sauvegarde du ${manifest.createdAt} vérifiée : ${files.length} fichiers, ${manifest.database.rows} lignes`);

  // An empty machine: never restore over data.
  const embeddedPostgres = !config.database.url;
  const embeddedTemporal = !config.temporal.address;
  if (embeddedPostgres && fs.existsSync(path.join(config.dataDir, 'postgres', 'PG_VERSION'))) {
    throw new Error(`${config.dataDir}/postgres contient déjà une base : restaurez dans un DATA_DIR vide.`);
  }
  const sqliteTarget = path.join(config.dataDir, 'temporal', 'temporal.sqlite');
  if (embeddedTemporal) {
    if (!manifest.temporal.included) throw new Error('La sauvegarde ne contient pas Temporal (serveur externe) : restaurez ses bases avec pg_restore et indiquez TEMPORAL_ADDRESS.');
    if (fs.existsSync(sqliteTarget)) throw new Error(`${sqliteTarget} existe déjà : restaurez dans un DATA_DIR vide.`);
  } else if (manifest.temporal.included) {
    throw new Error('La sauvegarde contient le fichier du serveur Temporal embarqué mais TEMPORAL_ADDRESS désigne un serveur externe.');
  }
  fs.mkdirSync(config.dataDir, { recursive: true });
  if (manifest.codecKeys.included && !config.payloadCodecKeys) {
    const target = path.join(config.dataDir, 'payload-codec.keys');
    const source = path.join(backupDir, manifest.codecKeys.files[0]!.path);
    if (fs.existsSync(target) && fs.readFileSync(target, 'utf8') !== fs.readFileSync(source, 'utf8')) {
      throw new Error(`${target} existe avec une autre clé : les historiques restaurés seraient illisibles.`);
    }
    fs.copyFileSync(source, target);
    fs.chmodSync(target, 0o600);
  }
  if (manifest.temporal.included) {
    fs.mkdirSync(path.dirname(sqliteTarget), { recursive: true });
    for (const file of manifest.temporal.files) fs.copyFileSync(path.join(backupDir, file.path), path.join(config.dataDir, 'temporal', path.basename(file.path)));
  }

  const stops: (() => Promise<void>)[] = [];
  try {
    let databaseUrl = config.database.url;
    if (embeddedPostgres) {
      const pg = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.database.embeddedPort, logFile: path.join(config.dataDir, 'logs', 'postgres.log') });
      stops.push(pg.stop);
      databaseUrl = pg.url;
    }
    await migrateDatabase(databaseUrl!);
    const { rows } = await importDatabase(databaseUrl!, path.join(backupDir, 'database'), manifest.database);
    log(`base de l'application : ${rows} lignes chargées`);

    let temporalAddress = config.temporal.address;
    if (embeddedTemporal) {
      const cli = await ensureTemporalCli({ cliPath: config.temporal.cliPath, log });
      const server = await startEmbeddedTemporal({ cli, dataDir: config.dataDir, port: config.temporal.embeddedPort, namespace: config.temporal.namespace });
      stops.push(server.stop);
      temporalAddress = server.address;
    }
    const connection = await Connection.connect({ address: temporalAddress! });
    stops.push(() => connection.close());
    await ensureSearchAttributes(connection, config.temporal.namespace);
    const codec = payloadCodecFor(config);
    const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: dataConverterFor(codec) });
    const db = createDb(databaseUrl!);
    stops.push(() => db.$disconnect());
    const reconcile = await reconcileHouseholds({ db, temporal: client, codec, namespace: config.temporal.namespace, logger: createLogger(config.logLevel, 'april-restore') });
    describeReport(reconcile, log);
    const durationMs = Date.now() - started;
    log(`restauration terminée en ${(durationMs / 1000).toFixed(1)} s ; lancez le produit (npm start)`);
    return { durationMs, rows, reconcile };
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  }
}

if (require.main === module) {
  try {
    TemporalRuntime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    // Installed already.
  }
  const dir = process.argv.slice(2).find((a) => !a.startsWith('--'));
  const reconcileOnly = process.argv.includes('--reconcile-only');
  if (!dir && !reconcileOnly) {
    console.error('Usage : npm run restore -- <dossier de sauvegarde>   (ou -- --reconcile-only après pg_restore)');
    process.exit(2);
  }
  (reconcileOnly ? runReconcileOnly() : runRestore(path.resolve(dir!))).then(
    (result) => {
      if (process.env.RESTORE_RESULT_FILE) fs.writeFileSync(process.env.RESTORE_RESULT_FILE, JSON.stringify(result));
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error instanceof ConfigError || error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
