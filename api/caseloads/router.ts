import express, { type RequestHandler } from 'express';
import type { ApiContext } from '../context';
import { AppError } from '../errors';
import { defineRoute, TAGS, type Route } from '../http/route';
import { CASELOAD_FILE_LIMITS, CASELOAD_FILE_TYPE, caseloadFileTooLarge } from './file';

const rawCsv = express.raw({ type: [CASELOAD_FILE_TYPE, 'application/csv'], limit: CASELOAD_FILE_LIMITS.maxBytes });

/** The raw CSV body, in memory only, read once the role is checked (never written: docs/privacy/caseload-lists.md). */
const readCsv: RequestHandler = (req, res, next) => {
  rawCsv(req, res, (error?: unknown) => {
    if (error && typeof error === 'object' && 'type' in error && error.type === 'entity.too.large') return next(caseloadFileTooLarge());
    next(error);
  });
};

/**
 * `/api/caseload-list`: a partner worker's list of the households its organisation follows, kept as
 * keyed pseudonyms only (docs/privacy/caseload-lists.md); `/api/caseload-lists`: the coordination
 * sees which organisation has a fresh list, never its content.
 */
export function caseloadRoutes({ caseloads }: Pick<ApiContext, 'caseloads'>): Route[] {
  return [
    defineRoute({
      method: 'get', path: '/api/caseload-list', tag: TAGS.caseloads, access: 'caseload.manage',
      summary: 'La liste des ménages suivis par mon organisation : date, nombre de lignes, fraîcheur',
      responses: { 200: 'La liste en cours (`list: null` si aucune) : jamais son contenu, qui n’est pas conservé.' },
    }, {
      async handle(_req, res, { principal }) {
        res.json(await caseloads.current(principal));
      },
    }),
    defineRoute({
      method: 'put', path: '/api/caseload-list', tag: TAGS.caseloads, access: 'caseload.manage',
      summary: 'Envoyer la liste des ménages suivis par mon organisation (remplace la précédente)',
      description: `Le corps est le fichier CSV lui-même (Content-Type \`text/csv\`, UTF-8, séparé par \`;\` ou \`,\`, ${CASELOAD_FILE_LIMITS.maxBytes / 1024 / 1024} Mo et ${CASELOAD_FILE_LIMITS.maxLines.toLocaleString('fr-FR')} lignes au plus). `
        + 'En-tête en première ligne : `nom`, `prénom`, `adresse`, et si elle est connue `date de naissance` (majuscules et accents au choix). '
        + 'Chaque ligne est normalisée puis réduite à une empreinte HMAC-SHA-256 avec la clé du déploiement ; seules ces empreintes sont conservées, jamais le fichier. '
        + 'À chaque orientation, un ménage dont l’empreinte figure dans la liste ouvre une vérification pour votre organisation ; une liste fraîche qui ne le contient pas répond « non connu » à votre place, sans que vous voyiez le ménage.',
      responses: {
        200: 'Liste enregistrée : date, lignes lues, empreintes, lignes inexploitables (numéros seulement).',
        400: 'Fichier illisible, colonnes absentes ou trop de lignes : la liste précédente reste en place.',
        413: 'Fichier trop volumineux.',
        415: 'Type de contenu autre que CSV.',
      },
    }, {
      bodyCheckedByHandler: true,
      readBody: (req, res) => new Promise<void>((resolve, reject) => readCsv(req, res, (error?: unknown) => (error ? reject(error) : resolve()))),
      async handle(req, res, { principal }) {
        if (!Buffer.isBuffer(req.body)) {
          throw new AppError(415, 'unsupported_media_type', `Envoyez le fichier lui-même comme corps de la requête, avec Content-Type: ${CASELOAD_FILE_TYPE}.`);
        }
        res.json(await caseloads.upload(principal, req.body, req.id));
      },
    }),
    defineRoute({
      method: 'delete', path: '/api/caseload-list', tag: TAGS.caseloads, access: 'caseload.manage',
      summary: 'Supprimer la liste des ménages suivis par mon organisation',
      description: 'Sans liste, votre organisation reçoit de nouveau une vérification pour chaque ménage orienté.',
      responses: { 200: '`deleted` : vrai si une liste a été supprimée.' },
    }, {
      async handle(req, res, { principal }) {
        res.json(await caseloads.remove(principal, req.id));
      },
    }),
    defineRoute({
      method: 'get', path: '/api/caseload-lists', tag: TAGS.caseloads, access: 'caseload.overview',
      summary: 'Les listes des partenaires : date, nombre de lignes, fraîcheur (jamais leur contenu)',
      responses: { 200: 'Une ligne par organisation partenaire.' },
    }, {
      async handle(_req, res) {
        res.json({ organisations: await caseloads.overview() });
      },
    }),
  ];
}
