import { PROCEDURE_EVENT_TYPES } from '../../../domain/household';
import { PROCEDURE_LABELS } from '../../../domain/labels';
import { z } from '../../../lib/zod-fr';
import * as messages from '../../../workflows/household/messages';
import { defineAction } from './action';
import { cents, choices, euros, instantOf, isoDay, months } from './values';

/**
 * The landlords' feeds: facts of the procedure and of the account, sent as Signals (accepted at
 * once, applied in order by the workflow, which computes the legal deadlines from them).
 */

export const recordProcedureEvent = defineAction({
  command: 'recordProcedureEvent', permission: 'household.recordProcedureEvent', route: 'procedure-events', slug: 'etape-procedure',
  title: 'Enregistrer une étape de la procédure', done: 'L’étape de la procédure est transmise.', submit: 'Transmettre l’étape',
  shape: {
    type: z.enum(PROCEDURE_EVENT_TYPES),
    occurredOn: isoDay,
    /** What the legal deadlines need beyond the date; each field only makes sense for some steps. */
    details: z.strictObject({
      hearingDate: isoDay.optional(),
      terminationOrdered: z.boolean().optional(),
      suspensionGranted: z.boolean().optional(),
      paymentDelayMonths: months(36).optional(),
      interimOrder: z.boolean().optional(),
      durationMonths: months(24).optional(),
      extensionMonths: months(36).optional(),
      judgeShortenedToDays: z.number().int().min(0).max(60).optional(),
      months: months(12).optional(),
    }).optional(),
  },
  message: { kind: 'signal', definition: messages.recordProcedureEventSignal },
  toCommand: ({ type, occurredOn, details }) => ({ procedureType: type, occurredOn: instantOf(occurredOn), ...(details && { details }) }),
  form: [
    { kind: 'select', name: 'type', label: 'Étape', choices: choices(PROCEDURE_EVENT_TYPES, PROCEDURE_LABELS), placeholder: 'Choisissez une étape' },
    { kind: 'date', name: 'occurredOn', label: 'Date de l’étape' },
    { kind: 'date', name: 'hearingDate', path: 'details.hearingDate', label: 'Pour une assignation : date de l’audience', optional: true, when: { name: 'type', is: 'summons' } },
  ],
});

export const recordPayment = defineAction({
  command: 'recordPayment', permission: 'household.recordPayment', route: 'payments', slug: 'paiement',
  title: 'Enregistrer un paiement', done: 'Le paiement est transmis.', submit: 'Transmettre le paiement',
  shape: { amount: euros('Le montant').refine((v) => v > 0, 'Le montant doit être supérieur à 0') },
  message: { kind: 'signal', definition: messages.recordPaymentSignal },
  toCommand: ({ amount }) => ({ amountCents: cents(amount) }),
  form: [{ kind: 'euros', name: 'amount', label: 'Montant' }],
});

export const updateArrears = defineAction({
  command: 'updateArrears', permission: 'household.updateArrears', route: 'arrears', slug: 'dette',
  title: 'Mettre à jour la dette locative', done: 'La dette locative est transmise.', submit: 'Transmettre la dette',
  shape: { arrears: euros('La dette locative'), monthlyRent: euros('Le loyer mensuel').optional() },
  message: { kind: 'signal', definition: messages.updateArrearsSignal },
  toCommand: ({ arrears, monthlyRent }) => ({ arrearsCents: cents(arrears), ...(monthlyRent !== undefined && { monthlyRentCents: cents(monthlyRent) }) }),
  form: [
    { kind: 'euros', name: 'arrears', label: 'Dette locative' },
    { kind: 'euros', name: 'monthlyRent', label: 'Loyer mensuel', optional: true },
  ],
});
