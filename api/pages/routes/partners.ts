import { Router, type Request, type Response } from 'express';
import { allow } from '../../access/guard';
import type { Principal } from '../../auth/principal';
import type { ApiContext } from '../../context';
import { AppError, NotFoundError, ValidationError } from '../../errors';
import { checkAnswerBody, taskIdParam } from '../../partners/schemas';
import { createPartnerChecks } from '../../partners/service';
import { taskIdParam as inboxTaskIdParam } from '../../tasks/schemas';
import { createTaskService } from '../../tasks/service';
import { parseBody } from '../../validation';
import { formBody, formErrors, optional, redirectWithNotice, type FieldSpec, type FormErrors } from '../forms';
import { SCHEME_LABELS, label } from '../../../domain/labels';
import { render } from '../render';

const ANSWER_FIELDS: Record<string, FieldSpec> = {
  answer: { label: 'Réponse', message: 'indiquez si votre organisation suit déjà ce ménage' },
  referent: { label: 'Travailleur social référent', id: 'referentName' },
  'referent.name': { label: 'Nom du référent', id: 'referentName' },
  'referent.email': { label: 'E-mail du référent', id: 'referentEmail' },
  'referent.phone': { label: 'Téléphone du référent', id: 'referentPhone' },
};

/**
 * The partner's pages (issue 6): the checks addressed to its organisation and the answer form
 * (the mails link to /partenaires/verifications/:taskId), over the same service as
 * /api/partner-checks; and the handoffs addressed to it, acknowledged through the task inbox's
 * completion (the same Update as POST /api/households/:id/handoff/acknowledgements).
 * Another organisation's check or handoff is 404, as on the API.
 */
export function partnerPages(ctx: ApiContext): Router {
  const router = Router();
  const checks = createPartnerChecks(ctx);
  const tasks = createTaskService(ctx);

  const checkIdOf = (req: Request) => {
    const id = taskIdParam.safeParse(req.params.taskId);
    if (!id.success) throw new NotFoundError('Vérification introuvable.');
    return id.data;
  };

  router.get('/partenaires/verifications', async (req, res) => {
    const principal = allow(req, 'partnerCheck.list');
    render(req, res, 'partners/checks.njk', { checks: await checks.listPending(principal, req.id), showOrganisation: principal.role === 'coordinator' });
  });

  async function showCheck(req: Request, res: Response, principal: Principal, taskId: string, form: { values?: Record<string, string>; errors?: FormErrors } = {}, status = 200) {
    const check = await checks.get(taskId, principal, req.id);
    render(req, res, 'partners/check.njk', { check, values: form.values ?? {}, errors: form.errors, open: check.status === 'open' || check.status === 'claimed' }, status);
  }

  router.get('/partenaires/verifications/:taskId', async (req, res) => {
    const principal = allow(req, 'partnerCheck.list');
    await showCheck(req, res, principal, checkIdOf(req));
  });

  router.post('/partenaires/verifications/:taskId', async (req, res) => {
    const principal = allow(req, 'partnerCheck.answer');
    // Scope before body, as the API: another organisation's check is 404 whatever is sent.
    const task = await checks.requireCheck(checkIdOf(req), principal);
    const values = formBody(req);
    const answer = values.answer ?? '';
    const typed = optional(values.referentName) || optional(values.referentEmail) || optional(values.referentPhone);
    try {
      // The referent's fields stay in the page when « not known » is chosen: they are not an answer then.
      const body = parseBody(checkAnswerBody, {
        answer,
        ...(answer === 'followed' && typed && {
          referent: { name: values.referentName ?? '', email: optional(values.referentEmail), phone: optional(values.referentPhone) },
        }),
      });
      await checks.answer(task, body, principal, req.id);
      redirectWithNotice(res, '/partenaires/verifications', {
        title: 'Réponse envoyée',
        text: body.answer === 'followed'
          ? `Merci : le suivi de ${task.household.headName} par votre organisation est enregistré, et son référent est prévenu.`
          : `Merci : ${task.household.headName} est enregistré comme inconnu de vos services.`,
      });
    } catch (error) {
      if (error instanceof ValidationError) return showCheck(req, res, principal, task.id, { values, errors: formErrors(error, ANSWER_FIELDS) }, 400);
      // Already answered, closed, or refused by the rules (409): said above the form, nothing changed.
      if (error instanceof AppError && (error.status === 409 || error.status === 504)) {
        return showCheck(req, res, principal, task.id, { values, errors: { summary: [{ text: error.message, href: '#answer' }], fields: {} } }, error.status);
      }
      throw error;
    }
  });

  // Handoffs: the open handoff_acknowledgement tasks of the organisation (the inbox's own scope rule).
  async function showHandoffs(req: Request, res: Response, principal: Principal, errors?: FormErrors, status = 200) {
    const { tasks: open } = await tasks.list(
      { view: 'all', type: 'handoff_acknowledgement', limit: 200, offset: 0 },
      principal, { requestId: req.id },
    );
    const schemeOf = (form: unknown) => (form && typeof form === 'object' && 'scheme' in form && typeof form.scheme === 'string' ? form.scheme : '');
    render(req, res, 'partners/handoffs.njk', {
      handoffs: open.map((t) => ({ ...t, scheme: label(SCHEME_LABELS, schemeOf(t.form)) })),
      errors,
    }, status);
  }

  router.get('/partenaires/relais', async (req, res) => {
    const principal = allow(req, 'household.acknowledgeHandoff');
    allow(req, 'task.list');
    await showHandoffs(req, res, principal);
  });

  router.post('/partenaires/relais/:taskId', async (req, res) => {
    const principal = allow(req, 'household.acknowledgeHandoff');
    allow(req, 'task.complete');
    const id = inboxTaskIdParam.safeParse(req.params.taskId);
    if (!id.success) throw new NotFoundError('Passage de relais introuvable.');
    // Only a handoff through this page; the task's scope (its organisation) is checked by the service.
    const task = await ctx.db.task.findUnique({ where: { id: id.data }, select: { type: true } });
    if (task?.type !== 'handoff_acknowledgement') throw new NotFoundError('Passage de relais introuvable.');
    try {
      const { task: done } = await tasks.complete(id.data, {}, principal, { requestId: req.id });
      redirectWithNotice(res, '/partenaires/relais', {
        title: 'Réception accusée',
        text: `La prise de relais de ${done.household.headName} est confirmée : l’équipe APRIL en est informée.`,
      });
    } catch (error) {
      if (error instanceof AppError && (error.status === 409 || error.status === 504)) {
        return showHandoffs(req, res, principal, { summary: [{ text: error.message, href: `#relais-${id.data}` }], fields: {} }, error.status);
      }
      throw error;
    }
  });

  return router;
}
