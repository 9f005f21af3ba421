import type { ApiContext } from '../context';
import { caseFileViewFor } from '../access/permissions';
import { ForbiddenError } from '../errors';
import { defineRoute, TAGS, type Route } from '../http/route';
import { householdIdParams, inScope } from './actions/routes';
import { listHouseholds } from './list';
import { createHouseholdBody, listQuery } from './schemas';

/** The households themselves: list, refer (start the process), read the case file. */
export function householdRoutes(ctx: ApiContext): Route[] {
  return [
    defineRoute({
      method: 'get', path: '/api/households', tag: TAGS.households, access: 'household.list', query: listQuery, answers: { resource: 'householdRow', listAt: 'households' },
      summary: 'Lister les ménages suivis (dans mon périmètre)',
      description: 'Sans phase demandée, les ménages encore suivis (les dossiers clôturés avec `phase=closed`). Par pages, de l\'orientation la plus ancienne à la plus récente : `page.nextOffset` donne le début de la page suivante.',
      responses: { 200: 'Les ménages, filtrés, et la page (`limit`, `offset`, `total`, `nextOffset`).' },
    }, {
      async handle(req, res, { principal, query }) {
        res.json(await listHouseholds(ctx, query, principal, req.id));
      },
    }),
    defineRoute({
      method: 'post', path: '/api/households', tag: TAGS.households, access: 'household.refer', body: createHouseholdBody,
      summary: 'Orienter un ménage vers le programme',
      description: 'Crée le dossier et démarre le processus du ménage. Un agent bailleur n\'oriente que les ménages de son bailleur.',
      responses: { 201: 'Dossier créé (en-tête Location).', 409: 'Ce bail fait déjà l\'objet d\'un suivi en cours.', 503: 'Temporal indisponible : rien n\'a été enregistré.' },
    }, {
      async handle(req, res, { principal, body }) {
        if (principal.role === 'landlord_agent' && body.landlordId !== principal.landlordId) {
          throw new ForbiddenError('Un agent bailleur n\'oriente que les ménages de son propre bailleur.');
        }
        const created = await ctx.households.create(body, { actor: principal.id, requestId: req.id });
        res.status(201).location(`/api/households/${created.id}`).json(created);
      },
    }),
    defineRoute({
      method: 'get', path: '/api/households/:id', tag: TAGS.households, access: 'household.read', params: householdIdParams, answers: { resource: 'household' },
      notFound: 'Ménage introuvable.',
      summary: 'Lire le dossier d\'un ménage (état du processus, échéances légales)',
      description: 'La lecture est inscrite au journal d\'audit. Un agent bailleur ou un partenaire n\'en voit que ce dont il a besoin.',
      responses: { 200: 'Le dossier, selon le rôle.' },
    }, {
      before: inScope(ctx),
      async handle(req, res, { principal, params }) {
        res.json(await ctx.households.get(params.id, { actor: principal.id, requestId: req.id }, caseFileViewFor(principal.role)));
      },
    }),
  ];
}
