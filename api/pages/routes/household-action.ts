import { Router, type Request, type Response } from 'express';
import type { ApiContext } from '../../context';
import { NotFoundError } from '../../errors';
import { actionBySlug, runAction, type HouseholdAction } from '../../households/actions';
import { parseBody } from '../../validation';
import { formToBody, fieldSpecs, sourcesNeeded, withoutPaths } from '../form-fields';
import { renderFields } from '../form-render';
import { formErrors, redirectWithNotice, type FormErrors } from '../forms';
import { postForm } from '../page-form';
import { openHousehold, readHousehold } from '../household-file';
import { render } from '../render';
import { SUPPORT_STATUSES, MAINSTREAM_SCHEMES } from '../../../domain/household/vocabulary';
import { SUPPORT_STATUS_LABELS } from '../../../domain/labels';
import type { Principal } from '../../auth/principal';

/**
 * Each household action on its own page, /menages/:id/actions/<slug>, drawn from the action table
 * (api/households/actions/): its form, its errors (the same zod body as the API) and its success
 * notice. The API's order: role (403), then scope (404), then the body (400), then the rules (409).
 */
export function householdActionPages(ctx: ApiContext): Router {
  const router = Router();

  const actionOf = (req: Request): HouseholdAction => {
    const action = actionBySlug(String(req.params.slug));
    if (!action) throw new NotFoundError('Action inconnue.');
    return action;
  };
  /** The form's fields, without what the signed-in person fixes (a partner answers for its own organisation). */
  const fieldsFor = (action: HouseholdAction, principal: Principal) => withoutPaths(action.form, Object.keys(action.fixedFor?.(principal) ?? {}));

  async function show(req: Request, res: Response, action: HouseholdAction, opened: { principal: Principal; id: string },
    posted: { values: Record<string, string>; errors: FormErrors } | undefined, status = 200) {
    const { principal, id } = opened;
    const household = await readHousehold(ctx, req, principal, id);
    const fields = fieldsFor(action, principal);
    const needed = sourcesNeeded(fields);
    const values = posted?.values ?? {};
    const locals: Record<string, unknown> = {
      id, file: household.file, phase: household.phase, action,
      directory: await ctx.householdPage.directory(needed),
      ...(needed.has('supportPlan') && { plan: await ctx.householdPage.supportPlan(household.workflow?.state) }),
      supportStatuses: SUPPORT_STATUSES, supportStatusLabels: SUPPORT_STATUS_LABELS, schemes: MAINSTREAM_SCHEMES,
      p: `${action.slug}-`, values, edited: !!posted, e: posted?.errors.fields ?? {},
      // The layout shows the error summary at the top of the page.
      errors: posted?.errors,
    };
    locals.form = renderFields(fields, { values, errors: posted?.errors.fields, prefix: `${action.slug}-`, directory: locals.directory as never });
    if (!household.actions.includes(action)) {
      locals.unavailable = 'Cette action n’est pas possible à cette étape du parcours du ménage.';
    }
    render(req, res, 'households/action.njk', locals, status);
  }

  router.get('/menages/:id/actions/:slug', async (req, res) => {
    const action = actionOf(req);
    await show(req, res, action, await openHousehold(ctx, req, action.permission), undefined);
  });

  router.post('/menages/:id/actions/:slug', async (req, res, next) => {
    const action = actionOf(req);
    const opened = await openHousehold(ctx, req, action.permission);
    const { principal, id } = opened;
    const fields = fieldsFor(action, principal);
    const handler = postForm(
      (rq, rs, form, status) => show(rq, rs, action, opened, { values: form.values ?? {}, errors: form.errors ?? { summary: [], fields: {} } }, status),
      async (rq, rs, values) => {
        const body = parseBody(action.body, { ...formToBody(fields, values), ...action.fixedFor?.(principal) }) as Record<string, unknown>;
        await runAction(action, body, { householdId: id, principal, process: ctx.process, ctx: { actor: principal.id, role: principal.role, requestId: rq.id } });
        redirectWithNotice(rs, `/menages/${id}`, { title: 'C’est fait', text: action.done });
      },
      {
        // Field ids on the page carry the action's slug.
        validation: (error) => {
          const errors = formErrors(error, fieldSpecs(fields));
          return { ...errors, summary: errors.summary.map((item) => ({ ...item, href: item.href.replace('#', `#${action.slug}-`) })) };
        },
        // The rules' refusal (409) or no answer in time (504): said in plain French above the form, nothing changed.
        refused: { href: `#action-${action.slug}` },
      },
    );
    await handler(req, res, next);
  });

  return router;
}
