// Provides the Temporal CLI binary (see lib/embedded/temporal-cli.ts); run by `npm install`.
import { ensureTemporalCli } from '../lib/embedded/temporal-cli';

ensureTemporalCli({ cliPath: process.env.TEMPORAL_CLI_PATH })
  .then((source) => {
    console.log(
      source.type === 'existing-path'
        ? `CLI Temporal : ${source.path}`
        : `CLI Temporal : téléchargement par le SDK dans ${source.downloadDir}`,
    );
  })
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
