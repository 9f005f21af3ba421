import { Router, type Request, type Response } from 'express';
import type { Db } from '../../../lib/db';
import { allow } from '../../access/guard';
import { ConflictError, ValidationError } from '../../errors';
import { createHouseholdBody, procedureStages, referralSources } from '../../households/schemas';
import type { HouseholdService } from '../../households/service';
import { parseBody } from '../../validation';
import { dateFromParts, fieldError, formBody, formErrors, frenchNumber, optional, redirectWithNotice } from '../forms';
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
export function referralPages(db: Db, households: HouseholdService): Router {
  const router = Router();

  const show = async (req: Request, res: Response, values: Record<string, string>, extra: Record<string, unknown> = {}, status = 200) => {
    const principal = allow(req, 'household.refer');
    const landlords = await db.landlord.findMany({ select: { id: true, name: true }, orderBy: { name: 'asc' } });
    const own = principal.role === 'landlord_agent' ? landlords.find((l) => l.id === principal.landlordId) : undefined;
    render(req, res, 'households/refer.njk', {
      values,
      ownLandlord: own,
      landlordItems: [{ value: '', text: 'Choisissez un bailleur' }, ...landlords.map((l) => ({ value: l.id, text: l.name, selected: l.id === values.landlordId }))],
      stageItems: [{ value: '', text: 'Choisissez une étape' }, ...procedureStages.map((code) => ({ value: code, text: PROCEDURE_LABELS[code] ?? code, selected: code === values.procedureStage }))],
      sourceItems: referralSources.map((code) => ({ value: code, text: REFERRAL_SOURCE_LABELS[code] ?? code, checked: code === values.referralSource })),
      ...extra,
    }, status);
  };

  router.get('/orienter', (req, res) => show(req, res, {}));

  router.post('/orienter', async (req, res) => {
    const principal = allow(req, 'household.refer');
    const values = formBody(req);
    // A landlord agent refers for its own landlord, whatever the form says.
    const landlordId = principal.role === 'landlord_agent' ? principal.landlordId ?? '' : values.landlordId ?? '';
    const leaseStartDate = dateFromParts(values, 'leaseStartDate');
    try {
      const body = parseBody(createHouseholdBody, {
        landlordId,
        tenancyReference: values.tenancyReference ?? '',
        headName: values.headName ?? '',
        address: values.address ?? '',
        phone: optional(values.phone),
        email: optional(values.email),
        leaseStartDate: leaseStartDate ?? '',
        monthlyRent: frenchNumber(values.monthlyRent) ?? '',
        arrears: frenchNumber(values.arrears) ?? '',
        procedureStage: values.procedureStage ?? '',
        referralSource: values.referralSource ?? '',
        note: optional(values.note),
      });
      const created = await households.create(body, { actor: principal.id, requestId: req.id });
      redirectWithNotice(res, `/menages/${created.id}`, { title: 'Orientation enregistrée', text: `Le ménage ${body.headName} est orienté vers APRIL : les partenaires vont être consultés.` });
    } catch (error) {
      if (error instanceof ValidationError) {
        const dateMessage = leaseStartDate === undefined ? 'saisissez la date de début du bail' : leaseStartDate === 'invalid' ? 'saisissez une date réelle, par exemple 15 3 2019' : undefined;
        const fields = { ...FIELDS, leaseStartDate: { ...FIELDS.leaseStartDate, ...(dateMessage && { message: dateMessage }) } };
        return show(req, res, values, { errors: formErrors(error, fields) }, 400);
      }
      if (error instanceof ConflictError) {
        return show(req, res, values, { errors: fieldError('tenancyReference', FIELDS.tenancyReference.label, error.message) }, 409);
      }
      throw error;
    }
  });

  return router;
}
