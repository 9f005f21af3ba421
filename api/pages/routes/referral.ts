import { Router, type Request, type Response } from 'express';
import { allow } from '../../access/guard';
import type { ApiContext } from '../../context';
import { createHouseholdBody, procedureStages, referralSources } from '../../households/schemas';
import { parseBody } from '../../validation';
import { dateFromParts, frenchNumber, optional, redirectWithNotice } from '../forms';
import { postForm, type FormState } from '../page-form';
import { PROCEDURE_LABELS, REFERRAL_SOURCE_LABELS } from '../../../domain/labels';
import { render } from '../render';

const FIELDS = {
  landlordId: { label: 'Bailleur', message: 'choisissez le bailleur' },
  tenancyReference: { label: 'Référence du bail' },
  headName: { label: 'Nom du ou de la titulaire du bail' },
  address: { label: 'Adresse du logement' },
  phone: { label: 'Téléphone' },
  email: { label: 'Adresse e-mail' },
  leaseStartDate: { label: 'Date de début du bail', id: 'leaseStartDate-day' },
  monthlyRent: { label: 'Loyer mensuel' },
  arrears: { label: 'Dette locative' },
  procedureStage: { label: 'Étape de la procédure', message: 'choisissez l’étape de la procédure' },
  referralSource: { label: 'Origine de l’orientation', message: 'choisissez l’origine de l’orientation' },
  note: { label: 'Observations' },
};

/**
 * The referral form (landlord agents for their landlord, the coordination for any). Posts to the
 * same service as `POST /api/households`; a bad value re-renders the form, nothing is created.
 */
export function referralPages({ directory, households }: ApiContext): Router {
  const router = Router();

  const show = async (req: Request, res: Response, form: FormState = {}, status = 200) => {
    const principal = allow(req, 'household.refer');
    const values = form.values ?? {};
    const landlords = await directory.landlords();
    const own = principal.role === 'landlord_agent' ? landlords.find((l) => l.id === principal.landlordId) : undefined;
    render(req, res, 'households/refer.njk', {
      values,
      ownLandlord: own,
      landlordItems: [{ value: '', text: 'Choisissez un bailleur' }, ...landlords.map((l) => ({ value: l.id, text: l.name, selected: l.id === values.landlordId }))],
      stageItems: [{ value: '', text: 'Choisissez une étape' }, ...procedureStages.map((code) => ({ value: code, text: PROCEDURE_LABELS[code] ?? code, selected: code === values.procedureStage }))],
      sourceItems: referralSources.map((code) => ({ value: code, text: REFERRAL_SOURCE_LABELS[code] ?? code, checked: code === values.referralSource })),
      errors: form.errors,
    }, status);
  };

  /** The date input's message says what is wrong with what was typed (nothing, or not a date). */
  const fields = (values: Record<string, string>) => {
    const leaseStartDate = dateFromParts(values, 'leaseStartDate');
    const message = leaseStartDate === undefined ? 'saisissez la date de début du bail' : leaseStartDate === 'invalid' ? 'saisissez une date réelle, par exemple 15 3 2019' : undefined;
    return { ...FIELDS, leaseStartDate: { ...FIELDS.leaseStartDate, ...(message && { message }) } };
  };

  router.get('/orienter', (req, res) => show(req, res));

  router.post('/orienter', postForm(show, async (req, res, values) => {
    const principal = allow(req, 'household.refer');
    // A landlord agent refers for its own landlord, whatever the form says.
    const landlordId = principal.role === 'landlord_agent' ? principal.landlordId ?? '' : values.landlordId ?? '';
    const body = parseBody(createHouseholdBody, {
      landlordId,
      tenancyReference: values.tenancyReference ?? '',
      headName: values.headName ?? '',
      address: values.address ?? '',
      phone: optional(values.phone),
      email: optional(values.email),
      leaseStartDate: dateFromParts(values, 'leaseStartDate') ?? '',
      monthlyRent: frenchNumber(values.monthlyRent) ?? '',
      arrears: frenchNumber(values.arrears) ?? '',
      procedureStage: values.procedureStage ?? '',
      referralSource: values.referralSource ?? '',
      note: optional(values.note),
    });
    const created = await households.create(body, { actor: principal.id, requestId: req.id });
    redirectWithNotice(res, `/menages/${created.id}`, { title: 'Orientation enregistrée', text: `Le ménage ${body.headName} est orienté vers APRIL : les partenaires vont être consultés.` });
  }, { fields, refused: { statuses: [409], field: 'tenancyReference', label: FIELDS.tenancyReference.label } }));

  return router;
}
