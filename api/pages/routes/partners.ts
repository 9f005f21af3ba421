import { Router, type Request, type Response } from 'express';
import { visibleTo } from '../../access/fields';
import { allow } from '../../access/guard';
import type { ApiContext } from '../../context';
import { NotFoundError } from '../../errors';
import { checkAnswerBody, taskIdParam } from '../../partners/schemas';
import { parseBody } from '../../validation';
import { optional, redirectWithNotice, type FieldSpec } from '../forms';
import { postForm, type FormState } from '../page-form';
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
export function partnerPages({ partnerChecks: checks, handoffs, clock }: ApiContext): Router {
  const router = Router();

  const checkIdOf = (req: Request) => {
    const id = taskIdParam.safeParse(req.params.taskId);
    if (!id.success) throw new NotFoundError('Vérification introuvable.');
    return id.data;
  };

  router.get('/partenaires/verifications', async (req, res) => {
    const principal = allow(req, 'partnerCheck.list');
    const listed = (await checks.listPending(principal, req.id)).map((check) => visibleTo('partnerCheck', principal.role, check) as typeof check);
    render(req, res, 'partners/checks.njk', {
      checks: listed.filter((check) => check.status !== 'completed'),
      answered: listed.filter((check) => check.status === 'completed'),
      showOrganisation: principal.role === 'coordinator',
    });
  });

  async function showCheck(req: Request, res: Response, form: FormState = {}, status = 200) {
    const principal = allow(req, 'partnerCheck.list');
    const check = visibleTo('partnerCheck', principal.role, await checks.get(checkIdOf(req), principal, req.id)) as Awaited<ReturnType<typeof checks.get>>;
    // Pending, or answered and still within the correction window: the form stays (a correction).
    const correctable = !!check.correctableUntil && new Date(check.correctableUntil) >= clock();
    render(req, res, 'partners/check.njk', { check, values: form.values ?? {}, errors: form.errors, open: check.status === 'open' || check.status === 'claimed' || correctable }, status);
  }

  router.get('/partenaires/verifications/:taskId', (req, res) => showCheck(req, res));

  router.post('/partenaires/verifications/:taskId', postForm(showCheck, async (req, res, values) => {
    const principal = allow(req, 'partnerCheck.answer');
    // Scope before body, as the API: another organisation's check is 404 whatever is sent.
    const task = await checks.requireCheck(checkIdOf(req), principal);
    const answer = values.answer ?? '';
    const typed = optional(values.referentName) || optional(values.referentEmail) || optional(values.referentPhone);
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
    // Already answered, closed, or refused by the rules (409, 504): said above the form, nothing changed.
  }, { fields: ANSWER_FIELDS, refused: { href: '#answer' } }));

  // Handoffs: the open handoff_acknowledgement tasks of the organisation (the inbox's own scope rule).
  async function showHandoffs(req: Request, res: Response, form: FormState = {}, status = 200) {
    const principal = allow(req, 'household.acknowledgeHandoff');
    allow(req, 'task.list');
    const open = await handoffs.listOpen(principal, req.id);
    const schemeOf = (form: unknown) => (form && typeof form === 'object' && 'scheme' in form && typeof form.scheme === 'string' ? form.scheme : '');
    render(req, res, 'partners/handoffs.njk', {
      handoffs: open.map((task) => visibleTo('task', principal.role, task) as typeof task).map((t) => ({ ...t, scheme: label(SCHEME_LABELS, schemeOf(t.form)) })),
      errors: form.errors,
    }, status);
  }

  router.get('/partenaires/relais', (req, res) => showHandoffs(req, res));

  router.post('/partenaires/relais/:taskId', postForm(showHandoffs, async (req, res) => {
    const principal = allow(req, 'household.acknowledgeHandoff');
    allow(req, 'task.complete');
    const { task: done } = await handoffs.acknowledge(String(req.params.taskId), principal, req.id);
    redirectWithNotice(res, '/partenaires/relais', {
      title: 'Réception accusée',
      text: `La prise de relais de ${done.household.headName} est confirmée : l’équipe APRIL en est informée.`,
    });
    // Already acknowledged or refused by the rules (409, 504): said above the list, by the handoff.
  }, { refused: (req) => ({ href: `#relais-${String(req.params.taskId)}` }) }));

  return router;
}
