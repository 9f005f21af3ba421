import tseslint from 'typescript-eslint';

// Workflow code runs in Temporal's deterministic sandbox: no Node built-ins, no database,
// no mail, no clocks of its own. Anything with side effects belongs in activities/.
const forbiddenInWorkflows = [
  { group: ['node:*'], message: 'Workflow code must stay deterministic: use an activity.' },
  ...['fs', 'path', 'os', 'crypto', 'child_process', 'http', 'https', 'net', 'dns', 'tls', 'worker_threads', 'timers', 'process', 'events', 'stream', 'util'].map((name) => ({
    group: [name, `${name}/*`],
    message: 'Node built-ins are not allowed in workflow code: use an activity.',
  })),
  { group: ['@prisma/*', 'prisma', '**/generated/**', 'pg'], message: 'No database access in workflow code: use an activity.' },
  { group: ['nodemailer', 'nodemailer/*'], message: 'No mail in workflow code: use an activity.' },
  { group: ['@temporalio/client', '@temporalio/worker', '@temporalio/activity'], message: 'Workflow code imports only @temporalio/workflow.' },
  { group: ['**/activities/**', '**/api/**', '**/lib/**', '**/workers/**'], allowTypeImports: true, message: 'Workflow code may import only types from outside workflows/.' },
];

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
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: forbiddenInWorkflows }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
