import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';
import { PrismaClient } from '../generated/prisma/client';

export type Db = PrismaClient;

export function createDb(databaseUrl: string): Db {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
}

/**
 * A plain pg pool on the same database, for a package that speaks to PostgreSQL itself (the sign-in
 * limits, api/auth/rate-limit.ts). Small: a couple of queries per sign-in.
 */
export function createPgPool(databaseUrl: string, max = 4): Pool {
  return new Pool({ connectionString: databaseUrl, max, allowExitOnIdle: true });
}
