import { spawn } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '..');

/** Applies the checked-in migrations (`prisma migrate deploy`): idempotent, safe at every start. */
export async function migrateDatabase(databaseUrl: string): Promise<void> {
  const prismaBin = path.join(root, 'node_modules', '.bin', 'prisma');
  let output = '';
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(prismaBin, ['migrate', 'deploy'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', resolve);
  });
  if (code !== 0) throw new Error(`Les migrations de la base ont échoué :\n${output}`);
}
