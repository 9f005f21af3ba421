// Two projects: pure unit tests run alone; integration tests share one real PostgreSQL,
// one real Temporal dev server and one real SMTP server brought up by the global setup.
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.json' }];
// The generated Prisma client imports its siblings as './x.js' (Node16 resolution); map them to the .ts.
const moduleNameMapper = { '^(\\.{1,2}/.*)\\.js$': '$1' };

/** @type {import('jest').Config} */
module.exports = {
  // Workflow and API tests wait on a real server; a hung test still fails, after two minutes.
  testTimeout: 120000,
  // One file at a time by default. Two workers overlap well (the files mostly wait on Temporal,
  // PostgreSQL and Chromium: 360 s against ~500 s) but files that read programme-wide state (the
  // daily digest plans everyone with open work, the reconciler scans every household) then see
  // another file's households: three such races in four fresh CI runs. JEST_MAX_WORKERS=2 for a
  // faster local run; the files that need the database alone take it (harness `quietDatabase`).
  maxWorkers: Number(process.env.JEST_MAX_WORKERS ?? 1),
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': tsJest },
      moduleNameMapper,
      testMatch: ['<rootDir>/test/**/*.unit.test.ts'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': tsJest },
      moduleNameMapper,
      testMatch: [
        '<rootDir>/test/**/*.api.test.ts',
        '<rootDir>/test/**/*.workflow.test.ts',
        '<rootDir>/test/**/*.replay.test.ts',
      ],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      // Workers outlive a test file's globals by a few ticks while shutting down.
      testEnvironmentOptions: { globalsCleanup: 'off' },
    },
    {
      // Pages in Debian's Chromium (playwright-core), on the same real services as integration.
      displayName: 'browser',
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': tsJest },
      moduleNameMapper,
      testMatch: ['<rootDir>/test/**/*.browser.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      testEnvironmentOptions: { globalsCleanup: 'off' },
    },
  ],
};
