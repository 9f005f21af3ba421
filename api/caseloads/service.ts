import { randomUUID } from 'node:crypto';
import { lineKeyMaterials } from '../../domain/caseload/normalise';
import { caseloadListFreshness } from '../../domain/programme/policy';
import type { CaseloadListKey } from '../../lib/config';
import { recordAudit } from '../audit';
import type { Principal } from '../auth/principal';
import type { ApiCore } from '../context';
import { ForbiddenError } from '../errors';
import { readCaseloadFile } from './file';
import { caseloadKey } from './keys';
import { isFresh } from './matching';

/** Keys written per statement: a 20 000-line list in a few round trips. */
const KEYS_PER_INSERT = 5_000;
/** Line numbers given back for lines that could identify nobody (the rest are counted). */
const UNUSABLE_LINES_SHOWN = 20;

const day = (date: Date) => date.toISOString().slice(0, 10);

/**
 * Partner caseload lists (docs/privacy/caseload-lists.md): a partner worker uploads the households its
 * organisation follows; each line is reduced in memory to keyed hashes and only those are stored,
 * with who uploaded, when, under which key id and how many lines. The file is never written.
 */
export function createCaseloadLists(core: Pick<ApiCore, 'db' | 'clock' | 'policy'> & { caseloadListKey: CaseloadListKey }) {
  const { db, clock, policy, caseloadListKey: key } = core;

  function organisationOf(principal: Principal): string {
    if (!principal.partnerOrganisationId) throw new ForbiddenError('Votre compte n’est rattaché à aucune organisation partenaire.');
    return principal.partnerOrganisationId;
  }

  function viewOf(list: { uploadedAt: Date; keyId: string; lineCount: number; _count: { keys: number } }) {
    const freshUntil = new Date(list.uploadedAt.getTime() + caseloadListFreshness(policy));
    return {
      uploadedAt: list.uploadedAt.toISOString(),
      listDate: day(list.uploadedAt),
      lineCount: list.lineCount,
      keyCount: list._count.keys,
      /** Whether the list answers for the organisation today (young enough, and keyed with today's key). */
      fresh: isFresh(list, key, policy, clock()),
      freshUntil: day(freshUntil),
      /** False after a key rotation: the list no longer matches anything until it is uploaded again. */
      currentKey: list.keyId === key.id,
    };
  }

  const listSelect = { uploadedAt: true, keyId: true, lineCount: true, _count: { select: { keys: true } } } as const;

  return {
    async current(principal: Principal) {
      const list = await db.caseloadList.findUnique({ where: { partnerOrganisationId: organisationOf(principal) }, select: listSelect });
      return { list: list ? viewOf(list) : null };
    },

    /** Replaces the organisation's list, atomically: the old one answers until the new one is in. */
    async upload(principal: Principal, content: Uint8Array, requestId: string) {
      const organisationId = organisationOf(principal);
      const { lines, blankLines } = readCaseloadFile(content);
      const keys = new Set<string>();
      const unusable: number[] = [];
      for (const { number, line } of lines) {
        // Only the name-and-address key: the case file holds no date of birth, so a date-of-birth key
        // could never match and would be kept for nothing (docs/decisions/0011-caseload-pseudonyms.md).
        const materials = lineKeyMaterials(line).filter((m) => m.kind === 'name_address');
        if (materials.length === 0) unusable.push(number);
        for (const { material } of materials) keys.add(caseloadKey(key, material));
      }
      const id = randomUUID();
      const uploadedAt = clock();
      const keyHexes = [...keys];
      await db.$transaction(async (tx) => {
        await tx.caseloadList.deleteMany({ where: { partnerOrganisationId: organisationId } });
        await tx.caseloadList.create({ data: { id, partnerOrganisationId: organisationId, uploadedById: principal.id, uploadedAt, keyId: key.id, lineCount: lines.length } });
        for (let i = 0; i < keyHexes.length; i += KEYS_PER_INSERT) {
          await tx.caseloadKey.createMany({ data: keyHexes.slice(i, i + KEYS_PER_INSERT).map((keyHex) => ({ listId: id, keyHex })) });
        }
        await recordAudit(tx, {
          actor: principal.id, action: 'caseload.upload', requestId,
          details: { partnerOrganisationId: organisationId, lineCount: lines.length, keyCount: keyHexes.length, keyId: key.id },
        });
      }, { timeout: 30_000 });
      const list = await db.caseloadList.findUniqueOrThrow({ where: { id }, select: listSelect });
      return {
        list: viewOf(list),
        report: { lines: lines.length, blankLines, unusableLines: unusable.length, unusableLineNumbers: unusable.slice(0, UNUSABLE_LINES_SHOWN) },
      };
    },

    async remove(principal: Principal, requestId: string): Promise<{ deleted: boolean }> {
      const organisationId = organisationOf(principal);
      return db.$transaction(async (tx) => {
        const { count } = await tx.caseloadList.deleteMany({ where: { partnerOrganisationId: organisationId } });
        if (count > 0) await recordAudit(tx, { actor: principal.id, action: 'caseload.delete', requestId, details: { partnerOrganisationId: organisationId } });
        return { deleted: count > 0 };
      });
    },

    /** For the coordination: which organisation has a list, of when, how long: never its keys. */
    async overview() {
      const partners = await db.partnerOrganisation.findMany({
        select: { id: true, name: true, caseload: { select: listSelect } },
        orderBy: { name: 'asc' },
      });
      return partners.map((p) => ({ organisation: { id: p.id, name: p.name }, list: p.caseload ? viewOf(p.caseload) : null }));
    },
  };
}

export type CaseloadLists = ReturnType<typeof createCaseloadLists>;
