import path from 'node:path';
import type { AppConfig, ResolvedServices } from '../config';
import { startMailCatcher } from './mail-catcher';
import { startEmbeddedPostgres } from './postgres';
import { ensureTemporalCli } from './temporal-cli';
import { startEmbeddedTemporal } from './temporal-server';

/**
 * Starts whichever of PostgreSQL, Temporal and the mail catcher the configuration does not point
 * at an external service, and says where each one is. Stops them in reverse order.
 */
export interface RunningServices {
  services: ResolvedServices;
  /** One human-readable line per part, for the start-up banner. */
  parts: { name: string; address: string; embedded: boolean }[];
  mailInboxUrl?: string;
  temporalUiUrl?: string;
  stop(): Promise<void>;
}

export async function startServices(
  config: AppConfig,
  options: { temporalUi: boolean; log: (line: string) => void },
): Promise<RunningServices> {
  const stops: (() => Promise<void>)[] = [];
  const parts: RunningServices['parts'] = [];
  const logDir = path.join(config.dataDir, 'logs');
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    let databaseUrl = config.database.url;
    if (!databaseUrl) {
      const postgres = await startEmbeddedPostgres({
        dataDir: config.dataDir,
        port: config.database.embeddedPort,
        logFile: path.join(logDir, 'postgres.log'),
      });
      stops.push(postgres.stop);
      databaseUrl = postgres.url;
    }
    parts.push({ name: 'PostgreSQL', address: redactPassword(databaseUrl), embedded: !config.database.url });

    let temporalAddress = config.temporal.address;
    let temporalUiUrl: string | undefined;
    if (!temporalAddress) {
      const cli = await ensureTemporalCli({ cliPath: config.temporal.cliPath, log: options.log });
      const temporal = await startEmbeddedTemporal({
        cli,
        dataDir: config.dataDir,
        port: config.temporal.embeddedPort,
        uiPort: options.temporalUi ? config.temporal.embeddedUiPort : undefined,
        namespace: config.temporal.namespace,
      });
      stops.push(temporal.stop);
      temporalAddress = temporal.address;
      temporalUiUrl = temporal.uiUrl;
    }
    parts.push({ name: 'Temporal', address: `${temporalAddress} (espace de noms ${config.temporal.namespace})`, embedded: !config.temporal.address });
    if (temporalUiUrl) parts.push({ name: 'Temporal, interface web', address: temporalUiUrl, embedded: true });

    let smtpUrl = config.mail.smtpUrl;
    let mailInboxUrl: string | undefined;
    if (!smtpUrl) {
      const mail = await startMailCatcher({
        dataDir: config.dataDir,
        smtpPort: config.mail.embeddedSmtpPort,
        webPort: config.mail.embeddedWebPort,
        logFile: path.join(logDir, 'maildev.log'),
      });
      stops.push(mail.stop);
      smtpUrl = mail.smtpUrl;
      mailInboxUrl = mail.webUrl;
    }
    parts.push({ name: 'SMTP', address: redactPassword(smtpUrl), embedded: !config.mail.smtpUrl });
    if (mailInboxUrl) parts.push({ name: 'Boîte aux lettres de test', address: mailInboxUrl, embedded: true });

    return { services: { databaseUrl, temporalAddress, smtpUrl }, parts, mailInboxUrl, temporalUiUrl, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

export function redactPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}
