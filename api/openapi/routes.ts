import { z } from '../../lib/zod-fr';
import * as admin from '../admin/schemas';
import { TAGS, type RouteDoc } from '../http/route';
import { ARREARS_IMPORT_ROUTES } from '../imports/openapi';

/**
 * The routes of the routers not yet declared with their handlers (api/http/route.ts), one entry
 * each; api/routes.ts adds the declared ones. The unit test openapi.unit.test.ts walks the Express
 * app and fails for a route that is missing from the document, or an entry with no route.
 */
export const ROUTES: RouteDoc[] = [
  // Ménages
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
