import { Router, type Request, type Response } from 'express';
import { visibleTo } from '../../access/fields';
import { allow } from '../../access/guard';
import type { Principal } from '../../auth/principal';
import type { ApiContext } from '../../context';
import { listQuery } from '../../households/schemas';
import { createImportQuery } from '../../imports/schemas';
import { ERRORS_PAGE_SIZE, formatOf } from '../../imports/service';
import { FILE_FIELD, UPLOAD_FORM_PATH, uploadedFile } from '../../imports/upload-form';
import { fieldError, optional, redirectWithNotice } from '../forms';
import { postForm, type FormState } from '../page-form';
import { pagination, withQuery } from '../paging';
import { render } from '../render';

const FIELDS = {
  fichier: { label: 'Fichier des dettes', id: FILE_FIELD },
  landlordId: { label: 'Bailleur', message: 'choisissez le bailleur du fichier' },
};

/** While an import runs, its page reloads itself every 2 s (the HTTP twin of `<meta http-equiv="refresh">`: no JavaScript). */
const REFRESH_SECONDS = 2;

/**
 * The landlord space (issue 6): the landlord's households with the landlord's view of them, its
 * arrears file imports, the upload form, and each import's progress then per-line report. Thin
 * over the API's services: the household list of `GET /api/households` (scoped by the process
 * service) and the import service of `/api/arrears-imports`. Access: `household.updateArrears`
 * (coordination, landlord agents; anyone else 403); another landlord's import is 404.
 */
export function landlordPages({ directory, householdLists, imports }: ApiContext): Router {
  const router = Router();

  const landlordFilter = (req: Request, principal: Principal): string | undefined => {
    if (principal.role === 'landlord_agent') return principal.landlordId ?? undefined;
    const requested = typeof req.query.landlordId === 'string' ? req.query.landlordId : undefined;
    return requested && listQuery.safeParse({ landlordId: requested }).success ? requested : undefined;
  };

  router.get('/bailleur', async (req, res) => {
    const principal = allow(req, 'household.updateArrears');
    const landlordId = landlordFilter(req, principal);
    const [rows, landlords, recent] = await Promise.all([
      householdLists.forLandlordSpace(principal, landlordId, req.id),
      directory.landlords(),
      imports.list(principal, landlordId ? { landlordId } : {}, 10),
    ]);
    const query = landlordId && principal.role !== 'landlord_agent' ? { landlordId } : {};
    render(req, res, 'landlord/index.njk', {
      ownLandlord: principal.role === 'landlord_agent' ? landlords.find((l) => l.id === principal.landlordId) : undefined,
      landlordItems: principal.role === 'landlord_agent' ? undefined
        : [{ value: '', text: 'Tous les bailleurs' }, ...landlords.map((l) => ({ value: l.id, text: l.name, selected: l.id === landlordId }))],
      page: pagination(rows.map((row) => visibleTo('householdRow', principal.role, row) as typeof row), req.query.page, (n) => withQuery('/bailleur', query, { page: String(n) })),
      imports: recent,
    });
  });

  const showForm = async (req: Request, res: Response, form: FormState = {}, status = 200) => {
    const principal = allow(req, 'household.updateArrears');
    const values = form.values ?? {};
    const landlords = await directory.landlords();
    render(req, res, 'landlord/new-import.njk', {
      ownLandlord: principal.role === 'landlord_agent' ? landlords.find((l) => l.id === principal.landlordId) : undefined,
      landlordItems: [{ value: '', text: 'Choisissez un bailleur' }, ...landlords.map((l) => ({ value: l.id, text: l.name, selected: l.id === values.landlordId }))],
      action: UPLOAD_FORM_PATH,
      fileField: FILE_FIELD,
      values,
      errors: form.errors,
    }, status);
  };

  router.get(UPLOAD_FORM_PATH, (req, res) => showForm(req, res));

  // The multipart body was read into req.body before the CSRF check (api/imports/upload-form.ts).
  router.post(UPLOAD_FORM_PATH, postForm(showForm, async (req, res, values) => {
    const principal = allow(req, 'household.updateArrears');
    const file = uploadedFile(req);
    if (!file) return showForm(req, res, { values, errors: fieldError(FILE_FIELD, FIELDS.fichier.label, 'choisissez le fichier des dettes (CSV ou XLSX)') }, 400);
    const fileName = createImportQuery.safeParse({ fileName: file.name }).data?.fileName;
    const created = await imports.start(principal, {
      ...(principal.role !== 'landlord_agent' && { landlordId: optional(values.landlordId) }),
      ...(fileName && { fileName }),
      format: formatOf(file.content, file.name),
      content: file.content,
    }, req.id);
    redirectWithNotice(res, `/bailleur/imports/${created.id}`, {
      title: 'Fichier reçu',
      text: `Le fichier « ${created.fileName} » est en cours de traitement : cette page suit son avancement.`,
    });
  }, { fields: FIELDS, refused: { statuses: [413], field: FILE_FIELD, label: FIELDS.fichier.label } }));

  router.get('/bailleur/imports/:id', async (req, res) => {
    const principal = allow(req, 'household.updateArrears');
    const requested = Number.parseInt(String(req.query.page ?? '1'), 10);
    const pageNumber = Number.isFinite(requested) && requested > 0 ? requested : 1;
    const report = await imports.errors(principal, req.params.id, pageNumber);
    const view = report.import;
    const landlordName = await directory.landlordName(view.landlordId);
    const running = view.status === 'pending' || view.status === 'running';
    if (running) res.setHeader('Refresh', String(REFRESH_SECONDS));
    // The report's own pages: pagination() pages a list, here the database already did.
    const placeholders = Array.from({ length: report.total }, (_, i) => i);
    const page = pagination(placeholders, pageNumber, (n) => withQuery(`/bailleur/imports/${view.id}`, {}, { page: String(n) }), ERRORS_PAGE_SIZE);
    render(req, res, 'landlord/import.njk', {
      imp: view,
      landlordName: landlordName ?? '',
      running,
      lines: page.current === pageNumber ? report.lines : [],
      page,
      csvHref: `/api/arrears-imports/${view.id}/errors?format=csv`,
    });
  });

  return router;
}
