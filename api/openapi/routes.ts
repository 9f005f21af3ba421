import { z } from '../../lib/zod-fr';
import * as admin from '../admin/schemas';
import * as auth from '../auth/schemas';
import * as committee from '../committee/schemas';
import * as partners from '../partners/schemas';
import * as tasks from '../tasks/schemas';
import { COMPLETION_FORMS } from '../tasks/completions';
import { idempotencyKeyHeader, TAGS, type RouteDoc } from '../http/route';
import { ARREARS_IMPORT_ROUTES } from '../imports/openapi';

/**
 * The routes of the routers not yet declared with their handlers (api/http/route.ts), one entry
 * each; api/routes.ts adds the declared ones. The unit test openapi.unit.test.ts walks the Express
 * app and fails for a route that is missing from the document, or an entry with no route.
 */
const taskId = { id: { schema: tasks.taskIdParam, description: 'Identifiant de la tâche.' } };
const sessionId = { id: { schema: committee.sessionIdParam, description: 'Identifiant de la séance du comité.' } };
const checkId = { taskId: { schema: partners.taskIdParam, description: 'Identifiant de la vérification (la tâche du partenaire).' } };

/** The form of a task depends on its type: documented as the union of the forms. */
const taskCompletionForm = z.union(COMPLETION_FORMS).meta({ description: 'Le formulaire du type de la tâche (voir `form` dans GET /api/tasks/{id}).' });

export const ROUTES: RouteDoc[] = [
  // Supervision
  {
    method: 'get', path: '/health', tag: TAGS.health, access: 'public',
    summary: 'État de santé : PostgreSQL et Temporal joignables',
    responses: { 200: 'Tout répond.', 503: 'Une partie indispensable ne répond pas (détail par partie).' },
  },

  // Connexion et compte
  {
    method: 'post', path: '/api/session', tag: TAGS.auth, access: 'public', body: auth.signInBody,
    summary: 'Se connecter (cookie de session et jeton CSRF)',
    description: 'Pose le cookie de session `april_session` (HttpOnly) et renvoie le jeton CSRF à joindre à toute requête non sûre (en-tête `X-CSRF-Token`).',
    responses: { 200: 'Connecté : la personne et le jeton CSRF.', 401: 'Adresse e-mail ou mot de passe incorrect (même réponse pour une adresse inconnue).', 429: 'Trop de tentatives : réessayez plus tard (Retry-After).' },
  },
  {
    method: 'delete', path: '/api/session', tag: TAGS.auth, access: 'public',
    summary: 'Se déconnecter', description: 'Avec le cookie de session, l\'en-tête `X-CSRF-Token` est requis.', responses: { 204: 'Session fermée.' },
  },
  { method: 'get', path: '/api/me', tag: TAGS.auth, access: 'account.manage', summary: 'Qui suis-je : rôle et périmètre', responses: { 200: 'La personne connectée.' } },
  { method: 'get', path: '/api/me/tokens', tag: TAGS.auth, access: 'account.manage', summary: 'Mes jetons d\'accès personnels (sans leur secret)', responses: { 200: 'Les jetons actifs.' } },
  {
    method: 'post', path: '/api/me/tokens', tag: TAGS.auth, access: 'account.manage', body: auth.createTokenBody,
    summary: 'Créer un jeton d\'accès personnel (pour une intégration)',
    responses: { 201: 'Le jeton, montré cette seule fois.' },
  },
  {
    method: 'delete', path: '/api/me/tokens/:tokenId', tag: TAGS.auth, access: 'account.manage',
    params: { tokenId: { schema: z.uuid(), description: 'Identifiant du jeton.' } },
    summary: 'Révoquer un de mes jetons', responses: { 204: 'Révoqué.' },
  },

  // Ménages
  // Tâches
  {
    method: 'get', path: '/api/tasks', tag: TAGS.tasks, access: 'task.list', query: tasks.listTasksQuery,
    summary: 'Ma boîte de tâches : les miennes, celles de mon équipe, en retard',
    responses: { 200: 'Les tâches de mon périmètre, filtrées.' },
  },
  {
    method: 'get', path: '/api/tasks/:id', tag: TAGS.tasks, access: 'task.list', params: taskId,
    summary: 'Une tâche, son formulaire et son historique', responses: { 200: 'La tâche.' },
  },
  {
    method: 'post', path: '/api/tasks/:id/claim', tag: TAGS.tasks, access: 'task.claim', params: taskId, headers: idempotencyKeyHeader,
    summary: 'Prendre une tâche', responses: { 200: 'La tâche, à moi.', 409: 'Quelqu\'un d\'autre l\'a déjà prise, ou elle est terminée.' },
  },
  {
    method: 'post', path: '/api/tasks/:id/unclaim', tag: TAGS.tasks, access: 'task.claim', params: taskId, headers: idempotencyKeyHeader,
    summary: 'Rendre une tâche à l\'équipe', responses: { 200: 'La tâche, de nouveau libre.', 409: 'La tâche n\'est pas à moi.' },
  },
  {
    method: 'post', path: '/api/tasks/:id/complete', tag: TAGS.tasks, access: 'task.complete', params: taskId, headers: idempotencyKeyHeader,
    body: taskCompletionForm,
    summary: 'Terminer une tâche avec son formulaire',
    description: 'Le processus du ménage reçoit la réponse ; s\'il la refuse, la raison revient à la personne (409) et la tâche reste ouverte.',
    responses: { 200: 'La tâche terminée et le nouvel état du ménage.', 409: 'Refusée : tâche prise par quelqu\'un d\'autre, déjà terminée, ou refusée par les règles du programme.' },
  },

  // Comité
  {
    method: 'post', path: '/api/committee-sessions', tag: TAGS.committee, access: 'committee.manage', body: committee.createSessionBody,
    summary: 'Ouvrir une séance du comité', responses: { 201: 'La séance (en-tête Location).' },
  },
  { method: 'get', path: '/api/committee-sessions', tag: TAGS.committee, access: 'committee.read', summary: 'Lister les séances du comité', responses: { 200: 'Les séances.' } },
  {
    method: 'get', path: '/api/committee-sessions/:id', tag: TAGS.committee, access: 'committee.read', params: sessionId,
    summary: 'Une séance et son ordre du jour (ménages en attente, réponses des partenaires, capacités)',
    description: 'La lecture de l\'ordre du jour est inscrite au journal d\'audit pour chaque ménage.',
    responses: { 200: 'La séance, son ordre du jour et ses décisions.' },
  },
  {
    method: 'post', path: '/api/committee-sessions/:id/decisions', tag: TAGS.committee, access: 'committee.decide', params: sessionId, body: committee.decisionsBody,
    summary: 'Enregistrer les décisions de plusieurs ménages en une fois',
    description: 'Chaque décision est appliquée séparément : le résultat dit, ménage par ménage, si elle est enregistrée ou refusée (et pourquoi).',
    responses: { 200: 'Le résultat de chaque décision.' },
  },
  {
    method: 'get', path: '/api/committee-sessions/:id/minutes', tag: TAGS.committee, access: 'committee.read', params: sessionId,
    summary: 'Procès-verbal de la séance (document à imprimer)', responses: { 200: { description: 'Document HTML en pièce jointe.', contentType: 'text/html' } },
  },

  // Vérifications partenaires
  {
    method: 'get', path: '/api/partner-checks', tag: TAGS.partnerChecks, access: 'partnerCheck.list',
    summary: 'Les vérifications adressées à mon organisation, en attente de réponse', responses: { 200: 'Les vérifications.' },
  },
  {
    method: 'get', path: '/api/partner-checks/:taskId', tag: TAGS.partnerChecks, access: 'partnerCheck.list', params: checkId,
    summary: 'Une vérification : le strict nécessaire pour reconnaître le ménage', responses: { 200: 'La vérification.' },
  },
  {
    method: 'post', path: '/api/partner-checks/:taskId/answer', tag: TAGS.partnerChecks, access: 'partnerCheck.answer', params: checkId, body: partners.checkAnswerBody,
    summary: 'Répondre : ménage inconnu, ou déjà suivi (avec le référent)',
    description: 'Quand le ménage est déjà suivi, le référent reçoit un mail d\'alerte.',
    responses: { 200: 'Réponse enregistrée.', 409: 'Déjà répondu, ou refusée par les règles du programme.' },
  },

  // Administration
  {
    method: 'get', path: '/api/admin/users', tag: TAGS.admin, access: 'admin.users', query: admin.listUsersQuery,
    summary: 'Lister les comptes', responses: { 200: 'Les comptes, les plus récents d\'abord (jamais les empreintes de mot de passe).' },
  },
  {
    method: 'post', path: '/api/admin/users', tag: TAGS.admin, access: 'admin.users', body: admin.createUserBody,
    summary: 'Créer un compte',
    description: 'Un agent bailleur est rattaché à un bailleur (`landlordId`), un travailleur social partenaire à une organisation (`partnerOrganisationId`), personne d\'autre. Sans mot de passe (12 caractères au moins), le compte ne peut pas se connecter.',
    responses: { 201: 'Compte créé (en-tête Location).', 409: 'Un compte existe déjà avec cette adresse.' },
  },
  {
    method: 'patch', path: '/api/admin/users/:id', tag: TAGS.admin, access: 'admin.users', body: admin.updateUserBody,
    params: { id: { schema: admin.userIdParam, description: 'Identifiant du compte.' } },
    summary: 'Modifier un compte : nom, rôle et périmètre, activation',
    description: 'Désactiver un compte ferme ses sessions et révoque ses jetons. Le rôle se donne avec son périmètre.',
    responses: { 200: 'Le compte modifié.', 409: 'Un administrateur ne se désactive pas et ne se retire pas son rôle.' },
  },
  { method: 'get', path: '/api/admin/landlords', tag: TAGS.admin, access: 'admin.organisations', summary: 'Lister les bailleurs', responses: { 200: 'Les bailleurs.' } },
  {
    method: 'post', path: '/api/admin/landlords', tag: TAGS.admin, access: 'admin.organisations', body: admin.createLandlordBody,
    summary: 'Ajouter un bailleur', responses: { 201: 'Bailleur ajouté.', 409: 'Code déjà utilisé.' },
  },
  { method: 'get', path: '/api/admin/partner-organisations', tag: TAGS.admin, access: 'admin.organisations', summary: 'Lister les organisations partenaires', responses: { 200: 'Les organisations.' } },
  {
    method: 'post', path: '/api/admin/partner-organisations', tag: TAGS.admin, access: 'admin.organisations', body: admin.createPartnerOrganisationBody,
    summary: 'Ajouter une organisation partenaire',
    description: 'Chaque organisation partenaire est ensuite interrogée sur tout nouveau ménage orienté (vérification partenaire), à son adresse e-mail.',
    responses: { 201: 'Organisation ajoutée.', 409: 'Code déjà utilisé.' },
  },
  {
    method: 'get', path: '/api/admin/audit', tag: TAGS.admin, access: 'audit.read', query: admin.auditQuery,
    summary: 'Journal d\'audit : qui a lu ou modifié quoi, et quand',
    description: 'Par ménage (`householdId`) et par personne (`userId`), les plus récents d\'abord ; page suivante avec `cursor` = `nextCursor`.',
    responses: { 200: 'Les entrées du journal.' },
  },
  {
    method: 'get', path: '/api/admin/mails', tag: TAGS.admin, access: 'mail.read', query: admin.mailsQuery,
    summary: 'Journal des mails : envoyés, en attente, en échec',
    description: 'Les adresses des destinataires sont masquées (ex. c***@april.localhost).',
    responses: { 200: 'Les mails, les plus récents d\'abord.' },
  },
  {
    method: 'post', path: '/api/admin/mails/:id/retry', tag: TAGS.admin, access: 'mail.retry',
    params: { id: { schema: z.uuid(), description: 'Identifiant du mail.' } },
    summary: 'Renvoyer un mail en échec',
    description: 'Seul un mail en échec dont le texte est conservé peut être renvoyé (409 sinon) ; même Message-ID que le premier envoi.',
    responses: { 200: 'Le résultat du renvoi : `sent`, ou `failed` avec l\'erreur.' },
  },
  { method: 'get', path: '/api/admin/policy', tag: TAGS.admin, access: 'admin.policy', summary: 'Règles en vigueur : délais, seuils et capacités du programme', responses: { 200: 'La politique et ses libellés.' } },

  // Documentation
  { method: 'get', path: '/api/openapi.json', tag: TAGS.docs, access: 'public', summary: 'Ce document OpenAPI 3.1', responses: { 200: 'Le document.' } },
  { method: 'get', path: '/api/docs', tag: TAGS.docs, access: 'public', summary: 'La documentation de l\'API, à lire dans un navigateur', responses: { 200: { description: 'Page HTML.', contentType: 'text/html' } } },
  { method: 'get', path: '/api/docs/style.css', tag: TAGS.docs, access: 'public', summary: 'Feuille de style de la documentation', responses: { 200: { description: 'CSS.', contentType: 'text/css' } } },
  ...ARREARS_IMPORT_ROUTES,
];
