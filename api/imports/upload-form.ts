import express, { type Request, type RequestHandler } from 'express';
import { ARREARS_FILE_LIMITS } from '../../activities/arrears-file';
import { isAllowed, type Permission } from '../access/permissions';
import { AppError } from '../errors';

/** Where the landlord space's upload form posts (api/pages/routes/landlord.ts). */
export const UPLOAD_FORM_PATH = '/bailleur/imports/nouveau';
/** The form's file field. */
export const FILE_FIELD = 'fichier';

export interface UploadedFile {
  name: string;
  content: Uint8Array;
}


/**
 * The upload form is multipart/form-data, which nothing else in the app parses: its `_csrf` field
 * would be invisible to the global CSRF check, which reads `req.body`. Mounted between
 * `authenticate` and `csrfProtection` for this one path, this reads the form with the web-standard
 * `Request.formData()` into `req.body` (text fields as strings, the file as {name, content}); the
 * unchanged global check then compares `_csrf` with the session's token, as for every other form.
 * Only a session of a role that may import gets its body read: anyone else goes on unparsed and is
 * refused by the CSRF check or the page.
 */
export const readUploadForm: RequestHandler = uploadFormReader({
  permission: 'household.updateArrears',
  maxBytes: ARREARS_FILE_LIMITS.maxBytes,
  tooLarge: () => new AppError(413, 'payload_too_large', 'Le fichier dépasse 20 Mo : découpez-le en plusieurs fichiers.'),
});

/**
 * The same reading for another upload form (the partners' caseload list, api/pages/routes/caseloads.ts):
 * the body read in memory, for a session whose role has `permission`, at most `maxBytes` of file.
 */
export function uploadFormReader(options: { permission: Permission; maxBytes: number; tooLarge: () => AppError }): RequestHandler {
  // Room for the form's other fields and the multipart boundaries around the file.
  const rawForm = express.raw({ type: 'multipart/form-data', limit: options.maxBytes + 64 * 1024 });
  return (req, res, next) => {
    const principal = req.principal;
    if (!req.is('multipart/form-data') || req.authentication?.kind !== 'session' || !principal || !isAllowed(principal.role, options.permission)) {
      return next();
    }
    rawForm(req, res, (error?: unknown) => {
      if (error) {
        const tooLarge = typeof error === 'object' && error !== null && 'type' in error && error.type === 'entity.too.large';
        return next(tooLarge ? options.tooLarge() : error);
      }
      parseForm(req).then(() => next(), () => next(new AppError(400, 'bad_request', 'Le formulaire envoyé est illisible : rechargez la page et recommencez.')));
    });
  };
}

async function parseForm(req: Request): Promise<void> {
  const raw: unknown = req.body;
  const form = await new Request('http://upload.invalid/', {
    method: 'POST',
    headers: { 'content-type': req.header('content-type') ?? '' },
    body: Buffer.isBuffer(raw) ? raw : Buffer.alloc(0),
  }).formData();
  const body: Record<string, string | UploadedFile> = {};
  for (const [name, value] of form) {
    if (typeof value === 'string') body[name] = value;
    else if (name === FILE_FIELD) body[name] = { name: value.name, content: new Uint8Array(await value.arrayBuffer()) };
  }
  req.body = body;
}

/** The uploaded file of a form read by readUploadForm (undefined: no file chosen). */
export function uploadedFile(req: Request): UploadedFile | undefined {
  const value: unknown = (req.body as Record<string, unknown> | undefined)?.[FILE_FIELD];
  if (typeof value !== 'object' || value === null || !('content' in value)) return undefined;
  const file = value as UploadedFile;
  return file.content.length === 0 && file.name === '' ? undefined : file;
}
