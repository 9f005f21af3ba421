import express, { Router, type RequestHandler } from 'express';
import { ARREARS_FILE_LIMITS, ARREARS_FILE_TYPES, type ArrearsFileFormat } from '../../activities/arrears-file';
import { allow } from '../access/guard';
import { AppError } from '../errors';
import { toValidationError } from '../validation';
import { createImportQuery, importErrorsQuery } from './schemas';
import { errorReportCsv, type ArrearsImportService } from './service';

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
export function arrearsImportsRouter(service: ArrearsImportService): Router {
  const router = Router();

  router.post('/', (req, _res, next) => next(allow(req, 'household.updateArrears') && undefined), readFile, async (req, res) => {
    const principal = allow(req, 'household.updateArrears');
    const query = createImportQuery.safeParse(req.query);
    if (!query.success) throw toValidationError(query.error);
    const format = FORMAT_OF[(req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase()];
    if (!format || !Buffer.isBuffer(req.body)) {
      throw new AppError(415, 'unsupported_media_type', `Envoyez le fichier lui-même comme corps de la requête, avec Content-Type: ${ARREARS_FILE_TYPES.csv} ou ${ARREARS_FILE_TYPES.xlsx}.`);
    }
    const created = await service.start(principal, { ...query.data, format, content: req.body }, req.id);
    res.status(202).location(`/api/arrears-imports/${created.id}`).json(created);
  });

  router.get('/:id', async (req, res) => {
    const principal = allow(req, 'household.updateArrears');
    res.json(await service.find(principal, req.params.id));
  });

  router.get('/:id/errors', async (req, res) => {
    const principal = allow(req, 'household.updateArrears');
    const query = importErrorsQuery.safeParse(req.query);
    if (!query.success) throw toValidationError(query.error);
    if (query.data.format === 'csv') {
      const report = await service.errors(principal, req.params.id, 'all');
      res.setHeader('Cache-Control', 'no-store');
      res.attachment(`erreurs-import-${report.import.id}.csv`).type('text/csv; charset=utf-8').send(errorReportCsv(report.lines));
      return;
    }
    const report = await service.errors(principal, req.params.id, query.data.page ?? 1);
    res.json({
      ...report,
      note: 'Les lignes sans dossier ouvert chez APRIL (unmatchedRows) ne sont pas des erreurs : ces locataires ne sont pas suivis par le programme.',
    });
  });

  return router;
}
