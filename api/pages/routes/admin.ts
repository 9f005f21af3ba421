import { Router, type Request, type RequestHandler, type Response } from 'express';
import { allow } from '../../access/guard';
import { isAllowed, ROLES, type Permission } from '../../access/permissions';
import { describePolicy, frenchDuration } from '../../admin/policy-view';
import { parseQuery } from '../../admin/query';
import { auditQuery, mailIdParam, createLandlordBody, createPartnerOrganisationBody, createUserBody, listUsersQuery, mailsQuery, MAIL_STATUSES } from '../../admin/schemas';
import type { ApiContext } from '../../context';
import { ConflictError, NotFoundError, ValidationError } from '../../errors';
import { parseBody } from '../../validation';
import { optional, redirectWithNotice } from '../forms';
import { postForm, readOrErrors, type FormState } from '../page-form';
import { ROLE_LABELS } from '../../../domain/labels';
import { withQuery } from '../paging';
import { render } from '../render';

/**
 * Administration pages (/admin…): accounts, organisations, the policy in force, the audit log and
 * the mail log, and the way to the Temporal web UI. Thin over the API's admin services
 * (the admin service, api/admin/service.ts): the same functions, the same rules, the same audit rows. The coordination reads
 * the policy and the mail log here too (`admin.policy`, `mail.read`).
 *
 * A failed mail cannot be sent again from here: the outbox keeps the subject, not the text of a
 * mail, so a resend would have to re-run the workflow step that wrote it (see api/admin/router.ts).
 */

/** The Temporal web UI: TEMPORAL_UI_URL, else the embedded UI's address. */
export function temporalUiUrl(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.TEMPORAL_UI_URL?.trim();
  if (configured && /^https?:\/\/[^\s]+$/.test(configured)) return configured;
  return `http://127.0.0.1:${env.EMBEDDED_TEMPORAL_UI_PORT ?? '8233'}`;
}

const SECTIONS: { href: string; title: string; text: string; action: Permission }[] = [
  { href: '/admin/utilisateurs', title: 'Comptes', text: 'Créer un compte, l’activer ou le désactiver.', action: 'admin.users' },
  { href: '/admin/organisations', title: 'Organisations', text: 'Les bailleurs et les organisations partenaires.', action: 'admin.organisations' },
  { href: '/admin/politique', title: 'Règles en vigueur', text: 'Délais, rythmes, capacités et conservation des données.', action: 'admin.policy' },
  { href: '/admin/journal', title: 'Journal d’audit', text: 'Qui a consulté ou modifié quoi, par ménage ou par personne.', action: 'audit.read' },
  { href: '/admin/courriels', title: 'Courriels', text: 'Les courriels envoyés et ceux qui n’ont pas pu l’être.', action: 'mail.read' },
];

const USER_FIELDS = {
  email: { label: 'Adresse e-mail' },
  displayName: { label: 'Nom affiché' },
  role: { label: 'Rôle', message: 'choisissez un rôle' },
  landlordId: { label: 'Bailleur' },
  partnerOrganisationId: { label: 'Organisation partenaire' },
};

/** What the notice says of the invitation mailed to a new or re-activated account. */
const invitationText = (invitation: { mail: 'sent' | 'failed' }) => invitation.mail === 'sent'
  ? 'Une invitation lui est envoyée par courriel : elle choisit elle-même son mot de passe (lien valable 72 heures).'
  : 'L’invitation n’a pas pu être envoyée par courriel (voir le journal des courriels) : renvoyez-la depuis la liste des comptes.';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PAGE = 50;

const stringQuery = (req: Request) =>
  Object.fromEntries(Object.entries(req.query).filter(([, v]) => typeof v === 'string')) as Record<string, string>;

export function adminPages({ admin, directory, policy }: ApiContext): Router {
  const router = Router();

  router.get('/admin', (req, res) => {
    const principal = req.principal;
    const sections = principal ? SECTIONS.filter((s) => isAllowed(principal.role, s.action)) : [];
    // Nothing to administer for this role: the same refusal as the API's.
    if (sections.length === 0) allow(req, 'admin.users');
    render(req, res, 'admin/index.njk', {
      sections,
      temporalUi: principal && isAllowed(principal.role, 'admin.users') ? temporalUiUrl() : undefined,
    });
  });

  // --- Accounts ---------------------------------------------------------------------------------

  const showUsers = async (req: Request, res: Response, extra: FormState = {}, status = 200) => {
    allow(req, 'admin.users');
    const raw = stringQuery(req);
    const query = listUsersQuery.safeParse({ limit: String(PAGE), ...(raw.apres && { cursor: raw.apres }) });
    const { users, nextCursor } = await admin.users(query.success ? query.data : parseQuery(listUsersQuery, { limit: String(PAGE) }));
    const { landlords, partners } = await admin.organisations();
    const landlordName = new Map(landlords.map((l) => [l.id, l.name]));
    const partnerName = new Map(partners.map((p) => [p.id, p.name]));
    const values = extra.values ?? {};
    render(req, res, 'admin/users.njk', {
      users: users.map((u) => ({
        ...u,
        scope: u.landlordId ? landlordName.get(u.landlordId) : u.partnerOrganisationId ? partnerName.get(u.partnerOrganisationId) : undefined,
      })),
      next: nextCursor ? withQuery('/admin/utilisateurs', {}, { apres: nextCursor }) : undefined,
      firstPage: raw.apres ? '/admin/utilisateurs' : undefined,
      values,
      errors: extra.errors,
      roleItems: [{ value: '', text: 'Choisissez un rôle' }, ...ROLES.map((r) => ({ value: r, text: ROLE_LABELS[r], selected: r === values.role }))],
      landlordItems: [{ value: '', text: 'Aucun (sauf agent bailleur)' }, ...landlords.map((l) => ({ value: l.id, text: l.name, selected: l.id === values.landlordId }))],
      partnerItems: [{ value: '', text: 'Aucune (sauf travailleur social partenaire)' }, ...partners.map((p) => ({ value: p.id, text: p.name, selected: p.id === values.partnerOrganisationId }))],
    }, status);
  };

  router.get('/admin/utilisateurs', (req, res) => showUsers(req, res));

  router.post('/admin/utilisateurs', postForm(showUsers, async (req, res, values) => {
    const principal = allow(req, 'admin.users');
    const body = parseBody(createUserBody, {
      email: values.email?.trim() ?? '',
      displayName: values.displayName ?? '',
      role: values.role ?? '',
      landlordId: optional(values.landlordId),
      partnerOrganisationId: optional(values.partnerOrganisationId),
    });
    const user = await admin.createUser(body, { actor: principal.id, requestId: req.id });
    redirectWithNotice(res, '/admin/utilisateurs', {
      title: 'Compte créé',
      text: `Le compte de ${user.displayName} (${user.roleLabel}) est créé. ${invitationText(user.invitation)}`,
    });
  }, {
    fields: USER_FIELDS,
    refused: { statuses: [409], field: 'email', label: USER_FIELDS.email.label },
  }));

  // Access first; then a malformed id, which is not something typed: the error page (400), before the form's own mapping.
  const checkUserId: RequestHandler = (req, _res, next) => {
    allow(req, 'admin.users');
    next(UUID.test(String(req.params.id)) ? undefined : new ValidationError([{ field: 'id', message: 'compte introuvable' }]));
  };
  for (const [path, active] of [['activer', true], ['desactiver', false]] as const) {
    // Only a refusal (409) is shown in the page; the button has no field, so nothing typed is kept.
    router.post(`/admin/utilisateurs/:id/${path}`, checkUserId, postForm((req, res, form, status) => showUsers(req, res, { errors: form.errors }, status), async (req, res) => {
      const principal = allow(req, 'admin.users');
      const user = await admin.updateUser(String(req.params.id), { active }, { actor: principal.id, requestId: req.id });
      redirectWithNotice(res, '/admin/utilisateurs', {
        title: active ? 'Compte activé' : 'Compte désactivé',
        text: !active ? `${user.displayName} ne peut plus se connecter ; ses sessions et ses jetons ont pris fin.`
          : user.invitation ? `Le compte de ${user.displayName} est de nouveau actif. ${invitationText(user.invitation)}`
            : `${user.displayName} peut de nouveau se connecter.`,
      });
    }, { refused: { statuses: [409], href: '#comptes' } }));
  }

  router.post('/admin/utilisateurs/:id/inviter', checkUserId, postForm((req, res, form, status) => showUsers(req, res, { errors: form.errors }, status), async (req, res) => {
    const principal = allow(req, 'admin.users');
    const invitation = await admin.invite(String(req.params.id), { actor: principal.id, requestId: req.id });
    redirectWithNotice(res, '/admin/utilisateurs', {
      title: invitation.mail === 'sent' ? 'Invitation envoyée' : 'Invitation non envoyée',
      text: invitation.mail === 'sent'
        ? 'Un nouveau lien est envoyé par courriel (valable 72 heures) ; le précédent ne sert plus.'
        : 'Le courriel n’a pas pu partir (voir le journal des courriels) : réessayez plus tard.',
    });
  }, { refused: { statuses: [409], href: '#comptes' } }));

  // --- Organisations ----------------------------------------------------------------------------

  const showOrganisations = async (req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    allow(req, 'admin.organisations');
    const { landlords, partners } = await admin.organisations();
    render(req, res, 'admin/organisations.njk', { landlords, partners, landlordValues: {}, partnerValues: {}, ...extra }, status);
  };

  router.get('/admin/organisations', (req, res) => showOrganisations(req, res));

  /** Each form of the page keeps its own values: `<kind>Values`. */
  const showOrganisationForm = (kind: 'landlord' | 'partner') => (req: Request, res: Response, form: FormState, status: number) =>
    showOrganisations(req, res, { [`${kind}Values`]: form.values, errors: form.errors }, status);

  const landlordFields = { code: { label: 'Code du bailleur', id: 'landlord-code' }, name: { label: 'Nom du bailleur', id: 'landlord-name' } };
  router.post('/admin/organisations/bailleurs', postForm(showOrganisationForm('landlord'), async (req, res, values) => {
    const principal = allow(req, 'admin.organisations');
    const body = parseBody(createLandlordBody, { code: values.code ?? '', name: values.name ?? '' });
    const landlord = await admin.createLandlord(body, { actor: principal.id, requestId: req.id });
    redirectWithNotice(res, '/admin/organisations', { title: 'Bailleur ajouté', text: `${landlord.name} (code « ${landlord.code} ») est ajouté.` });
  }, { fields: landlordFields, refused: { statuses: [409], field: 'landlord-code', label: landlordFields.code.label } }));

  const partnerFields = {
    code: { label: 'Code de l’organisation', id: 'partner-code' },
    name: { label: 'Nom de l’organisation', id: 'partner-name' },
    email: { label: 'Adresse e-mail de l’organisation', id: 'partner-email' },
  };
  router.post('/admin/organisations/partenaires', postForm(showOrganisationForm('partner'), async (req, res, values) => {
    const principal = allow(req, 'admin.organisations');
    const body = parseBody(createPartnerOrganisationBody, { code: values.code ?? '', name: values.name ?? '', email: values.email?.trim() ?? '' });
    const organisation = await admin.createPartnerOrganisation(body, { actor: principal.id, requestId: req.id });
    redirectWithNotice(res, '/admin/organisations', { title: 'Organisation partenaire ajoutée', text: `${organisation.name} (code « ${organisation.code} ») est ajoutée.` });
  }, { fields: partnerFields, refused: { statuses: [409], field: 'partner-code', label: partnerFields.code.label } }));

  // --- Policy -----------------------------------------------------------------------------------

  router.get('/admin/politique', (req, res) => {
    allow(req, 'admin.policy');
    render(req, res, 'admin/policy.njk', { settings: describePolicy(policy), retention: frenchDuration(policy.retentionAfterClosureMs) });
  });

  // --- Audit log --------------------------------------------------------------------------------

  router.get('/admin/journal', async (req, res) => {
    allow(req, 'audit.read');
    const raw = stringQuery(req);
    const values = { menage: raw.menage?.trim() ?? '', personne: raw.personne?.trim() ?? '' };
    const parsed = auditQuery.safeParse({
      limit: String(PAGE),
      ...(values.menage && { householdId: values.menage }),
      ...(values.personne && { userId: values.personne }),
      ...(raw.apres && { cursor: raw.apres }),
    });
    // A filter the schema refuses is named beside its field, as the API would name it.
    const { value: log, errors } = await readOrErrors(
      () => admin.auditLog(parsed.success ? parsed.data : parseQuery(auditQuery, { householdId: values.menage || undefined, userId: values.personne || undefined, cursor: raw.apres })),
      { events: [], nextCursor: null },
      {
        householdId: { label: 'Ménage', id: 'menage', message: 'identifiant de ménage attendu (UUID)' },
        userId: { label: 'Personne', id: 'personne', message: 'choisissez une personne de la liste ou collez son identifiant' },
      },
    );
    const people = await directory.people();
    const nameOf = new Map(people.map((p) => [p.id, `${p.displayName} (${ROLE_LABELS[p.role]})`]));
    render(req, res, 'admin/audit.njk', {
      values,
      errors,
      events: log.events.map((e) => ({ ...e, actorName: nameOf.get(e.actor) ?? (e.actor === 'system' ? 'le système' : e.actor) })),
      personItems: [{ value: '', text: 'Toutes les personnes' }, ...people.map((p) => ({ value: p.id, text: nameOf.get(p.id), selected: p.id === values.personne }))],
      next: log.nextCursor ? withQuery('/admin/journal', { menage: values.menage, personne: values.personne }, { apres: log.nextCursor }) : undefined,
      firstPage: raw.apres ? withQuery('/admin/journal', { menage: values.menage, personne: values.personne }, {}) : undefined,
    }, errors ? 400 : 200);
  });

  // --- Mail log ---------------------------------------------------------------------------------

  router.get('/admin/courriels', async (req, res) => {
    allow(req, 'mail.read');
    const raw = stringQuery(req);
    const status = (MAIL_STATUSES as readonly string[]).includes(raw.statut ?? '') ? raw.statut : undefined;
    const parsed = mailsQuery.safeParse({ limit: String(PAGE), ...(status && { status }), ...(raw.apres && { cursor: raw.apres }) });
    const { value: log, errors } = await readOrErrors(
      () => admin.mailLog(parsed.success ? parsed.data : parseQuery(mailsQuery, { limit: String(PAGE) })),
      { mails: [], nextCursor: null },
    );
    render(req, res, 'admin/mails.njk', {
      mails: log.mails,
      status,
      statusItems: [
        { value: '', text: 'Tous' }, { value: 'sent', text: 'Envoyés' }, { value: 'failed', text: 'En échec' }, { value: 'pending', text: 'En attente' },
      ].map((item) => ({ ...item, selected: item.value === (status ?? '') })),
      errors,
      next: log.nextCursor ? withQuery('/admin/courriels', { statut: status }, { apres: log.nextCursor }) : undefined,
      firstPage: raw.apres ? withQuery('/admin/courriels', { statut: status }, {}) : undefined,
      canRetry: isAllowed(req.principal!.role, 'mail.retry'),
    }, errors ? 400 : 200);
  });

  // A mail refused for good, sent again once the address or the server is fixed.
  router.post('/admin/courriels/:id/renvoyer', async (req, res) => {
    const principal = allow(req, 'mail.retry');
    const back = '/admin/courriels?statut=failed';
    try {
      const id = mailIdParam.safeParse(req.params.id);
      if (!id.success) throw new NotFoundError('Courriel introuvable.');
      const result = await admin.retryMail(id.data, { actor: principal.id, requestId: req.id });
      if (result.status === 'sent') redirectWithNotice(res, back, { title: 'Courriel renvoyé', text: 'Le serveur de messagerie l’a accepté.' });
      else redirectWithNotice(res, back, { kind: 'info', title: 'Nouvel échec', text: `Le serveur de messagerie refuse encore ce courriel : ${result.lastError ?? ''}` });
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      redirectWithNotice(res, back, { kind: 'info', title: 'Courriel non renvoyé', text: error.message });
    }
  });

  return router;
}

