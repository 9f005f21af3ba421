import type { DatabaseExport } from './app-database';

/** What `npm run backup` writes beside the files, read back by `npm run restore`. */
export const BACKUP_FORMAT = 'april-backup/1';

export interface ManifestFile {
  /** Relative to the backup folder. */
  path: string;
  bytes: number;
  sha256: string;
}

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  createdAt: string;
  durationMs: number;
  product: { name: string; version: string; commit?: string; embeddedPostgres?: string };
  runtime: { node: string; databaseExternal: boolean; temporalExternal: boolean; namespace: string };
  /** The stores in the order they were copied (the application database first). */
  order: ['database', 'temporal'];
  database: DatabaseExport & { rows: number };
  /** Milliseconds between the database snapshot and the end of Temporal's copy. */
  gapMs?: number;
  temporal:
    | { included: true; kind: string; method: string; copiedAt: string; files: ManifestFile[]; cliVersion?: string }
    | { included: false; reason: string };
  codecKeys: { included: true; files: ManifestFile[] } | { included: false; reason: string };
  totalBytes: number;
}
