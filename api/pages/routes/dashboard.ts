import { Router } from 'express';
import { allow } from '../../access/guard';
import type { Permission } from '../../access/permissions';
import type { ApiContext } from '../../context';
import { DEADLINE_WINDOW_DAYS } from '../../dashboard/indicators';
import { ValidationError } from '../../errors';
import { barChartSvg } from '../bar-chart';
import { formErrors } from '../forms';
import { label, OUTCOME_LABELS, PHASE_LABELS, TRACK_LABELS } from '../../../domain/labels';
import { render } from '../render';

/**
 * The coordination's dashboard. The policy has no action of its own for it yet: it is the
 * coordination's, like holding the committee (`committee.manage`: coordinator only). When the
 * access table gets `dashboard.read`, change this one line.
 */
export const DASHBOARD_ACTION: Permission = 'dashboard.read';

/**
 * /tableau-de-bord: filters by landlord and period (a GET form), figures from the dashboard
 * service (api/dashboard/service.ts), each chart drawn on the server with the table of its figures.
 */
export function dashboardPages({ dashboard }: ApiContext): Router {
  const router = Router();

  router.get('/tableau-de-bord', async (req, res) => {
    allow(req, DASHBOARD_ACTION);
    const raw = Object.fromEntries(Object.entries(req.query).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
    const { period, landlord, landlords, problems, figures } = await dashboard.read(raw);
    const { indicators } = figures;
    const charts = {
      phases: barChartSvg(figures.byPhase.map((row) => ({ label: label(PHASE_LABELS, row.code), value: row.count }))),
      capacity: barChartSvg([
        ...figures.caseload.perLandlord.map((row) => ({ label: row.landlordName, value: row.active, target: row.capacity })),
        ...(landlord ? [] : [{ label: 'Total du programme', value: figures.caseload.total.active, target: figures.caseload.total.capacity }]),
      ]),
      outcomes: barChartSvg(indicators.outcomes.map((row) => ({ label: label(OUTCOME_LABELS, row.code), value: row.count }))),
      attempts: barChartSvg(indicators.attempts.distribution.map((row) => ({ label: `${row.label} tentative${row.label === '1' ? '' : 's'}`, value: row.count }))),
    };
    render(req, res, 'dashboard/index.njk', {
      figures,
      charts,
      period,
      landlord,
      deadlineDays: DEADLINE_WINDOW_DAYS,
      trackColumns: [...Object.entries(TRACK_LABELS).map(([code, text]) => ({ code, text })), { code: null, text: 'sans parcours (avant admission)' }],
      values: { du: period.du, au: period.au, bailleur: landlord?.id ?? '' },
      landlordItems: [{ value: '', text: 'Tous les bailleurs' }, ...landlords.map((l) => ({ value: l.id, text: l.name, selected: l.id === landlord?.id }))],
      ...(problems.length && { errors: formErrors(new ValidationError(problems), { du: { label: 'Début de la période' }, au: { label: 'Fin de la période' }, bailleur: { label: 'Bailleur' } }) }),
    }, problems.length ? 400 : 200);
  });

  return router;
}
