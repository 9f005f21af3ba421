import express, { type RequestHandler } from 'express';
import { ARREARS_FILE_LIMITS, ARREARS_FILE_TYPES, type ArrearsFileFormat } from '../../activities/arrears-file';
import type { ApiContext } from '../context';
import { AppError } from '../errors';
import { defineRoute, TAGS, type Route } from '../http/route';
import { createImportQuery, importErrorsQuery, importIdParam } from './schemas';
import { errorReportCsv } from './service';

const FORMAT_OF: Record<string, ArrearsFileFormat> = {
  [ARREARS_FILE_TYPES.csv]: 'csv',
  'application/csv': 'csv',
  [ARREARS_FILE_TYPES.xlsx]: 'xlsx',
};

const rawFile = express.raw({ type: Object.keys(FORMAT_OF), limit: ARREARS_FILE_LIMITS.maxBytes });

/** The raw body, with a French answer for a file over 20 MB (read only after the role was checked). */
const readFile: RequestHandler = (req, res, next) => {
  rawFile(req, res, (error?: unknown) => {
    if (error && typeof error === 'object' && 'type' in error && error.type === 'entity.too.large') {
      return next(new AppError(413, 'payload_too_large', 'Le fichier dépasse 20 Mo : découpez-le en plusieurs fichiers.'));
    }
    next(error);
  });
};

/**
 * `/api/arrears-imports`: a landlord's system (API token) or agent posts its arrears file, follows
 * the import, downloads the error report. `household.updateArrears` is the action (the same feed as
 * `POST /api/households/:id/arrears`, for a whole file); scope by landlord, 404 outside it.
 */
const importId = { id: { schema: importIdParam, description: 'Identifiant de l’import.' } };
const notFound = 'Import introuvable.';

export function arrearsImportRoutes({ imports: service }: Pick<ApiContext, 'imports'>): Route[] {
  return [
    defineRoute({
      method: 'post', path: '/api/arrears-imports', tag: TAGS.feeds, access: 'household.updateArrears', query: createImportQuery,
      summary: 'Importer le fichier des dettes locatives d’un bailleur (CSV ou XLSX)',
      description: 'Le corps est le fichier lui-même (Content-Type `text/csv` ou `application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`, 20 Mo au plus, 200 000 lignes au plus lignes vides comprises, 64 Ko au plus par ligne de CSV, 100 Mo au plus une fois décompressé pour un classeur). '
        + 'Colonnes (en-tête en première ligne, sans tenir compte des majuscules ni des accents) : `reference_bail` et `dette` (euros, virgule ou point) obligatoires, `loyer` et `date` facultatives ; CSV séparé par `;` ou `,`, en UTF-8. '
        + 'La coordination précise `landlordId` ; un agent bailleur importe pour son bailleur. Chaque ligne dont le bail a un dossier ouvert chez APRIL met à jour la dette de ce ménage.',
      responses: {
        202: 'Import accepté ; suivez-le à l’adresse donnée par l’en-tête Location.',
        400: 'Paramètre invalide, fichier illisible (encodage, colonnes) ou hors limites (lignes, taille décompressée) : rien n’est enregistré.',
        413: 'Fichier de plus de 20 Mo.',
        415: 'Type de contenu autre que CSV ou XLSX.',
        503: 'Moteur de processus indisponible : rien n’est enregistré.',
      },
    }, {
      // The body is the file itself, read after the role and before the query (readFile).
      bodyCheckedByHandler: true,
      readBody: (req, res) => new Promise<void>((resolve, reject) => readFile(req, res, (error?: unknown) => (error ? reject(error) : resolve()))),
      async handle(req, res, { principal, query }) {
        const format = FORMAT_OF[(req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase()];
        if (!format || !Buffer.isBuffer(req.body)) {
          throw new AppError(415, 'unsupported_media_type', `Envoyez le fichier lui-même comme corps de la requête, avec Content-Type: ${ARREARS_FILE_TYPES.csv} ou ${ARREARS_FILE_TYPES.xlsx}.`);
        }
        const created = await service.start(principal, { ...query, format, content: req.body }, req.id);
        res.status(202).location(`/api/arrears-imports/${created.id}`).json(created);
      },
    }),
    defineRoute({
      method: 'get', path: '/api/arrears-imports/:id', tag: TAGS.feeds, access: 'household.updateArrears', params: importId, notFound,
      summary: 'Avancement et bilan d’un import (lignes lues, appliquées, sans dossier, en erreur)',
      responses: { 200: 'L’import : statut (pending, running, done, failed), progression, compteurs, raison d’un échec.', 404: 'Import inconnu ou d’un autre bailleur.' },
    }, {
      async handle(_req, res, { principal, params }) {
        res.json(await service.find(principal, params.id));
      },
    }),
    defineRoute({
      method: 'get', path: '/api/arrears-imports/:id/errors', tag: TAGS.feeds, access: 'household.updateArrears', params: importId, notFound, query: importErrorsQuery,
      summary: 'Rapport d’erreurs ligne par ligne (JSON paginé, ou CSV à télécharger avec format=csv)',
      responses: { 200: 'Les lignes refusées : numéro de ligne, référence du bail, raison en français.', 404: 'Import inconnu ou d’un autre bailleur.' },
    }, {
      async handle(_req, res, { principal, params, query }) {
        if (query.format === 'csv') {
          const report = await service.errors(principal, params.id, 'all');
          res.setHeader('Cache-Control', 'no-store');
          res.attachment(`erreurs-import-${report.import.id}.csv`).type('text/csv; charset=utf-8').send(errorReportCsv(report.lines));
          return;
        }
        const report = await service.errors(principal, params.id, query.page ?? 1);
        res.json({
          ...report,
          note: 'Les lignes sans dossier ouvert chez APRIL (unmatchedRows) ne sont pas des erreurs : ces locataires ne sont pas suivis par le programme.',
        });
      },
    }),
  ];
}
