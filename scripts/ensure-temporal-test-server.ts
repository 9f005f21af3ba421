// Provides Temporal's time-skipping test server (see lib/embedded/temporal-test-server.ts) for the
// tests that run the programme's real rhythm; run by `npm install` and by CI before the tests.
import { ensureTemporalTestServer } from '../lib/embedded/temporal-test-server';

ensureTemporalTestServer()
  .then((wrapper) => {
    // No Java or Maven: `npm install` still succeeds, and the real-rhythm test fails with this advice.
    if (!wrapper) {
      console.log('Serveur de test Temporal non fourni : installez Java (8 ou plus) et Maven, puis relancez : node --import tsx scripts/ensure-temporal-test-server.ts');
      return;
    }
    console.log(`Serveur de test Temporal : ${wrapper}`);
  })
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
