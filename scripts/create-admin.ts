// Creates (or re-activates) an administrator account on a deployment's database: the first step
// after `docker compose up`, since demo accounts exist only in the embedded product.
//   DATABASE_URL=postgresql://… APRIL_ADMIN_PASSWORD='…' node dist/scripts/create-admin.js admin@exemple.fr "Prénom Nom"
// Without APRIL_ADMIN_PASSWORD a random password is generated and printed once.
import { randomBytes, randomUUID } from 'node:crypto';
import { createDb } from '../lib/db';
import { hashPassword, PASSWORD_MIN_LENGTH } from '../lib/passwords';
import { z } from '../lib/zod-fr';

async function main(): Promise<number> {
  const [email, displayName = 'Administration'] = process.argv.slice(2);
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) return fail('DATABASE_URL doit désigner la base PostgreSQL de la plateforme.');
  if (!email || !z.email().safeParse(email).success) return fail('Usage : create-admin <adresse e-mail> [nom affiché]');
  const given = process.env.APRIL_ADMIN_PASSWORD;
  if (given !== undefined && given.length < PASSWORD_MIN_LENGTH) return fail(`APRIL_ADMIN_PASSWORD : au moins ${PASSWORD_MIN_LENGTH} caractères.`);
  const password = given ?? randomBytes(18).toString('base64url');

  const db = createDb(databaseUrl);
  try {
    const passwordHash = await hashPassword(password);
    const existing = await db.user.findUnique({ where: { email } });
    if (existing && existing.role !== 'admin') return fail(`${email} existe déjà avec un autre rôle (${existing.role}).`);
    await db.user.upsert({
      where: { email },
      create: { id: randomUUID(), email, displayName, role: 'admin', passwordHash },
      update: { passwordHash, active: true },
    });
    console.log(`Compte d'administration prêt : ${email}`);
    if (!given) console.log(`Mot de passe (affiché une seule fois) : ${password}`);
    return 0;
  } finally {
    await db.$disconnect();
  }
}

function fail(message: string): number {
  console.error(message);
  return 1;
}

main().then((code) => process.exit(code), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
