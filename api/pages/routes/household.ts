import { Router } from 'express';
import { PHASES } from '../../../domain/household/vocabulary';
import * as labels from '../../../domain/labels';
import { isAllowed } from '../../access/permissions';
import type { ApiContext } from '../../context';
import { lineChartSvg } from '../chart';
import { euros } from '../filters';
import { openHousehold, readHousehold } from '../household-file';
import { render } from '../render';

/**
 * The household page: the path through the eight phases, what the viewer may do now (each action
 * a link to its own page, api/pages/routes/household-action.ts), the next deadlines, then the case
 * file as the viewer's role may read it (the household service builds the view: full, landlord,
 * partner). Short on a phone: the state, the deadlines and the actions come first.
 */
export function householdPages(ctx: ApiContext): Router {
  const router = Router();

  router.get('/menages/:id', async (req, res) => {
    const { principal, id } = await openHousehold(ctx, req, 'household.read');
    const { view, file, workflow, phase, actions } = await readHousehold(ctx, req, principal, id);
    const state = workflow?.state;
    const today = ctx.clock().toISOString().slice(0, 10);
    const legal = ((file.legal as { deadlines?: { dueDate: string }[] } | undefined)?.deadlines ?? []);
    const locals: Record<string, unknown> = {
      view, file, workflow, phase, id,
      // The household row keeps the referral's figure; the workflow holds the arrears as updated since.
      arrearsNow: state ? state.finances.arrearsCents / 100 : file.arrears,
      // The phase comes from the workflow when we read it; track and outcome must come from the same
      // source, or a case just closed shows « Clôture » before its row (an activity's projection) has the outcome.
      track: state ? state.track : file.track,
      outcome: state ? state.outcome : file.outcome,
      path: PHASES.map((p, index) => ({ phase: p, label: labels.PHASE_LABELS[p], state: p === phase ? 'current' : index < PHASES.indexOf(phase) ? 'done' : 'todo' })),
      actions: actions.map((a) => ({ slug: a.slug, title: a.title, warning: a.warning })),
      upcomingLegal: legal.filter((d) => d.dueDate >= today).slice(0, 3),
      canReadTasks: view === 'full' && isAllowed(principal.role, 'task.list'),
    };
    if (view === 'full') {
      const { arrearsPoints, ...details } = await ctx.householdPage.teamDetails(id, state);
      Object.assign(locals, details, { arrears: { points: arrearsPoints, svg: lineChartSvg(arrearsPoints, { format: euros }) } });
    }
    render(req, res, 'households/show.njk', locals);
  });

  return router;
}
