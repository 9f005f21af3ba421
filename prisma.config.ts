import fs from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'prisma/config';

// Stock Prisma downloads its native schema engine. On machines without internet the team's shared
// folder provides an offline stand-in; use it only when it is there and nothing else was chosen.
const offlineEngine = path.resolve(__dirname, '../shared/tools/prisma-schema-engine/schema-engine.mjs');
if (!process.env.PRISMA_SCHEMA_ENGINE_BINARY && fs.existsSync(offlineEngine)) {
  process.env.PRISMA_SCHEMA_ENGINE_BINARY = offlineEngine;
}

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  // Migrations need a URL; `prisma generate` does not, so an unset variable must not fail here.
  ...(process.env.DATABASE_URL ? { datasource: { url: process.env.DATABASE_URL } } : {}),
});
