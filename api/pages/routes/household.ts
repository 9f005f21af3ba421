import { Router, type Request, type Response } from 'express';
import type { Db } from '../../../lib/db';
import { acceptedCommands } from '../../../domain/household/phases';
import { PHASES, SUPPORT_DOMAINS, type Phase } from '../../../domain/household/vocabulary';
import type { HouseholdState, HouseholdView } from '../../../workflows/household/messages';
import { allow, requireHouseholdInScope } from '../../access/guard';
import { caseFileViewFor, isAllowed } from '../../access/permissions';
import type { Principal } from '../../auth/principal';
import { AppError, NotFoundError, ValidationError } from '../../errors';
import type { ProcessService } from '../../households/process-service';
import { householdIdParam } from '../../households/schemas';
import type { HouseholdService } from '../../households/service';
import { parseBody } from '../../validation';
import { lineChartSvg, type Point } from '../chart';
import { euros } from '../filters';
import { formBody, formErrors, redirectWithNotice, type FormErrors } from '../forms';
import { availableActions, CHOICES, PAGE_ACTIONS } from '../household-actions';
import * as labels from '../../../domain/labels';
import { render } from '../render';

/**
 * The household page: the path through the eight phases, the case file as the viewer's role may
 * read it (the household service builds the view: full, landlord, partner), and the actions the
 * viewer may take now, each a form posting to /menages/:id/actions/<slug>, which calls the same
 * process service as the API and shows a refusal (409) in plain French.
 */
/** The workflow part of the service's answer (full view: everything; landlord view: the phase). */
interface WorkflowInfo {
  available: boolean;
  reason?: string;
  state?: HouseholdState;
  nextDeadline?: HouseholdView['nextDeadline'];
  acceptedCommands?: string[];
  phase?: string;
}

export function householdPages(db: Db, households: HouseholdService, process: ProcessService): Router {
  const router = Router();

  const open = async (req: Request, action: 'household.read') => {
    const principal = allow(req, action);
    const id = householdIdParam.safeParse(req.params.id);
    if (!id.success) throw new NotFoundError('Ménage introuvable.');
    await requireHouseholdInScope(db, principal, id.data);
    return { principal, id: id.data };
  };

  async function show(req: Request, res: Response, principal: Principal, id: string, form: { slug?: string; values?: Record<string, string>; errors?: FormErrors } = {}, status = 200) {
    const view = caseFileViewFor(principal.role);
    // One of the service's three views (full, landlord, partner): what it holds is what we show.
    const file = await households.get(id, { actor: principal.id, requestId: req.id }, view) as { phase: string; workflow?: WorkflowInfo };
    const workflow = file.workflow;
    const phase = (workflow?.state?.phase ?? workflow?.phase ?? file.phase) as Phase;
    // The workflow's own list when we read it; else the rules' table for the phase (same source).
    const accepted = workflow?.acceptedCommands ?? (workflow?.available === false ? [] : [...acceptedCommands(phase)]);
    const actions = availableActions(accepted, principal);
    const locals: Record<string, unknown> = {
      view, file, workflow, phase, id,
      // The household row keeps the referral's figure; the workflow holds the arrears as updated since.
      arrearsNow: workflow?.state ? workflow.state.finances.arrearsCents / 100 : (file as { arrears?: number }).arrears,
      // The phase comes from the workflow when we read it; track and outcome must come from the same
      // source, or a case just closed shows « Clôture » before its row (an activity's projection) has the outcome.
      track: workflow?.state ? workflow.state.track : (file as { track?: string }).track,
      outcome: workflow?.state ? workflow.state.outcome : (file as { outcome?: string }).outcome,
      path: PHASES.map((p, index) => ({ phase: p, label: labels.PHASE_LABELS[p], state: p === phase ? 'current' : index < PHASES.indexOf(phase) ? 'done' : 'todo' })),
      actions: actions.map((a) => ({ slug: a.slug, title: a.title })),
      choices: CHOICES, labelTables: labels,
      form: { slug: form.slug, values: form.values ?? {}, errors: form.errors },
      // The layout shows the error summary at the top of the page.
      errors: form.errors,
      canReadTasks: view === 'full' && isAllowed(principal.role, 'task.list'),
    };
    if (view === 'full') Object.assign(locals, await fullDetails(id, workflow?.state));
    Object.assign(locals, await choicesFor(actions.map((a) => a.slug), principal));
    if (view === 'partner') locals.partnerOrg = principal.partnerOrganisationId;
    render(req, res, 'households/show.njk', locals, status);
  }

  /**
   * The people and organisations a form chooses from, read only when a form needs them: the
   * active educators (committee decision), the partner organisations (partner answer for the
   * coordination, receiving organisation of a handoff).
   */
  async function choicesFor(slugs: string[], principal: Principal) {
    const needsEducators = slugs.includes('decision-comite');
    const needsPartners = slugs.includes('tuilage') || (slugs.includes('reponse-partenaire') && principal.role !== 'partner_worker');
    const [educators, partnerOrganisations] = await Promise.all([
      needsEducators ? db.user.findMany({ where: { role: 'educator', active: true }, select: { id: true, displayName: true }, orderBy: { displayName: 'asc' } }) : [],
      needsPartners ? db.partnerOrganisation.findMany({ select: { id: true, name: true }, orderBy: { name: 'asc' } }) : [],
    ]);
    const items = (rows: { id: string; text: string }[], empty: string) => (selected?: string) =>
      [{ value: '', text: empty }, ...rows.map((r) => ({ value: r.id, text: r.text, selected: r.id === selected }))];
    return {
      educatorItems: items(educators.map((e) => ({ id: e.id, text: e.displayName })), 'Choisissez une personne'),
      partnerItems: items(partnerOrganisations.map((o) => ({ id: o.id, text: o.name })), 'Choisissez une organisation'),
      receivingItems: items(partnerOrganisations.map((o) => ({ id: o.id, text: o.name })), 'Aucune organisation partenaire désignée'),
    };
  }

  /** What only the association's team reads: timeline, tasks, support goals, arrears over time. */
  async function fullDetails(id: string, state: HouseholdState | undefined) {
    const [timeline, tasks, users] = await Promise.all([
      db.timelineEvent.findMany({ where: { householdId: id }, orderBy: { occurredAt: 'desc' }, take: 200 }),
      db.task.findMany({ where: { householdId: id }, orderBy: [{ status: 'asc' }, { dueAt: 'asc' }], take: 100 }),
      db.user.findMany({ select: { id: true, displayName: true } }),
    ]);
    const names = new Map(users.map((u) => [u.id, u.displayName]));
    const goalIds = state ? Object.values(state.support.plan).map((i) => i.goalRef).filter((x): x is string => !!x) : [];
    const goals = new Map((await db.note.findMany({ where: { id: { in: goalIds } }, select: { id: true, body: true } })).map((n) => [n.id, n.body]));
    const plan = state ? SUPPORT_DOMAINS.map((domain) => {
      const item = state.support.plan[domain];
      return { domain, status: item.status, goal: item.goalRef ? goals.get(item.goalRef) : undefined };
    }) : [];

    // Arrears over time: the referral's figure, then every update and payment, in order.
    const points: Point[] = [];
    let current = 0;
    for (const event of [...timeline].reverse()) {
      const data = (event.data ?? {}) as Record<string, number>;
      if (event.type === 'referralRecorded' && typeof data.arrearsCents === 'number') current = data.arrearsCents;
      else if (event.type === 'arrearsUpdated' && typeof data.arrearsCents === 'number') current = data.arrearsCents;
      else if (event.type === 'paymentRecorded' && typeof data.amountCents === 'number') current -= data.amountCents;
      else continue;
      points.push({ at: event.occurredAt, value: current / 100 });
    }
    return {
      timeline: timeline.map((e) => ({ ...e, actorName: e.actor === 'system' ? 'APRIL' : names.get(e.actor) ?? e.actor, data: e.data as Record<string, unknown> | null })),
      tasks: tasks.map((t) => ({ ...t, assigneeName: t.assigneeId ? names.get(t.assigneeId) : undefined })),
      plan,
      educatorName: state?.educatorId ? names.get(state.educatorId) : undefined,
      arrears: { points, svg: lineChartSvg(points, { format: euros }) },
    };
  }

  router.get('/menages/:id', async (req, res) => {
    const { principal, id } = await open(req, 'household.read');
    await show(req, res, principal, id);
  });

  router.post('/menages/:id/actions/:slug', async (req, res) => {
    const action = PAGE_ACTIONS.find((a) => a.slug === req.params.slug);
    if (!action) throw new NotFoundError('Action inconnue.');
    // The API's order: role (403), then scope (404), then the body.
    const principal = allow(req, action.permission);
    const id = householdIdParam.safeParse(req.params.id);
    if (!id.success) throw new NotFoundError('Ménage introuvable.');
    await requireHouseholdInScope(db, principal, id.data);
    const values = formBody(req);
    const ctx = { actor: principal.id, role: principal.role, requestId: req.id };
    try {
      const body = parseBody(action.schema, action.toBody(values, principal));
      await action.run(process, id.data, body, ctx, principal);
      redirectWithNotice(res, `/menages/${id.data}`, { title: 'C’est fait', text: action.done });
    } catch (error) {
      if (error instanceof ValidationError) {
        // Field ids on the page carry the action's slug (several forms share a page).
        const errors = formErrors(error, action.fields);
        errors.summary = errors.summary.map((item) => ({ ...item, href: item.href.replace('#', `#${action.slug}-`) }));
        return show(req, res, principal, id.data, { slug: action.slug, values, errors }, 400);
      }
      // The rules' refusal (409) or a conflict: said in plain French above the form, nothing changed.
      if (error instanceof AppError && (error.status === 409 || error.status === 504)) {
        const errors = { summary: [{ text: error.message, href: `#action-${action.slug}` }], fields: {} };
        return show(req, res, principal, id.data, { slug: action.slug, values, errors }, error.status);
      }
      throw error;
    }
  });

  return router;
}
