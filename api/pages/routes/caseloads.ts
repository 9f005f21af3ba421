import { Router, type Request, type Response } from 'express';
import { allow } from '../../access/guard';
import { isAllowed } from '../../access/permissions';
import { CASELOAD_FILE_LIMITS, caseloadFileTooLarge } from '../../caseloads/file';
import type { ApiContext } from '../../context';
import { FILE_FIELD, uploadFormReader, uploadedFile } from '../../imports/upload-form';
import { fieldError, redirectWithNotice } from '../forms';
import { postForm, type FormState } from '../page-form';
import { render } from '../render';

/** Where the partner's caseload form posts; its multipart body is read before the CSRF check (api/app.ts). */
export const CASELOAD_FORM_PATH = '/partenaires/liste-suivis';

/** Reads the caseload form's file in memory, for partner workers only (api/imports/upload-form.ts). */
export const readCaseloadForm = uploadFormReader({ permission: 'caseload.manage', maxBytes: CASELOAD_FILE_LIMITS.maxBytes, tooLarge: caseloadFileTooLarge });

const FIELDS = { [FILE_FIELD]: { label: 'Fichier de la liste' } };

/**
 * « Liste des ménages suivis » (docs/privacy/caseload-lists.md): a partner worker uploads, replaces or
 * deletes its organisation's list and sees its date, line count and freshness; the coordination sees
 * the same facts for every organisation. Over the service of /api/caseload-list(s).
 */
export function caseloadPages({ caseloads, policy }: ApiContext): Router {
  const router = Router();
  const freshDays = Math.round((policy.partnerCheck.caseloadListFreshMs ?? 31 * 86_400_000) / 86_400_000);

  async function show(req: Request, res: Response, form: FormState = {}, status = 200) {
    const principal = req.principal;
    if (principal && !isAllowed(principal.role, 'caseload.manage')) {
      allow(req, 'caseload.overview');
      render(req, res, 'partners/caseloads.njk', { organisations: await caseloads.overview(), freshDays }, status);
      return;
    }
    const me = allow(req, 'caseload.manage');
    const { list } = await caseloads.current(me);
    render(req, res, 'partners/caseload.njk', { list, action: CASELOAD_FORM_PATH, fileField: FILE_FIELD, errors: form.errors, freshDays, maxLines: CASELOAD_FILE_LIMITS.maxLines }, status);
  }

  router.get(CASELOAD_FORM_PATH, (req, res) => show(req, res));

  // The multipart body was read into req.body, in memory, before the CSRF check (readCaseloadForm).
  router.post(CASELOAD_FORM_PATH, postForm(show, async (req, res) => {
    const principal = allow(req, 'caseload.manage');
    const file = uploadedFile(req);
    if (!file) return show(req, res, { errors: fieldError(FILE_FIELD, FIELDS[FILE_FIELD].label, 'choisissez le fichier CSV de votre liste') }, 400);
    const { list, report } = await caseloads.upload(principal, file.content, req.id);
    const unusable = report.unusableLines === 0
      ? ''
      : ` ${report.unusableLines} ligne${report.unusableLines > 1 ? 's' : ''} sans nom, prénom ou adresse exploitable n’${report.unusableLines > 1 ? 'ont' : 'a'} rien donné (ligne${report.unusableLines > 1 ? 's' : ''} ${report.unusableLineNumbers.join(', ')}${report.unusableLines > report.unusableLineNumbers.length ? '…' : ''}).`;
    redirectWithNotice(res, CASELOAD_FORM_PATH, {
      title: 'Liste enregistrée',
      text: `${list.lineCount} ligne${list.lineCount > 1 ? 's' : ''} lue${list.lineCount > 1 ? 's' : ''}, réduite${list.lineCount > 1 ? 's' : ''} à des empreintes ; le fichier n’est pas conservé.${unusable}`,
    });
  }, { fields: FIELDS, refused: { statuses: [413], field: FILE_FIELD, label: FIELDS[FILE_FIELD].label } }));

  router.post(`${CASELOAD_FORM_PATH}/suppression`, async (req, res) => {
    const principal = allow(req, 'caseload.manage');
    const { deleted } = await caseloads.remove(principal, req.id);
    redirectWithNotice(res, CASELOAD_FORM_PATH, {
      title: deleted ? 'Liste supprimée' : 'Aucune liste',
      text: 'Votre organisation recevra de nouveau une vérification pour chaque ménage orienté.',
    });
  });

  return router;
}
