import { Router } from 'express';
import { PHASES, TRACKS } from '../../../domain/household/vocabulary';
import { allow } from '../../access/guard';
import { visibleTo } from '../../access/fields';
import { caseFileViewFor } from '../../access/permissions';
import type { ApiContext } from '../../context';
import { listQuery } from '../../households/schemas';
import type { HouseholdFilter } from '../../households/list';
import { PHASE_LABELS, TRACK_LABELS } from '../../../domain/labels';
import { pagination, withQuery } from '../paging';
import { render } from '../render';

const SORTS = {
  recent: 'Orientation la plus récente',
  ancienne: 'Orientation la plus ancienne',
  echeance: 'Prochaine échéance',
  nom: 'Nom',
  reference: 'Référence du bail',
} as const;
type Sort = keyof typeof SORTS;

/**
 * The household list: the households `GET /api/households` gives the viewer (same scope, same
 * filters), then search, deadline filter, sort and paging here. « Échéance » is the nearest due date of an open task of the household (legal warnings
 * included).
 */
export function householdListPages({ clock, directory, householdLists }: ApiContext): Router {
  const router = Router();

  router.get('/menages', async (req, res) => {
    const principal = allow(req, 'household.list');
    const view = caseFileViewFor(principal.role);
    const raw = Object.fromEntries(Object.entries(req.query).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
    // Each filter is checked by the API's own schema; a value that is not valid is ignored.
    const filter: { phase?: string; landlordId?: string; track?: string; educatorId?: string } = {};
    for (const key of ['phase', 'landlordId', 'track', 'educatorId'] as const) {
      const value = raw[key];
      if (value && listQuery.safeParse({ [key]: value }).success) filter[key] = value;
    }
    if (view !== 'full') delete filter.educatorId;
    const withinDays = /^\d{1,3}$/.test(raw.echeance ?? '') ? Number(raw.echeance) : undefined;
    const sort: Sort = raw.tri && raw.tri in SORTS ? (raw.tri as Sort) : 'recent';
    const search = (raw.q ?? '').trim().toLowerCase();

    // Scope and filters in SQL (the list service); search, deadline and sort below on the matching rows (a programme's size).
    const [{ rows: shaped, educators }, landlords] = await Promise.all([
      householdLists.forViewer(principal, filter as HouseholdFilter, req.id),
      directory.landlords(),
    ]);
    const listed = shaped.map((row) => visibleTo('householdRow', principal.role, row) as typeof row);
    const limit = withinDays !== undefined ? clock().getTime() + withinDays * 86_400_000 : undefined;
    const rows = listed
      .filter((row) => !search || row.headName.toLowerCase().includes(search) || (row.tenancyReference ?? '').toLowerCase().includes(search))
      .filter((row) => limit === undefined || (row.nextDue !== undefined && row.nextDue.getTime() <= limit));
    const compare: Record<Sort, (a: (typeof rows)[number], b: (typeof rows)[number]) => number> = {
      recent: (a, b) => b.createdAt.localeCompare(a.createdAt),
      ancienne: (a, b) => a.createdAt.localeCompare(b.createdAt),
      echeance: (a, b) => (a.nextDue?.getTime() ?? Infinity) - (b.nextDue?.getTime() ?? Infinity),
      nom: (a, b) => a.headName.localeCompare(b.headName, 'fr'),
      reference: (a, b) => (a.tenancyReference ?? '').localeCompare(b.tenancyReference ?? '', 'fr'),
    };
    rows.sort(compare[sort]);
    const page = pagination(rows, raw.page, (n) => withQuery('/menages', raw, { page: String(n) }));

    const option = (selected: string | undefined) => (entries: [string, string][], empty: string) =>
      [{ value: '', text: empty }, ...entries.map(([value, text]) => ({ value, text, selected: value === selected }))];
    render(req, res, 'households/list.njk', {
      view,
      query: raw,
      page,
      filtersApplied: Boolean(search || withinDays !== undefined || Object.keys(filter).length),
      phaseItems: option(filter.phase)(PHASES.map((p) => [p, PHASE_LABELS[p]]), 'Toutes les phases'),
      trackItems: option(filter.track)(TRACKS.map((t) => [t, TRACK_LABELS[t] ?? t]), 'Tous les parcours'),
      landlordItems: principal.role === 'landlord_agent' ? undefined : option(filter.landlordId)(landlords.map((l) => [l.id, l.name]), 'Tous les bailleurs'),
      educatorItems: view === 'full' ? option(filter.educatorId)(educators.map((e) => [e.id, e.displayName]), 'Toutes et tous') : undefined,
      sortItems: Object.entries(SORTS).map(([value, text]) => ({ value, text, selected: value === sort })),
    });
  });

  return router;
}
