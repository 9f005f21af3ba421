import type { ProgrammePolicy } from '../programme/policy';
import type {
  OpenPartnerCheckCommand, RecordCommitteeDecisionCommand, RecordPartnerAnswerCommand, StartCommand,
} from './commands';
import { emitter, refuse, type Decision } from './decision';
import type { HouseholdState } from './state';

/** From referral to the committee's decision: who is already following the household, and entry. */

export function decideStart(s: HouseholdState, c: StartCommand): Decision {
  if (s.referral) return refuse('already_started', "L'orientation de ce ménage est déjà enregistrée.");
  if (c.landlordId !== s.landlordId) {
    return refuse('landlord_mismatch', "Le bailleur indiqué n'est pas celui du ménage.");
  }
  if (!Number.isSafeInteger(c.arrearsCents) || !Number.isSafeInteger(c.monthlyRentCents) || c.monthlyRentCents <= 0) {
    return refuse('invalid_amount', 'Le loyer mensuel doit être positif et la dette exprimée en centimes.');
  }
  const { type: _type, landlordId, arrearsCents, monthlyRentCents, referralSource, partnersAnsweredByList, ...rest } = c;
  const partnerOrgIds = unique(c.partnerOrgIds);
  // An organisation to ask is asked, whatever its list says; one list answer per organisation.
  const byList = partnersAnsweredByList
    ?.filter((a, i, all) => !partnerOrgIds.includes(a.partnerOrgId) && all.findIndex((b) => b.partnerOrgId === a.partnerOrgId) === i);
  return {
    ok: true,
    events: [{
      type: 'referralRecorded', landlordId, arrearsCents, monthlyRentCents, source: referralSource,
      ...rest, partnerOrgIds, ...(byList && { partnersAnsweredByList: byList }),
    }],
  };
}

export function decideOpenPartnerCheck(s: HouseholdState, c: OpenPartnerCheckCommand): Decision {
  if (!s.referral) return refuse('not_started', "L'orientation du ménage doit d'abord être enregistrée.");
  const partnerOrgIds = unique(c.partnerOrgIds ?? s.referral.partnerOrgIds);
  // Organisations whose fresh caseload list did not hold the household (docs/privacy/caseload-lists.md):
  // their answer is already in, nobody there sees the household. Asked anyway if named in the check.
  const byList = (s.referral.partnersAnsweredByList ?? []).filter((a) => !partnerOrgIds.includes(a.partnerOrgId));
  if (partnerOrgIds.length === 0 && byList.length === 0) {
    return refuse('no_partners', 'Au moins un partenaire doit être consulté avant le comité.');
  }
  const out = emitter(s);
  out.emit({ type: 'partnerCheckOpened', at: c.at, by: c.by, partnerOrgIds });
  for (const { partnerOrgId, listDate } of byList) {
    out.emit({ type: 'partnerAnswerRecorded', at: c.at, by: c.by, partnerOrgId, answer: 'not_known', source: 'list', listDate });
  }
  // Every organisation answered by its list: nothing to wait for, the committee may look at it.
  if (pendingPartners(out.state).length === 0) {
    out.emit({ type: 'partnerCheckCompleted', at: c.at, reason: 'all_answered', pendingPartnerOrgIds: [] });
  }
  return out.accept();
}

export function decidePartnerAnswer(s: HouseholdState, c: RecordPartnerAnswerCommand): Decision {
  const previous = s.partnerCheck?.answers[c.partnerOrgId];
  if (!previous) return refuse('unknown_partner', "Ce partenaire n'a pas été consulté pour ce ménage.");
  if (c.answer === 'followed' && !c.referentWorkerRef) {
    return refuse('referent_required', 'Indiquez le travailleur social référent qui suit déjà le ménage.');
  }
  const referentWorkerRef = c.answer === 'followed' ? c.referentWorkerRef : undefined;
  // The same answer twice (a retried form) changes nothing; a different one corrects the first.
  if (previous.status === c.answer && previous.referentWorkerRef === referentWorkerRef) return { ok: true, events: [] };

  const out = emitter(s);
  out.emit({
    type: 'partnerAnswerRecorded', at: c.at, by: c.by, partnerOrgId: c.partnerOrgId, answer: c.answer,
    ...(referentWorkerRef && { referentWorkerRef }),
  });
  if (referentWorkerRef) {
    out.emit({ type: 'referentWorkerAlertRequested', at: c.at, partnerOrgId: c.partnerOrgId, referentWorkerRef });
  }
  if (s.phase === 'partner_check' && pendingPartners(out.state).length === 0) {
    out.emit({ type: 'partnerCheckCompleted', at: c.at, reason: 'all_answered', pendingPartnerOrgIds: [] });
  }
  return out.accept();
}

export function decideCommittee(s: HouseholdState, c: RecordCommitteeDecisionCommand, policy: ProgrammePolicy): Decision {
  const d = c.decision;
  if (d.kind === 'defer' && s.committee.deferCount >= policy.committee.deferLimit) {
    return refuse(
      'defer_limit_reached',
      `Le dossier a déjà été reporté ${s.committee.deferCount} fois : le comité doit admettre, réorienter ou rejeter le ménage.`,
    );
  }
  if (d.kind === 'admit' && !d.educatorId) {
    return refuse('educator_required', "Désignez l'éducateur qui prendra contact avec le ménage.");
  }
  const capacityExceeded = c.caseload !== undefined
    && (c.caseload.landlord >= policy.capacity.perLandlord || c.caseload.total >= policy.capacity.total);

  const out = emitter(s);
  out.emit({ type: 'committeeDecisionRecorded', at: c.at, by: c.by, sessionId: c.sessionId, decision: d, capacityExceeded });
  switch (d.kind) {
    case 'admit':
      // A household the educators already reached (back after a relapse) goes straight to support.
      if (s.firstContactAt) {
        out.emit({ type: 'supportStarted', at: c.at, reason: 'readmitted', track: d.track, educatorId: d.educatorId });
      } else {
        out.emit({ type: 'contactStarted', at: c.at, track: d.track, educatorId: d.educatorId });
      }
      break;
    case 'reorient':
      out.emit({ type: 'caseClosed', at: c.at, by: c.by, outcome: 'reoriented', scheme: d.scheme });
      break;
    case 'reject':
      out.emit({ type: 'caseClosed', at: c.at, by: c.by, outcome: 'rejected' });
      break;
    case 'defer':
      break;
    default: {
      const unknown: never = d;
      throw new Error(`Unknown committee decision ${JSON.stringify(unknown)}`);
    }
  }
  return out.accept();
}

export function pendingPartners(s: HouseholdState): string[] {
  return Object.entries(s.partnerCheck?.answers ?? {}).filter(([, a]) => a.status === 'pending').map(([id]) => id);
}

const unique = (ids: string[]): string[] => [...new Set(ids)];
