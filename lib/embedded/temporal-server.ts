import fs from 'node:fs';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { householdSearchAttributes } from '../../workflows/household/search-attributes';
import type { TemporalCliSource } from './temporal-cli';

/**
 * The Temporal CLI's dev server (`temporal server start-dev`): full server with visibility,
 * schedules and web UI, persisted in a SQLite file so that households survive a restart.
 * The SDK's launcher starts it as a child process and stops it on teardown.
 */
export interface EmbeddedTemporal {
  address: string;
  uiUrl?: string;
  stop(): Promise<void>;
}

export async function startEmbeddedTemporal(options: {
  cli: TemporalCliSource;
  dataDir: string;
  port: number;
  uiPort?: number;
  namespace: string;
}): Promise<EmbeddedTemporal> {
  const dir = path.join(options.dataDir, 'temporal');
  fs.mkdirSync(dir, { recursive: true });
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable:
        options.cli.type === 'existing-path'
          ? { type: 'existing-path', path: options.cli.path }
          : { type: 'cached-download', downloadDir: options.cli.downloadDir },
      dbFilename: path.join(dir, 'temporal.sqlite'),
      ip: '127.0.0.1',
      port: options.port,
      namespace: options.namespace,
      ...(options.uiPort ? { ui: true, uiPort: options.uiPort } : { ui: false }),
      searchAttributes: householdSearchAttributes,
      log: { format: 'pretty', level: 'error' },
      // Write-ahead log: readers never wait for the server's writes, so `npm run backup` can take
      // a consistent copy (VACUUM INTO) while it runs (docs/design/runtime.md, « Sauvegarde et restauration »).
      extraArgs: ['--sqlite-pragma', 'journal_mode=wal'],
    },
  });
  return {
    address: env.address,
    uiUrl: options.uiPort ? `http://127.0.0.1:${options.uiPort}` : undefined,
    stop: () => env.teardown(),
  };
}
