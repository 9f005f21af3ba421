import { Router, type Request } from 'express';
import type { Db } from '../../lib/db';
import * as messages from '../../workflows/household/messages';
import { allow, requireHouseholdInScope } from '../access/guard';
import type { Permission } from '../access/permissions';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { parseBody, requireJson } from '../validation';
import * as schemas from './command-schemas';
import type { ProcessService } from './process-service';
import { householdIdParam } from './schemas';

/**
 * One route per action of the household process. Each validates its body (400), sends an Update
 * (answer: the new state, or 409 with the rules' refusal) or, for the landlords' feeds, a Signal
 * (202). Each route names its action: the access policy says which roles may take it (else 403) and
 * the household must lie in the caller's scope (else 404), before the body is even read.
 */
export function processRouter(db: Db, service: ProcessService): Router {
  const router = Router();

  const idOf = (req: Request) => {
    const id = householdIdParam.safeParse(req.params.id);
    if (!id.success) throw new NotFoundError('Ménage introuvable.');
    return id.data;
  };
  /** Who acts on which household, checked in the policy's order: role (403), then scope (404). */
  const act = async (req: Request, action: Permission) => {
    const principal = allow(req, action);
    const id = idOf(req);
    await requireHouseholdInScope(db, principal, id);
    const key = req.header('idempotency-key');
    if (key !== undefined && !/^[\w.:-]{8,100}$/.test(key)) {
      throw new ValidationError([{ field: 'Idempotency-Key', message: 'de 8 à 100 caractères : lettres, chiffres, . _ : -' }]);
    }
    return { id, principal, ctx: { actor: principal.id, role: principal.role, requestId: req.id, idempotencyKey: key } };
  };
  /** A partner worker speaks for its own organisation only. */
  const ownOrganisation = (principal: { role: string; partnerOrganisationId: string | null }, partnerOrgId: string | undefined) => {
    if (principal.role === 'partner_worker' && partnerOrgId !== principal.partnerOrganisationId) {
      throw new ForbiddenError('Vous ne pouvez répondre qu\'au nom de votre propre organisation.');
    }
  };

  router.post('/:id/partner-check', requireJson, async (req, res) => {
    const { id, ctx } = await act(req, 'household.openPartnerCheck');
    const body = parseBody(schemas.openPartnerCheckBody, req.body);
    res.json(await service.execute(id, messages.openPartnerCheckUpdate, body, ctx));
  });

  router.post('/:id/partner-answers', requireJson, async (req, res) => {
    const { id, principal, ctx } = await act(req, 'household.recordPartnerAnswer');
    const { referent, ...body } = parseBody(schemas.partnerAnswerBody, req.body);
    ownOrganisation(principal, body.partnerOrgId);
    const referentWorkerRef = referent ? await service.saveReferent(id, body.partnerOrgId, referent) : undefined;
    res.json(await service.execute(id, messages.recordPartnerAnswerUpdate, { ...body, referentWorkerRef }, ctx, { referentIds: [referentWorkerRef] }));
  });

  router.post('/:id/committee-decisions', requireJson, async (req, res) => {
    const { id, ctx } = await act(req, 'household.recordCommitteeDecision');
    const body = parseBody(schemas.committeeDecisionBody, req.body);
    if (body.decision.kind === 'admit') await service.requireEducator(body.decision.educatorId);
    res.json(await service.execute(id, messages.recordCommitteeDecisionUpdate, body, ctx));
  });

  router.post('/:id/contact-attempts', requireJson, async (req, res) => {
    const { id, ctx } = await act(req, 'household.recordContactAttempt');
    const { note, ...body } = parseBody(schemas.contactAttemptBody, req.body);
    const noteId = await service.writeNote(id, 'contact_attempt', note, ctx);
    res.json(await service.execute(id, messages.recordContactAttemptUpdate, body, ctx, { noteIds: [noteId] }));
  });

  router.post('/:id/contact-escalation', requireJson, async (req, res) => {
    const { id, ctx } = await act(req, 'household.contactEscalationDecision');
    const body = parseBody(schemas.escalationDecisionBody, req.body);
    res.json(await service.execute(id, messages.contactEscalationDecisionUpdate, body, ctx));
  });

  router.post('/:id/support-plan', requireJson, async (req, res) => {
    const { id, ctx } = await act(req, 'household.updateSupportPlan');
    const { changes } = parseBody(schemas.supportPlanBody, req.body);
    const planned: Record<string, { status: 'not_started' | 'in_progress' | 'done'; goalRef?: string }> = {};
    const noteIds: (string | undefined)[] = [];
    for (const [domain, change] of Object.entries(changes)) {
      if (!change) continue;
      const goalRef = await service.writeNote(id, `support_goal:${domain}`, change.goal, ctx);
      noteIds.push(goalRef);
      planned[domain] = { status: change.status, ...(goalRef && { goalRef }) };
    }
    res.json(await service.execute(id, messages.updateSupportPlanUpdate, { changes: planned }, ctx, { noteIds }));
  });

  router.post('/:id/reviews', requireJson, async (req, res) => {
    const { id, ctx } = await act(req, 'household.recordReview');
    const { note } = parseBody(schemas.noteOnlyBody, req.body);
    const noteRef = await service.writeNote(id, 'review', note, ctx);
    res.json(await service.execute(id, messages.recordReviewUpdate, { noteRef }, ctx, { noteIds: [noteRef] }));
  });

  router.post('/:id/handoff', requireJson, async (req, res) => {
    const { id, ctx } = await act(req, 'household.startHandoff');
    const body = parseBody(schemas.startHandoffBody, req.body);
    res.json(await service.execute(id, messages.startHandoffUpdate, body, ctx));
  });

  router.post('/:id/handoff/acknowledgements', requireJson, async (req, res) => {
    const { id, principal, ctx } = await act(req, 'household.acknowledgeHandoff');
    const body = parseBody(schemas.acknowledgeHandoffBody, req.body);
    if (principal.role === 'partner_worker') await service.requireHandoffAddressedTo(id, body.scheme, principal.partnerOrganisationId);
    res.json(await service.execute(id, messages.acknowledgeHandoffUpdate, body, ctx));
  });

  router.post('/:id/handoff/cancel', requireJson, async (req, res) => {
    const { id, ctx } = await act(req, 'household.cancelHandoff');
    const { reason } = parseBody(schemas.withdrawBody, req.body);
    const reasonNoteRef = await service.writeNote(id, 'handoff_cancelled', reason, ctx);
    res.json(await service.execute(id, messages.cancelHandoffUpdate, { reasonNoteRef }, ctx, { noteIds: [reasonNoteRef] }));
  });

  router.post('/:id/relapse', requireJson, async (req, res) => {
    const { id, ctx } = await act(req, 'household.reportRelapse');
    const { note } = parseBody(schemas.noteOnlyBody, req.body);
    const noteRef = await service.writeNote(id, 'relapse', note, ctx);
    res.json(await service.execute(id, messages.reportRelapseUpdate, { noteRef }, ctx, { noteIds: [noteRef] }));
  });

  router.post('/:id/close', requireJson, async (req, res) => {
    const { id, ctx } = await act(req, 'household.close');
    const { reason, ...body } = parseBody(schemas.closeBody, req.body);
    const reasonNoteRef = (await service.writeNote(id, 'closure', reason, ctx))!;
    res.json(await service.execute(id, messages.closeHouseholdUpdate, { ...body, reasonNoteRef }, ctx, { noteIds: [reasonNoteRef] }));
  });

  router.post('/:id/withdraw', requireJson, async (req, res) => {
    const { id, ctx } = await act(req, 'household.withdraw');
    const { reason } = parseBody(schemas.withdrawBody, req.body);
    const reasonNoteRef = await service.writeNote(id, 'withdrawal', reason, ctx);
    res.json(await service.execute(id, messages.withdrawHouseholdUpdate, { reasonNoteRef }, ctx, { noteIds: [reasonNoteRef] }));
  });

  router.post('/:id/procedure-events', requireJson, async (req, res) => {
    const { id, ctx } = await act(req, 'household.recordProcedureEvent');
    const body = parseBody(schemas.procedureEventBody, req.body);
    await service.signal(id, messages.recordProcedureEventSignal, { procedureType: body.type, occurredOn: `${body.occurredOn}T00:00:00.000Z`, ...(body.details && { details: body.details }) }, ctx);
    res.status(202).json({ accepted: true });
  });

  router.post('/:id/payments', requireJson, async (req, res) => {
    const { id, ctx } = await act(req, 'household.recordPayment');
    const body = parseBody(schemas.paymentBody, req.body);
    await service.signal(id, messages.recordPaymentSignal, { amountCents: Math.round(body.amount * 100) }, ctx);
    res.status(202).json({ accepted: true });
  });

  router.post('/:id/arrears', requireJson, async (req, res) => {
    const { id, ctx } = await act(req, 'household.updateArrears');
    const body = parseBody(schemas.arrearsBody, req.body);
    await service.signal(id, messages.updateArrearsSignal, {
      arrearsCents: Math.round(body.arrears * 100),
      ...(body.monthlyRent !== undefined && { monthlyRentCents: Math.round(body.monthlyRent * 100) }),
    }, ctx);
    res.status(202).json({ accepted: true });
  });

  return router;
}
