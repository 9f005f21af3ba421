import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';

/**
 * The application database as a logical export over SQL: every table of the `public` schema read
 * with COPY inside one REPEATABLE READ transaction, so the files are one consistent snapshot, on
 * any PostgreSQL version (no pg_dump of the server's major version needed: the embedded server is
 * PostgreSQL 18). The schema is not exported: it is the checked-in Prisma migrations, whose names
 * the manifest lists (docs/design/runtime.md, « Sauvegarde et restauration »).
 */
export interface TableFile {
  table: string;
  columns: string[];
  rows: number;
  file: string;
  bytes: number;
  sha256: string;
}

export interface DatabaseExport {
  serverVersion: string;
  /** Instant of the snapshot (the transaction's first statement). */
  snapshotAt: string;
  /** Migrations applied on the source, in order: the schema the rows belong to. */
  migrations: string[];
  tables: TableFile[];
  /**
   * The outbox (mail_messages) read again once Temporal is copied: a mail whose activity Temporal's
   * copy shows unfinished but that went out before this second read is recorded as sent, so the
   * activity's retry after a restore does not send it again.
   */
  outboxAfterTemporal?: TableFile;
}

export const OUTBOX_TABLE = 'mail_messages';

const MIGRATIONS_TABLE = '_prisma_migrations';
const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest('hex');
}

export async function exportDatabase(databaseUrl: string, dir: string): Promise<DatabaseExport> {
  fs.mkdirSync(dir, { recursive: true });
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { rows: [first] } = await client.query<{ now: Date; version: string }>('SELECT now() AS now, current_setting(\'server_version\') AS version');
    const migrations = (await client.query<{ migration_name: string }>(
      `SELECT migration_name FROM ${MIGRATIONS_TABLE} WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY finished_at, migration_name`,
    )).rows.map((r) => r.migration_name);
    const tables = await tableColumns(client);
    const files: TableFile[] = [];
    for (const [table, columns] of tables) {
      if (table === MIGRATIONS_TABLE) continue;
      const file = `${table}.copy.gz`;
      const target = path.join(dir, file);
      const sql = `COPY public.${quote(table)} (${columns.map(quote).join(', ')}) TO STDOUT`;
      await pipeline(client.query(copyTo(sql)), createGzip(), fs.createWriteStream(target, { mode: 0o600 }));
      const { rows: [count] } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM public.${quote(table)}`);
      files.push({ table, columns, rows: Number(count!.n), file, bytes: fs.statSync(target).size, sha256: await sha256File(target) });
    }
    await client.query('COMMIT');
    return { serverVersion: first!.version, snapshotAt: first!.now.toISOString(), migrations, tables: files };
  } finally {
    await client.end();
  }
}

/** One table read again, in a transaction of its own (the outbox after Temporal's copy). */
export async function exportTable(databaseUrl: string, dir: string, table: string, file: string): Promise<TableFile> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const columns = (await tableColumns(client)).get(table);
    if (!columns) throw new Error(`table ${table} absente`);
    const target = path.join(dir, file);
    await pipeline(client.query(copyTo(`COPY public.${quote(table)} (${columns.map(quote).join(', ')}) TO STDOUT`)), createGzip(), fs.createWriteStream(target, { mode: 0o600 }));
    const { rows: [count] } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM public.${quote(table)}`);
    await client.query('COMMIT');
    return { table, columns, rows: Number(count!.n), file, bytes: fs.statSync(target).size, sha256: await sha256File(target) };
  } finally {
    await client.end();
  }
}

/** Columns of every base table of `public`, in their order, tables by name. */
async function tableColumns(client: pg.Client): Promise<Map<string, string[]>> {
  const { rows } = await client.query<{ table_name: string; column_name: string }>(
    `SELECT c.table_name, c.column_name FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
      ORDER BY c.table_name, c.ordinal_position`,
  );
  const tables = new Map<string, string[]>();
  for (const row of rows) tables.set(row.table_name, [...(tables.get(row.table_name) ?? []), row.column_name]);
  return tables;
}

/** Tables ordered so that every table comes after those its foreign keys point to. */
async function loadOrder(client: pg.Client, tables: string[]): Promise<string[]> {
  const { rows } = await client.query<{ child: string; parent: string }>(
    `SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent
       FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
      WHERE c.contype = 'f' AND n.nspname = 'public'`,
  );
  const unquote = (name: string) => name.replace(/^public\./, '').replace(/^"(.*)"$/, '$1');
  const parents = new Map<string, Set<string>>(tables.map((t) => [t, new Set()]));
  for (const { child, parent } of rows) {
    if (unquote(child) !== unquote(parent)) parents.get(unquote(child))?.add(unquote(parent));
  }
  const ordered: string[] = [];
  const visit = (table: string, path: string[]) => {
    if (ordered.includes(table)) return;
    if (path.includes(table)) throw new Error(`cycle of foreign keys through ${table}`);
    for (const parent of parents.get(table) ?? []) if (parents.has(parent)) visit(parent, [...path, table]);
    ordered.push(table);
  };
  for (const table of [...tables].sort()) visit(table, []);
  return ordered;
}

/**
 * Loads an export into a database whose schema the migrations have just made, empty: refuses a
 * backup made by newer code (a migration the code does not know), and a database that already
 * holds rows. Columns added by later migrations take their defaults.
 */
export async function importDatabase(databaseUrl: string, dir: string, exported: DatabaseExport): Promise<{ rows: number }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const applied = new Set((await client.query<{ migration_name: string }>(`SELECT migration_name FROM ${MIGRATIONS_TABLE} WHERE finished_at IS NOT NULL`)).rows.map((r) => r.migration_name));
    const unknown = exported.migrations.filter((m) => !applied.has(m));
    if (unknown.length) throw new Error(`La sauvegarde vient d'une version plus récente du produit (migrations inconnues : ${unknown.join(', ')}). Restaurez avec cette version-là.`);
    const current = await tableColumns(client);
    const order = await loadOrder(client, exported.tables.map((t) => t.table).filter((t) => current.has(t)));
    const missing = exported.tables.filter((t) => !current.has(t.table)).map((t) => t.table);
    if (missing.length) throw new Error(`Tables de la sauvegarde absentes du schéma : ${missing.join(', ')}`);
    await client.query('BEGIN');
    for (const table of order) {
      const { rows: [count] } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM public.${quote(table)}`);
      if (Number(count!.n) > 0) throw new Error(`La base cible n'est pas vide (table ${table}) : restaurez sur une base neuve.`);
    }
    let total = 0;
    for (const table of order) {
      const entry = table === OUTBOX_TABLE && exported.outboxAfterTemporal ? exported.outboxAfterTemporal : exported.tables.find((t) => t.table === table)!;
      const dropped = entry.columns.filter((c) => !current.get(table)!.includes(c));
      if (dropped.length) throw new Error(`Colonnes de ${table} absentes du schéma : ${dropped.join(', ')}`);
      const sql = `COPY public.${quote(table)} (${entry.columns.map(quote).join(', ')}) FROM STDIN`;
      await pipeline(fs.createReadStream(path.join(dir, entry.file)), createGunzip(), client.query(copyFrom(sql)));
      total += entry.rows;
      if (entry === exported.outboxAfterTemporal) {
        // Rows of households the first snapshot does not hold (referred after it) have no case file to belong to.
        await client.query(`DELETE FROM public.${quote(OUTBOX_TABLE)} m WHERE m.household_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM public.households h WHERE h.id = m.household_id)`);
      }
    }
    await client.query('COMMIT');
    // Sequences behind serial columns, if any, continue after the restored rows.
    const sequences = await client.query<{ table_name: string; column_name: string; seq: string }>(
      `SELECT c.table_name, c.column_name, pg_get_serial_sequence(quote_ident(c.table_name), c.column_name) AS seq
         FROM information_schema.columns c WHERE c.table_schema = 'public' AND pg_get_serial_sequence(quote_ident(c.table_name), c.column_name) IS NOT NULL`,
    );
    for (const s of sequences.rows) {
      await client.query(`SELECT setval($1, COALESCE((SELECT max(${quote(s.column_name)}) FROM public.${quote(s.table_name)}), 0) + 1, false)`, [s.seq]);
    }
    return { rows: total };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
