import { randomUUID } from 'node:crypto';
import type { Db } from '../../lib/db';
import { recordAudit } from '../audit';
import { Prisma } from '../../generated/prisma/client';
import { ConflictError, NotFoundError } from '../errors';
import { hashSecret, newSecret } from './secrets';

/**
 * A person's personal API tokens: list, create (the secret is returned once, only its hash is
 * kept), revoke. Used by `/api/me/tokens` and by the account page.
 */
export function tokenService(db: Db, clock: () => Date) {
  return {
    list(userId: string) {
      return db.apiToken.findMany({
        where: { userId, revokedAt: null },
        select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true },
        orderBy: { createdAt: 'desc' },
      });
    },

    /**
     * `id`, when given, is the one-time id of the form that asks (the account page): a form sent
     * twice (a reload that posts again) finds its token made and gets 409, never a second token.
     */
    async create(userId: string, name: string, requestId: string, id: string = randomUUID()) {
      const token = newSecret('april');
      const prefix = token.slice(0, 12);
      try {
        await db.apiToken.create({ data: { id, userId, name, prefix, tokenHash: hashSecret(token) } });
      } catch (error) {
        if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
          throw new ConflictError('Ce jeton a déjà été créé par ce formulaire : son secret n’est affiché qu’une fois. S’il n’a pas été copié, révoquez-le et créez-en un autre.');
        }
        throw error;
      }
      await recordAudit(db, { actor: userId, action: 'api_token.create', requestId, details: { tokenId: id } });
      return { id, name, prefix, token };
    },

    async revoke(userId: string, tokenId: string, requestId: string) {
      const revoked = await db.apiToken.updateMany({
        where: { id: tokenId, userId, revokedAt: null },
        data: { revokedAt: clock() },
      }).catch(() => ({ count: 0 }));
      if (revoked.count === 0) throw new NotFoundError('Jeton introuvable.');
      await recordAudit(db, { actor: userId, action: 'api_token.revoke', requestId, details: { tokenId } });
    },
  };
}
