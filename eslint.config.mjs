import tseslint from 'typescript-eslint';

// Workflow code runs in Temporal's deterministic sandbox: no Node built-ins, no database,
// no mail, no clocks of its own. Anything with side effects belongs in activities/.
const nodeBuiltins = ['fs', 'path', 'os', 'crypto', 'child_process', 'http', 'https', 'net', 'dns', 'tls', 'worker_threads', 'timers', 'process', 'events', 'stream', 'util', 'url', 'zlib', 'buffer'];
const forbiddenInWorkflows = {
  // Exact module names, so that a file of ours called ./events is not mistaken for Node's.
  paths: [
    ...nodeBuiltins.map((name) => ({ name, message: 'Node built-ins are not allowed in workflow code: use an activity.' })),
    { name: 'prisma', message: 'No database access in workflow code: use an activity.' },
    { name: 'pg', message: 'No database access in workflow code: use an activity.' },
    { name: 'nodemailer', message: 'No mail in workflow code: use an activity.' },
    ...['@temporalio/client', '@temporalio/worker', '@temporalio/activity', '@temporalio/testing'].map((name) => ({
      name,
      message: 'Workflow code imports only @temporalio/workflow (and @temporalio/common).',
    })),
  ],
  patterns: [
    { group: ['node:*', ...nodeBuiltins.map((name) => `${name}/*`)], message: 'Workflow code must stay deterministic: use an activity.' },
    { group: ['@prisma/*', '**/generated/**'], message: 'No database access in workflow code: use an activity.' },
    { group: ['nodemailer/*'], message: 'No mail in workflow code: use an activity.' },
    { group: ['**/activities', '**/activities/**', '**/api/**', '**/lib/**', '**/workers/**'], allowTypeImports: true, message: 'Workflow code may import only types from outside workflows/ and domain/.' },
    // The law changes: a workflow that computed legal deadlines itself would replay differently
    // after an update of the rules. They reach workflows through a local activity (docs/decisions/0006).
    { group: ['**/domain/legal', '**/domain/legal/**'], allowTypeImports: true, message: 'Workflow code may not compute legal deadlines: call the legal local activity.' },
  ],
};

// The domain is pure rules: no I/O, no clock, no engine, no framework, nothing outside domain/.
const forbiddenInDomain = {
  paths: forbiddenInWorkflows.paths.concat(['@temporalio/workflow', '@temporalio/common', 'express', 'zod'].map((name) => ({
    name,
    message: 'The domain is pure rules: no engine, no framework. Put this in workflows/, activities/ or api/.',
  }))),
  patterns: [
    ...forbiddenInWorkflows.patterns.slice(0, 3),
    { group: ['@temporalio/*'], message: 'The domain knows nothing of Temporal.' },
    { group: ['**/workflows/**', '**/activities', '**/activities/**', '**/api/**', '**/lib/**', '**/workers/**'], message: 'The domain imports nothing outside domain/.' },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'data/**', 'generated/**', 'coverage/**', '.test-data/**', 'temporal-docker/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', forbiddenInWorkflows],
    },
  },
  {
    files: ['domain/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', forbiddenInDomain],
    },
  },
  {
    // Tests read JSON answers loosely on purpose; the assertions say what they must contain.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
