import { householdKeyMaterials } from '../../domain/caseload/normalise';
import type { PartnerListAnswer } from '../../domain/household';
import { caseloadListFreshness, type ProgrammePolicy } from '../../domain/programme/policy';
import type { CaseloadListKey } from '../../lib/config';
import type { Db } from '../../lib/db';
import { caseloadKey } from './keys';

/** How each partner organisation is to be consulted about one referred household. */
export interface PartnerRouting {
  /** Organisations asked: a check task each (their list holds the household, or they have no fresh list). */
  partnerOrgIds: string[];
  /** Organisations answered "not known" by their fresh list, which do not see the household at all. */
  partnersAnsweredByList: PartnerListAnswer[];
}

/** Whether a list answers for its organisation at `at`: keyed with today's key, and young enough. */
export function isFresh(list: { keyId: string; uploadedAt: Date }, key: CaseloadListKey, policy: ProgrammePolicy, at: Date): boolean {
  return list.keyId === key.id && at.getTime() - list.uploadedAt.getTime() <= caseloadListFreshness(policy);
}

/**
 * At referral (docs/privacy/caseload-lists.md): the household's keys against each organisation's
 * list. A fresh list holding one of them → that organisation is asked ("you may follow this
 * household"); a fresh list holding none → answered by the list; no fresh list → asked, as before
 * the lists. A household whose name is a surname alone gives no key: every organisation is asked.
 */
export async function routePartnerCheck(
  db: Db, key: CaseloadListKey, policy: ProgrammePolicy, household: { headName: string; address: string }, at: Date,
): Promise<PartnerRouting> {
  const partners = await db.partnerOrganisation.findMany({
    select: { id: true, caseload: { select: { id: true, keyId: true, uploadedAt: true } } },
    orderBy: { code: 'asc' },
  });
  const keys = householdKeyMaterials(household).map(({ material }) => caseloadKey(key, material));
  const freshLists = keys.length === 0
    ? []
    : partners.flatMap((p) => (p.caseload && isFresh(p.caseload, key, policy, at) ? [p.caseload] : []));
  const matched = freshLists.length === 0
    ? new Set<string>()
    : new Set((await db.caseloadKey.findMany({
      where: { listId: { in: freshLists.map((l) => l.id) }, keyHex: { in: keys } },
      select: { listId: true },
    })).map((k) => k.listId));
  const freshIds = new Set(freshLists.map((l) => l.id));

  const routing: PartnerRouting = { partnerOrgIds: [], partnersAnsweredByList: [] };
  for (const partner of partners) {
    const list = partner.caseload;
    if (list && freshIds.has(list.id) && !matched.has(list.id)) {
      routing.partnersAnsweredByList.push({ partnerOrgId: partner.id, listDate: list.uploadedAt.toISOString().slice(0, 10) });
    } else {
      routing.partnerOrgIds.push(partner.id);
    }
  }
  return routing;
}
