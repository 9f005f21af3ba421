import { Router, type Request } from 'express';
import type { ActorRole } from '../../workflows/domain/household-rules';
import * as messages from '../../workflows/household/messages';
import { NotFoundError, ValidationError } from '../errors';
import { parseBody, requireJson } from '../validation';
import * as schemas from './command-schemas';
import type { ProcessService } from './process-service';
import { householdIdParam } from './schemas';

/**
 * One route per action of the household process. Each validates its body (400), sends an Update
 * (answer: the new state, or 409 with the rules' refusal) or, for the landlords' feeds, a Signal
 * (202). Until accounts exist (people issue) the actor is `api` acting in the role the action needs.
 */
export function processRouter(service: ProcessService): Router {
  const router = Router();

  const idOf = (req: Request) => {
    const id = householdIdParam.safeParse(req.params.id);
    if (!id.success) throw new NotFoundError('Ménage introuvable.');
    return id.data;
  };
  const ctx = (req: Request, role: ActorRole) => {
    const key = req.header('idempotency-key');
    if (key !== undefined && !/^[\w.:-]{8,100}$/.test(key)) {
      throw new ValidationError([{ field: 'Idempotency-Key', message: 'de 8 à 100 caractères : lettres, chiffres, . _ : -' }]);
    }
    return { actor: 'api', role, requestId: req.id, idempotencyKey: key };
  };

  router.post('/:id/partner-check', requireJson, async (req, res) => {
    const body = parseBody(schemas.openPartnerCheckBody, req.body);
    res.json(await service.execute(idOf(req), messages.openPartnerCheckUpdate, body, ctx(req, 'coordinator')));
  });

  router.post('/:id/partner-answers', requireJson, async (req, res) => {
    const id = idOf(req);
    const { referent, ...body } = parseBody(schemas.partnerAnswerBody, req.body);
    const c = ctx(req, 'partner_worker');
    const referentWorkerRef = referent ? await service.saveReferent(id, body.partnerOrgId, referent) : undefined;
    res.json(await service.execute(id, messages.recordPartnerAnswerUpdate, { ...body, referentWorkerRef }, c, { referentIds: [referentWorkerRef] }));
  });

  router.post('/:id/committee-decisions', requireJson, async (req, res) => {
    const body = parseBody(schemas.committeeDecisionBody, req.body);
    if (body.decision.kind === 'admit') await service.requireEducator(body.decision.educatorId);
    res.json(await service.execute(idOf(req), messages.recordCommitteeDecisionUpdate, body, ctx(req, 'committee_member')));
  });

  router.post('/:id/contact-attempts', requireJson, async (req, res) => {
    const id = idOf(req);
    const { note, ...body } = parseBody(schemas.contactAttemptBody, req.body);
    const c = ctx(req, 'educator');
    const noteId = await service.writeNote(id, 'contact_attempt', note, c);
    res.json(await service.execute(id, messages.recordContactAttemptUpdate, body, c, { noteIds: [noteId] }));
  });

  router.post('/:id/contact-escalation', requireJson, async (req, res) => {
    const body = parseBody(schemas.escalationDecisionBody, req.body);
    res.json(await service.execute(idOf(req), messages.contactEscalationDecisionUpdate, body, ctx(req, 'committee_member')));
  });

  router.post('/:id/support-plan', requireJson, async (req, res) => {
    const id = idOf(req);
    const { changes } = parseBody(schemas.supportPlanBody, req.body);
    const c = ctx(req, 'educator');
    const planned: Record<string, { status: 'not_started' | 'in_progress' | 'done'; goalRef?: string }> = {};
    const noteIds: (string | undefined)[] = [];
    for (const [domain, change] of Object.entries(changes)) {
      if (!change) continue;
      const goalRef = await service.writeNote(id, `support_goal:${domain}`, change.goal, c);
      noteIds.push(goalRef);
      planned[domain] = { status: change.status, ...(goalRef && { goalRef }) };
    }
    res.json(await service.execute(id, messages.updateSupportPlanUpdate, { changes: planned }, c, { noteIds }));
  });

  router.post('/:id/reviews', requireJson, async (req, res) => {
    const id = idOf(req);
    const { note } = parseBody(schemas.noteOnlyBody, req.body);
    const c = ctx(req, 'educator');
    const noteRef = await service.writeNote(id, 'review', note, c);
    res.json(await service.execute(id, messages.recordReviewUpdate, { noteRef }, c, { noteIds: [noteRef] }));
  });

  router.post('/:id/handoff', requireJson, async (req, res) => {
    const body = parseBody(schemas.startHandoffBody, req.body);
    res.json(await service.execute(idOf(req), messages.startHandoffUpdate, body, ctx(req, 'educator')));
  });

  router.post('/:id/handoff/acknowledgements', requireJson, async (req, res) => {
    const body = parseBody(schemas.acknowledgeHandoffBody, req.body);
    res.json(await service.execute(idOf(req), messages.acknowledgeHandoffUpdate, body, ctx(req, 'partner_worker')));
  });

  router.post('/:id/handoff/cancel', requireJson, async (req, res) => {
    const id = idOf(req);
    const { reason } = parseBody(schemas.withdrawBody, req.body);
    const c = ctx(req, 'coordinator');
    const reasonNoteRef = await service.writeNote(id, 'handoff_cancelled', reason, c);
    res.json(await service.execute(id, messages.cancelHandoffUpdate, { reasonNoteRef }, c, { noteIds: [reasonNoteRef] }));
  });

  router.post('/:id/relapse', requireJson, async (req, res) => {
    const id = idOf(req);
    const { note } = parseBody(schemas.noteOnlyBody, req.body);
    const c = ctx(req, 'educator');
    const noteRef = await service.writeNote(id, 'relapse', note, c);
    res.json(await service.execute(id, messages.reportRelapseUpdate, { noteRef }, c, { noteIds: [noteRef] }));
  });

  router.post('/:id/close', requireJson, async (req, res) => {
    const id = idOf(req);
    const { reason, ...body } = parseBody(schemas.closeBody, req.body);
    const c = ctx(req, 'coordinator');
    const reasonNoteRef = (await service.writeNote(id, 'closure', reason, c))!;
    res.json(await service.execute(id, messages.closeHouseholdUpdate, { ...body, reasonNoteRef }, c, { noteIds: [reasonNoteRef] }));
  });

  router.post('/:id/withdraw', requireJson, async (req, res) => {
    const id = idOf(req);
    const { reason } = parseBody(schemas.withdrawBody, req.body);
    const c = ctx(req, 'coordinator');
    const reasonNoteRef = await service.writeNote(id, 'withdrawal', reason, c);
    res.json(await service.execute(id, messages.withdrawHouseholdUpdate, { reasonNoteRef }, c, { noteIds: [reasonNoteRef] }));
  });

  router.post('/:id/procedure-events', requireJson, async (req, res) => {
    const body = parseBody(schemas.procedureEventBody, req.body);
    await service.signal(idOf(req), messages.recordProcedureEventSignal, { procedureType: body.type, occurredOn: `${body.occurredOn}T00:00:00.000Z`, ...(body.details && { details: body.details }) }, ctx(req, 'landlord_agent'));
    res.status(202).json({ accepted: true });
  });

  router.post('/:id/payments', requireJson, async (req, res) => {
    const body = parseBody(schemas.paymentBody, req.body);
    await service.signal(idOf(req), messages.recordPaymentSignal, { amountCents: Math.round(body.amount * 100) }, ctx(req, 'landlord_agent'));
    res.status(202).json({ accepted: true });
  });

  router.post('/:id/arrears', requireJson, async (req, res) => {
    const body = parseBody(schemas.arrearsBody, req.body);
    await service.signal(idOf(req), messages.updateArrearsSignal, {
      arrearsCents: Math.round(body.arrears * 100),
      ...(body.monthlyRent !== undefined && { monthlyRentCents: Math.round(body.monthlyRent * 100) }),
    }, ctx(req, 'landlord_agent'));
    res.status(202).json({ accepted: true });
  });

  return router;
}
