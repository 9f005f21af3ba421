import { Router, type Request, type Response } from 'express';
import { PHASES } from '../../../domain/household/vocabulary';
import { allow } from '../../access/guard';
import { visibleTo } from '../../access/fields';
import { caseFileViewFor, isAllowed } from '../../access/permissions';
import type { Principal } from '../../auth/principal';
import type { ApiContext } from '../../context';
import { NotFoundError } from '../../errors';
import { listTasksQuery, TASK_TYPES, taskIdParam, type ListTasksQuery } from '../../tasks/schemas';
import { completionFor, type Completion } from '../../tasks/completions';
import { formToBody, sourcesNeeded } from '../form-fields';
import { renderFields } from '../form-render';
import { formBody, redirectWithNotice, safeReturnPath, type FormErrors } from '../forms';
import { postForm, type FormState } from '../page-form';
import * as labels from '../../../domain/labels';
import { PAGE_SIZE, pagination, withQuery } from '../paging';
import { render } from '../render';

/** The inbox's tabs: the page's word in the address → the API's view. */
const VIEWS = {
  mes: { view: 'mine', text: 'Mes tâches' },
  equipe: { view: 'team', text: 'Mon équipe' },
  retard: { view: 'overdue', text: 'En retard' },
  toutes: { view: 'all', text: 'Toutes' },
} as const;
type ViewKey = keyof typeof VIEWS;

/** The tabs a role is offered; « Toutes » is the coordination's overview. */
const tabsOf = (role: Role): ViewKey[] => (role === 'coordinator' ? ['mes', 'equipe', 'retard', 'toutes'] : ['mes', 'equipe', 'retard']);

/** Where each role's inbox opens: its own work, or the team's pool where nothing is given by name. */
const DEFAULT_VIEW: Record<Role, ViewKey> = {
  coordinator: 'toutes', educator: 'mes', committee_member: 'equipe', partner_worker: 'equipe', landlord_agent: 'mes', admin: 'mes',
};

/** How a history line reads. */
const HISTORY_LABELS: Record<string, string> = {
  created: 'Tâche ouverte', claimed: 'Prise en charge', unclaimed: 'Remise à l’équipe', completed: 'Terminée',
  refused: 'Refusée par les règles du dispositif', deferred: 'Reportée, de retour dans l’équipe', cancelled: 'Annulée : le dossier a évolué',
};

type Raw = Record<string, string>;
type Role = Principal['role'];

/** The task's completion (the action table's form, api/tasks/completions.ts); undefined if the page cannot complete it. */
function completionOf(task: { type: string; form: unknown }): Completion | undefined {
  try {
    return completionFor(task as Parameters<typeof completionFor>[0]);
  } catch {
    return undefined;
  }
}

/**
 * The task inbox as pages (issue 6): « Mes tâches / Mon équipe / En retard » (and « Toutes » for the
 * coordination), filters by type and phase, paging, a « Prendre » button per task; the task page
 * with its household, its history, claim / release and its completion form. Every call goes to the
 * task service of the API (api/tasks/service.ts): same scope (404), same ownership rules (409),
 * same forms (api/tasks/schemas.ts), same audit rows. Role refusals (403) come from the same policy.
 */
export function taskPages(ctx: ApiContext): Router {
  const router = Router();
  const service = ctx.tasks;

  const idOf = (req: Request) => {
    const id = taskIdParam.safeParse(req.params.id);
    if (!id.success) throw new NotFoundError('Tâche introuvable.');
    return id.data;
  };

  /** The list's query from the address; a value the API's schema refuses is ignored, like on /menages. */
  function listQueryOf(raw: Raw, principal: Principal) {
    const key: ViewKey = raw.vue && raw.vue in VIEWS ? (raw.vue as ViewKey) : DEFAULT_VIEW[principal.role];
    const filter: Partial<Pick<ListTasksQuery, 'type' | 'phase'>> = {};
    for (const name of ['type', 'phase'] as const) {
      const value = raw[name];
      const parsed = value ? listTasksQuery.safeParse({ [name]: value }) : undefined;
      if (parsed?.success) Object.assign(filter, { [name]: parsed.data[name] });
    }
    const page = Math.max(1, Number.parseInt(raw.page ?? '1', 10) || 1);
    return { key, filter, page };
  }

  async function showList(req: Request, res: Response, principal: Principal, raw: Raw, errors?: FormErrors, status = 200) {
    const { key, filter, page: requested } = listQueryOf(raw, principal);
    const base = { view: VIEWS[key].view, ...filter, limit: PAGE_SIZE };
    const requestContext = { requestId: req.id };
    let page = requested;
    let result = await service.list({ ...base, offset: (page - 1) * PAGE_SIZE }, principal, requestContext);
    // A page past the end (a link kept while tasks were done): the last one.
    if (result.tasks.length === 0 && result.page.total > 0 && page > 1) {
      page = Math.ceil(result.page.total / PAGE_SIZE);
      result = await service.list({ ...base, offset: (page - 1) * PAGE_SIZE }, principal, requestContext);
    }
    const kept: Raw = { vue: key, ...(filter.type && { type: filter.type }), ...(filter.phase && { phase: filter.phase }) };
    const paging = pagination(Array.from({ length: result.page.total }), String(page), (n) => withQuery('/taches', kept, { page: String(n) }), PAGE_SIZE);
    const option = (selected: string | undefined, entries: [string, string][], empty: string) =>
      [{ value: '', text: empty }, ...entries.map(([value, text]) => ({ value, text, selected: value === selected }))];

    render(req, res, 'tasks/list.njk', {
      tabs: tabsOf(principal.role).map((k) => ({ text: VIEWS[k].text, href: withQuery('/taches', { ...kept, vue: k }, { page: undefined }), active: k === key })),
      tabTitle: VIEWS[key].text,
      vue: key,
      tasks: result.tasks.map((task) => visibleTo('task', principal.role, task) as typeof task),
      paging,
      total: result.page.total,
      filtersApplied: Boolean(filter.type || filter.phase),
      clearHref: withQuery('/taches', { vue: key }, {}),
      typeItems: option(filter.type, TASK_TYPES.map((t) => [t, labels.label(labels.TASK_TYPE_LABELS, t)]), 'Tous les types'),
      phaseItems: option(filter.phase, PHASES.map((p) => [p, labels.label(labels.PHASE_LABELS, p)]), 'Toutes les phases'),
      canClaim: isAllowed(principal.role, 'task.claim'),
      me: principal.id,
      returnTo: withQuery('/taches', kept, { page: page > 1 ? String(page) : undefined }),
      errors,
    }, status);
  }

  /** The task page: the task, its household (as the role may read it), history, and what one may do. */
  async function showTask(req: Request, res: Response, principal: Principal, id: string, form: { values?: Raw; errors?: FormErrors } = {}, status = 200) {
    const task = visibleTo('task', principal.role, await service.get(id, principal, { requestId: req.id })) as Awaited<ReturnType<typeof service.get>>;
    const view = caseFileViewFor(principal.role);
    // The household's summary: service.get has just recorded the read of this household (task.read).
    const household = view === 'full' ? await ctx.householdPage.summary(task.household.id) : null;

    const active = task.status === 'open' || task.status === 'claimed';
    const free = task.assignee === null;
    const mine = task.assignee?.id === principal.id;
    const canClaimRole = isAllowed(principal.role, 'task.claim');
    const completion = completionOf(task);
    const mayComplete = Boolean(completion) && isAllowed(principal.role, 'task.complete')
      && (completion?.permission === null || (completion?.permission !== undefined && isAllowed(principal.role, completion.permission)));
    // Only whoever may take the task gets the form: anyone else would get a 409 (the service decides).
    const formShown = active && mayComplete && (free || mine);
    const suggestedSlot = (task.form as { suggestedSlot?: string } | null)?.suggestedSlot;
    const fields = formShown && completion ? renderFields(completion.fields, {
      values: form.values ?? {}, errors: form.errors?.fields,
      directory: await ctx.householdPage.directory(sourcesNeeded(completion.fields)),
      hints: suggestedSlot ? { slot: `Créneau suggéré : ${labels.label(labels.TIME_SLOT_LABELS, suggestedSlot)}.` } : {},
    }).fields : [];

    const taskForm = (task.form ?? {}) as Record<string, unknown>;
    render(req, res, 'tasks/show.njk', {
      task,
      taskForm,
      view,
      household,
      educatorName: household?.educatorName,
      history: task.history.map((h) => ({
        ...h,
        label: HISTORY_LABELS[h.action] ?? h.action,
        automatic: Boolean(h.details && typeof h.details === 'object' && 'automatic' in h.details),
        message: h.details && typeof h.details === 'object' && 'message' in h.details ? String((h.details as Record<string, unknown>).message) : undefined,
      })),
      result: task.status === 'completed' ? task.result as Record<string, unknown> | null : null,
      canClaim: active && canClaimRole && (free || (task.status === 'open' && mine)),
      canRelease: active && canClaimRole && !free && (mine ? task.status === 'claimed' : principal.role === 'coordinator'),
      formShown,
      fields,
      submitText: completion?.submit,
      errors: form.errors,
      returnTo: `/taches/${id}`,
      me: principal.id,
    }, status);
  }

  /** A conflict (409: someone holds it, it is done) or a late answer (504): said in plain French beside the task's state. */
  const onTaskPage = { href: '#tache-etat' };
  const showTaskForm = (req: Request, res: Response, form: FormState, status: number) => showTask(req, res, allow(req, 'task.list'), idOf(req), form, status);

  router.get('/taches', async (req, res) => {
    const principal = allow(req, 'task.list');
    const raw = Object.fromEntries(Object.entries(req.query).filter(([, v]) => typeof v === 'string')) as Raw;
    await showList(req, res, principal, raw);
  });

  router.get('/taches/:id', async (req, res) => {
    const principal = allow(req, 'task.list');
    await showTask(req, res, principal, idOf(req));
  });

  /** Where a claim was tapped: the list the person was reading, or the task page. */
  const fromList = (req: Request) => {
    const back = safeReturnPath(formBody(req).retour);
    return back.startsWith('/taches?') || back === '/taches' ? back : undefined;
  };

  /** Claim in one tap, from the list or the task page; then the task page and its form. */
  router.post('/taches/:id/prendre', postForm(
    (req, res, form, status) => {
      const back = fromList(req);
      if (!back) return showTaskForm(req, res, form, status);
      const raw = Object.fromEntries(new URL(back, 'http://pages.invalid').searchParams) as Raw;
      return showList(req, res, allow(req, 'task.claim'), raw, form.errors, status);
    },
    async (req, res) => {
      const principal = allow(req, 'task.claim');
      const id = idOf(req);
      await service.claim(id, principal, { requestId: req.id });
      redirectWithNotice(res, `/taches/${id}`, { title: 'Tâche prise', text: 'Vous avez pris cette tâche : elle est dans « Mes tâches ».' });
    },
    { refused: (req) => (fromList(req) ? { href: `#tache-${idOf(req)}` } : onTaskPage), keep: () => ({}) },
  ));

  router.post('/taches/:id/liberer', postForm(showTaskForm, async (req, res) => {
    const principal = allow(req, 'task.claim');
    const id = idOf(req);
    await service.unclaim(id, principal, { requestId: req.id });
    redirectWithNotice(res, `/taches/${id}`, { title: 'Tâche remise à l’équipe', text: 'La tâche est de nouveau libre : une personne de l’équipe peut la prendre.' });
  }, { refused: onTaskPage, keep: () => ({}) }));

  /** The completion form: the task service claims, checks the form, sends the workflow's Update. */
  router.post('/taches/:id/terminer', async (req, res, next) => {
    const principal = allow(req, 'task.complete');
    const id = idOf(req);
    // Reads the task as the API would (404 out of scope) to know its form; the service reads it again.
    const completion = completionOf(await service.get(id, principal, { requestId: req.id }));
    if (!completion) throw new NotFoundError('Cette tâche ne se complète pas depuis cette page.');
    await postForm(showTaskForm, async (_req, rs, values) => {
      await service.complete(id, formToBody(completion.fields, values), principal, { requestId: req.id });
      redirectWithNotice(rs, '/taches', { title: 'C’est fait', text: completion.done });
    }, { fields: completion.specs, refused: onTaskPage })(req, res, next);
  });

  return router;
}
