import { randomUUID } from 'node:crypto';
import { DEMO_EDUCATOR, LANDLORDS, PARTNER_ORGANISATIONS } from '../../lib/reference-data';
import type { AccountName } from './accounts';
import { eventually, type Harness } from './harness';
import { request } from './http';

/** Who takes each action by default: the person whose work it is (the coordination for the rest). */
const ACTOR_OF: Record<string, AccountName> = {
  'contact-attempts': 'educator',
  'support-plan': 'educator',
  reviews: 'educator',
  handoff: 'educator',
  relapse: 'educator',
  'committee-decisions': 'committee_member',
  'contact-escalation': 'committee_member',
};

/** Drives households through the API, as the people of the programme would. */
export function processDriver(h: Harness) {
  const post = (id: string, action: string, body: unknown, as: AccountName = ACTOR_OF[action] ?? 'coordinator', headers: Record<string, string> = {}) =>
    request(h.baseUrl, 'POST', `/api/households/${id}/${action}`, body, { ...h.as[as].headers, ...headers });
  const view = async (id: string) => (await request(h.baseUrl, 'GET', `/api/households/${id}`, undefined, h.as.coordinator.headers)).body;

  async function waitForPhase(id: string, phase: string, timeoutMs = 30_000) {
    return eventually(async () => {
      const body = await view(id);
      return body.workflow?.available && body.workflow.state.phase === phase ? body.workflow : undefined;
    }, timeoutMs, `phase ${phase}`);
  }

  async function refer(overrides: Record<string, unknown> = {}) {
    const res = await request(h.baseUrl, 'POST', '/api/households', {
      landlordId: LANDLORDS[0].id,
      tenancyReference: `P-${randomUUID().slice(0, 8)}`,
      headName: 'M. Alex Parcours',
      address: '5 rue du Processus, 51100 Reims',
      leaseStartDate: '2020-02-01',
      monthlyRent: 400,
      arrears: 2400,
      procedureStage: 'payment_order',
      referralSource: 'pre_litigation',
      ...overrides,
    }, h.as.coordinator.headers);
    if (res.status !== 201) throw new Error(`referral refused: ${JSON.stringify(res.body)}`);
    const id = res.body.id as string;
    await waitForPhase(id, 'partner_check');
    return id;
  }

  /** Every partner answers "not known", except those given as following the household. */
  async function answerPartners(id: string, followedBy: Record<string, { name: string; email: string }> = {}) {
    for (const partner of PARTNER_ORGANISATIONS) {
      const referent = followedBy[partner.id];
      const res = await post(id, 'partner-answers', referent
        ? { partnerOrgId: partner.id, answer: 'followed', referent }
        : { partnerOrgId: partner.id, answer: 'not_known' });
      if (res.status !== 200) throw new Error(`partner answer refused: ${JSON.stringify(res.body)}`);
    }
    return waitForPhase(id, 'committee');
  }

  async function admit(id: string, track: 'pre_litigation' | 'post_termination' = 'pre_litigation') {
    await answerPartners(id);
    const res = await post(id, 'committee-decisions', { sessionId: 'comite-test', decision: { kind: 'admit', track, educatorId: DEMO_EDUCATOR.id } });
    if (res.status !== 200) throw new Error(`admission refused: ${JSON.stringify(res.body)}`);
    return waitForPhase(id, 'contact');
  }

  async function admitAfterDefer(id: string) {
    const res = await post(id, 'committee-decisions', { sessionId: 'comite-suivant', decision: { kind: 'admit', track: 'pre_litigation', educatorId: DEMO_EDUCATOR.id } });
    if (res.status !== 200) throw new Error(`admission refused: ${JSON.stringify(res.body)}`);
    return waitForPhase(id, 'contact');
  }

  async function reach(id: string) {
    await admit(id);
    const res = await post(id, 'contact-attempts', { slot: 'evening', channel: 'home_visit', outcome: 'contact_made' });
    if (res.status !== 200) throw new Error(`attempt refused: ${JSON.stringify(res.body)}`);
    return waitForPhase(id, 'support');
  }

  return { post, view, waitForPhase, refer, answerPartners, admit, admitAfterDefer, reach };
}
