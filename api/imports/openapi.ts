import type { RouteDoc } from '../http/route';
import { TAGS } from '../http/route';
import { createImportQuery, importErrorsQuery, importIdParam } from './schemas';

const importId = { id: { schema: importIdParam, description: 'Identifiant de l’import.' } };

/** The arrears import's routes, for api/openapi/routes.ts (`...ARREARS_IMPORT_ROUTES`). */
export const ARREARS_IMPORT_ROUTES: RouteDoc[] = [
  {
    method: 'post', path: '/api/arrears-imports', tag: TAGS.feeds, access: 'household.updateArrears', query: createImportQuery,
    summary: 'Importer le fichier des dettes locatives d’un bailleur (CSV ou XLSX)',
    description: 'Le corps est le fichier lui-même (Content-Type `text/csv` ou `application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`, 20 Mo au plus, 200 000 lignes au plus). '
      + 'Colonnes (en-tête en première ligne, sans tenir compte des majuscules ni des accents) : `reference_bail` et `dette` (euros, virgule ou point) obligatoires, `loyer` et `date` facultatives ; CSV séparé par `;` ou `,`, en UTF-8. '
      + 'La coordination précise `landlordId` ; un agent bailleur importe pour son bailleur. Chaque ligne dont le bail a un dossier ouvert chez APRIL met à jour la dette de ce ménage.',
    responses: {
      202: 'Import accepté ; suivez-le à l’adresse donnée par l’en-tête Location.',
      400: 'Paramètre invalide, ou fichier illisible (encodage, colonnes) : rien n’est enregistré.',
      413: 'Fichier de plus de 20 Mo.',
      415: 'Type de contenu autre que CSV ou XLSX.',
      503: 'Moteur de processus indisponible : rien n’est enregistré.',
    },
  },
  {
    method: 'get', path: '/api/arrears-imports/:id', tag: TAGS.feeds, access: 'household.updateArrears', params: importId,
    summary: 'Avancement et bilan d’un import (lignes lues, appliquées, sans dossier, en erreur)',
    responses: { 200: 'L’import : statut (pending, running, done, failed), progression, compteurs, raison d’un échec.', 404: 'Import inconnu ou d’un autre bailleur.' },
  },
  {
    method: 'get', path: '/api/arrears-imports/:id/errors', tag: TAGS.feeds, access: 'household.updateArrears', params: importId, query: importErrorsQuery,
    summary: 'Rapport d’erreurs ligne par ligne (JSON paginé, ou CSV à télécharger avec format=csv)',
    responses: { 200: 'Les lignes refusées : numéro de ligne, référence du bail, raison en français.', 404: 'Import inconnu ou d’un autre bailleur.' },
  },
];
