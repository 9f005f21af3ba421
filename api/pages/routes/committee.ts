import { Router, type Request, type Response } from 'express';
import { CSRF_FIELD, readCookie } from '../../auth/middleware';
import { allow } from '../../access/guard';
import { isAllowed } from '../../access/permissions';
import type { DecisionResult } from '../../committee/decisions';
import { COMMITTEE_DECISION_LABELS, decisionParticulars } from '../../../domain/labels';
import { createSessionBody, decisionsBody, sessionIdParam } from '../../committee/schemas';
import type { ApiContext } from '../../context';
import { NotFoundError, type ValidationError } from '../../errors';
import { householdIdParam } from '../../households/schemas';
import { parseBody } from '../../validation';
import { minutesPdf } from '../committee-minutes-pdf';
import { frenchDate } from '../filters';
import { dateFromParts, redirectWithNotice, type FormErrors } from '../forms';
import { postForm, type FormState } from '../page-form';
import { CHOICES } from '../choices';
import * as labels from '../../../domain/labels';
import { pagination } from '../paging';
import { render } from '../render';

/**
 * Committee sessions as pages (issue 6): the list of sessions and the « Nouvelle séance » form
 * (coordination), a session's agenda with the capacity and ONE form deciding for several
 * households, sent to the same batch service as `POST /api/committee-sessions/:id/decisions`, and
 * the minutes as a PDF. Access exactly as the API: committee.read / .manage / .decide.
 */

/** One decision's fields on the session page are named `<field>-<householdId>` (the urlencoded parser is flat). */
const DECISION_FIELDS = { kind: 'decision', track: 'track', educatorId: 'educator', scheme: 'scheme', reason: 'reason' } as const;
const FIELD_LABELS: Record<string, string> = { kind: 'Décision', track: 'Parcours', educatorId: 'Éducateur ou éducatrice', scheme: 'Dispositif', reason: 'Motif du refus' };
/** What to say when a choice the decision needs was left empty (the schema's message names codes). */
const EMPTY_MESSAGES: Record<string, string> = {
  kind: 'choisissez une décision', track: 'choisissez le parcours', educatorId: 'choisissez l’éducateur ou l’éducatrice',
  scheme: 'choisissez le dispositif', reason: 'choisissez le motif du refus',
};

/** The results of the last batch, shown once after the redirect (per household: recorded or refused, and why). */
const RESULTS_COOKIE = 'april_committee_results';
const COOKIE_BUDGET = 3_500;

interface ShownResult { householdId: string; status: DecisionResult['status']; reason?: string }

function writeResults(res: Response, sessionId: string, results: DecisionResult[]): void {
  // Refusals first: they are what the committee must settle; recorded ones are also in the decisions table.
  const ordered = [...results.filter((r) => r.status !== 'recorded'), ...results.filter((r) => r.status === 'recorded')];
  const kept: (string | [string, string, string])[] = [];
  let size = 2;
  for (const result of ordered) {
    const item: string | [string, string, string] = result.status === 'recorded' ? result.householdId : [result.householdId, result.status, result.reason.slice(0, 300)];
    const bytes = Buffer.byteLength(JSON.stringify(item)) * 1.4;
    if (size + bytes > COOKIE_BUDGET) break;
    size += bytes;
    kept.push(item);
  }
  res.cookie(RESULTS_COOKIE, Buffer.from(JSON.stringify(kept)).toString('base64url'), {
    httpOnly: true, sameSite: 'lax', path: `/comite/seances/${sessionId}`, maxAge: 60_000, secure: res.req.secure,
  });
}

function readResults(req: Request, res: Response, sessionId: string): ShownResult[] {
  const raw = readCookie(req.header('cookie'), RESULTS_COOKIE);
  if (!raw) return [];
  res.clearCookie(RESULTS_COOKIE, { path: `/comite/seances/${sessionId}` });
  try {
    const items = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(items)) return [];
    return items.flatMap((item): ShownResult[] => {
      if (typeof item === 'string') return householdIdParam.safeParse(item).success ? [{ householdId: item, status: 'recorded' }] : [];
      if (!Array.isArray(item) || typeof item[0] !== 'string' || typeof item[2] !== 'string' || !householdIdParam.safeParse(item[0]).success) return [];
      return [{ householdId: item[0], status: item[1] === 'failed' ? 'failed' : 'refused', reason: item[2] }];
    });
  } catch {
    return [];
  }
}

export function committeePages({ committee: sessions, directory, clock, policy }: ApiContext): Router {
  const router = Router();

  const sessionOf = async (req: Request) => {
    const id = sessionIdParam.safeParse(req.params.id);
    if (!id.success) throw new NotFoundError('Séance du comité introuvable.');
    return sessions.requireSession(id.data);
  };

  async function showList(req: Request, res: Response, form: FormState = {}, status = 200) {
    const principal = allow(req, 'committee.read');
    const page = typeof req.query.page === 'string' ? req.query.page : undefined;
    render(req, res, 'committee/index.njk', {
      page: pagination(await sessions.list(), page, (n) => `/comite?page=${n}`),
      canManage: isAllowed(principal.role, 'committee.manage'),
      values: form.values ?? {},
      errors: form.errors,
    }, status);
  }

  router.get('/comite', (req, res) => showList(req, res));

  /** The date input's message says what is wrong with what was typed (nothing, or not a date). */
  const heldOnFields = (values: Record<string, string>) => {
    const heldOn = dateFromParts(values, 'heldOn');
    const message = heldOn === undefined ? 'saisissez la date de la séance' : heldOn === 'invalid' ? 'saisissez une date réelle, par exemple 10 12 2026' : undefined;
    return { heldOn: { label: 'Date de la séance', id: 'heldOn-day', ...(message && { message }) } };
  };

  router.post('/comite/seances', postForm(showList, async (req, res, values) => {
    const principal = allow(req, 'committee.manage');
    const body = parseBody(createSessionBody, { heldOn: dateFromParts(values, 'heldOn') ?? '' });
    const session = await sessions.create(body.heldOn, { actor: principal.id, requestId: req.id });
    redirectWithNotice(res, `/comite/seances/${session.id}`, {
      title: 'Séance créée',
      text: `La séance du ${frenchDate(body.heldOn)} est ouverte : l’ordre du jour est envoyé aux membres du comité.`,
    });
  }, { fields: heldOnFields, refused: { statuses: [] } }));

  async function showSession(req: Request, res: Response, form: FormState & { results?: ShownResult[] } = {}, status = 200) {
    const principal = allow(req, 'committee.read');
    const [session, educators] = await Promise.all([
      sessions.get((await sessionOf(req)).id, { actor: principal.id, requestId: req.id }),
      directory.activeEducators(),
    ]);
    const results = form.results ?? [];
    const names = new Map<string, string>([...session.agenda.map((a) => [a.id, a.headName] as const), ...session.decisions.map((d) => [d.householdId, d.headName] as const)]);
    const unknown = results.map((r) => r.householdId).filter((id) => !names.has(id));
    for (const [id, headName] of await directory.householdNames(unknown)) names.set(id, headName);
    const values = form.values ?? {};
    render(req, res, 'committee/session.njk', {
      session,
      canDecide: isAllowed(principal.role, 'committee.decide'),
      pending: session.agenda.filter((item) => item.decisionInThisSession === null),
      results: results.map((r) => ({ ...r, headName: names.get(r.householdId) ?? 'Ménage' })),
      educatorItems: (selected?: string) => [{ value: '', text: 'Choisissez une personne' }, ...educators.map((e) => ({ value: e.id, text: e.displayName, selected: e.id === selected }))],
      choiceItems: (codes: readonly string[], table: Record<string, string>, selected?: string) =>
        [{ value: '', text: 'Choisissez' }, ...codes.map((code) => ({ value: code, text: labels.label(table, code), selected: code === selected }))],
      choices: CHOICES, labelTables: labels,
      values,
      errors: form.errors,
      decisionRows: session.decisions.map((d) => ({
        ...d,
        label: COMMITTEE_DECISION_LABELS[d.decision.kind],
        particulars: decisionParticulars(d.decision, () => d.educator?.name ?? 'éducateur non retrouvé'),
      })),
    }, status);
  }

  router.get('/comite/seances/:id', async (req, res) => {
    allow(req, 'committee.read');
    const session = await sessionOf(req);
    await showSession(req, res, { results: readResults(req, res, session.id) });
  });

  router.post('/comite/seances/:id/decisions', postForm(showSession, async (req, res, values) => {
    const principal = allow(req, 'committee.decide');
    const session = await sessionOf(req);
    const body = parseBody(decisionsBody, { decisions: decisionsOf(values) });
    const results = await sessions.decide(session, body, principal, req.id);
    writeResults(res, session.id, results);
    const recorded = results.filter((r) => r.status === 'recorded').length;
    const refused = results.length - recorded;
    redirectWithNotice(res, `/comite/seances/${session.id}`, {
      kind: refused ? 'info' : 'success',
      title: refused ? 'Décisions envoyées, certaines refusées' : 'Décisions enregistrées',
      text: `${recorded} décision${recorded > 1 ? 's' : ''} enregistrée${recorded > 1 ? 's' : ''}${refused ? `, ${refused} refusée${refused > 1 ? 's' : ''} : voir le détail ci-dessous` : ''}.`,
    });
  }, {
    refused: { statuses: [] },
    validation: async (error, values) => {
      const householdIds = decidedHouseholds(values);
      const names = await directory.householdNames(householdIds.filter((id) => householdIdParam.safeParse(id).success));
      return decisionErrors(error, householdIds, names, values);
    },
  }));

  router.get('/comite/seances/:id/proces-verbal.pdf', async (req, res) => {
    const principal = allow(req, 'committee.read');
    const session = await sessionOf(req);
    const heldOn = session.heldOn.toISOString().slice(0, 10);
    // As the API's minutes: printing the minutes is reading each household's file (audited by the service).
    const { decisions, capacity } = await sessions.minutes(session, { actor: principal.id, requestId: req.id }, 'committee_minutes_pdf');
    const pdf = await minutesPdf({
      heldOn, generatedAt: clock(), decisions, capacity,
      perLandlordTarget: policy.capacity.perLandlord, totalTarget: policy.capacity.total,
    });
    res.status(200)
      .type('application/pdf')
      .setHeader('Content-Disposition', `attachment; filename="proces-verbal-comite-${heldOn}.pdf"`)
      .setHeader('Cache-Control', 'no-store')
      .send(pdf);
  });

  return router;
}

/** The households whose « Décision » radio is set; « Pas de décision maintenant » sends nothing. */
function decidedHouseholds(values: Record<string, string>): string[] {
  return Object.keys(values)
    .filter((key) => key.startsWith(`${DECISION_FIELDS.kind}-`) && key !== CSRF_FIELD)
    .map((key) => key.slice(DECISION_FIELDS.kind.length + 1))
    .filter((id) => values[`${DECISION_FIELDS.kind}-${id}`] !== '');
}

/** One decision per household decided, from its fields `<field>-<householdId>`. */
function decisionsOf(values: Record<string, string>) {
  const field = (name: keyof typeof DECISION_FIELDS, id: string) => values[`${DECISION_FIELDS[name]}-${id}`] ?? '';
  return decidedHouseholds(values).map((householdId) => {
    const kind = field('kind', householdId);
    const decision = kind === 'admit' ? { kind, track: field('track', householdId), educatorId: field('educatorId', householdId) }
      : kind === 'reorient' ? { kind, scheme: field('scheme', householdId) }
        : kind === 'reject' ? { kind, reason: field('reason', householdId) }
          : { kind };
    return { householdId, decision };
  });
}

/**
 * The batch's ValidationError (`decisions.3.decision.track`…) as the page's errors: the summary
 * names the household and the field, the message sits beside the field `<name>-<householdId>`.
 */
function decisionErrors(error: ValidationError, householdIds: string[], names: Map<string, string>, values: Record<string, string>): FormErrors {
  const details = Array.isArray(error.details) ? (error.details as { field: string; message: string }[]) : [];
  const result: FormErrors = { summary: [], fields: {} };
  for (const detail of details) {
    const match = /^decisions\.(\d+)(?:\.(householdId|decision)(?:\.(\w+))?)?$/.exec(detail.field);
    const householdId = match ? householdIds[Number(match[1])] : undefined;
    if (!match || householdId === undefined) {
      const text = detail.field === 'decisions' ? 'Choisissez une décision pour au moins un ménage.' : detail.message;
      result.summary.push({ text, href: householdIds[0] ? `#decision-${householdIds[0]}` : '#decisions' });
      continue;
    }
    const key = (match[3] ?? 'kind') as keyof typeof DECISION_FIELDS;
    const name = match[2] === 'householdId' ? 'decision' : DECISION_FIELDS[key] ?? 'decision';
    const id = `${name}-${householdId}`;
    if (result.fields[id]) continue;
    const said = (values[id] ?? '') === '' && match[2] !== 'householdId' ? EMPTY_MESSAGES[key] ?? detail.message : detail.message;
    result.fields[id] = { text: said.charAt(0).toUpperCase() + said.slice(1), visuallyHiddenText: 'Erreur' };
    result.summary.push({ text: `${names.get(householdId) ?? 'Ménage'} — ${FIELD_LABELS[key] ?? 'Décision'} : ${said}`, href: `#${id}` });
  }
  if (!result.summary.length) result.summary.push({ text: error.message, href: '#decisions' });
  return result;
}
