import { completionFor } from '../api/tasks/completions';
import { TASK_TYPES } from '../api/tasks/schemas';
import { fieldSpecs, formToBody, leaves } from '../api/pages/form-fields';

/**
 * The task page's forms come from the household action table (api/tasks/completions.ts): every
 * task type the workflows open has one, and what a person fills in becomes a body the task
 * service's own schema accepts (or refuses, by field).
 */
const formOf = (type: string, form: Record<string, string> = {}) => {
  const completion = completionFor({ type, form });
  return { ...completion, toBody: (values: Record<string, string>) => formToBody(completion.fields, values) };
};
const names = (type: string, form: Record<string, string> = {}) =>
  leaves(completionFor({ type, form }).fields).flatMap((f) => ('name' in f ? [f.name] : []));

test('every task type has a form, with the permission of its completion', () => {
  expect(TASK_TYPES.filter((type) => { try { completionFor({ type, form: { reason: 'too_many_attempts', scheme: 'fsl' } }); return false; } catch { return true; } })).toEqual([]);
  expect(formOf('contact_attempt').permission).toBe('household.recordContactAttempt');
  expect(names('committee_review', { reason: 'relapse' })).toContain('educatorId');
  expect(names('committee_review', { reason: 'too_many_attempts' })).not.toContain('educatorId');
  expect(formOf('legal_deadline_warning').permission).toBeNull();
  expect(() => completionFor({ type: 'unknown', form: {} })).toThrow();
});

test('a contact attempt in a few taps: three choices and an optional note', () => {
  const { toBody, form } = formOf('contact_attempt');
  expect(form.parse(toBody({ slot: 'evening', channel: 'home_visit', outcome: 'absent', note: '  ' }))).toEqual({ slot: 'evening', channel: 'home_visit', outcome: 'absent' });
  const refused = form.safeParse(toBody({ note: 'Vu la voisine.' }));
  expect(refused.success).toBe(false);
  expect(refused.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['channel', 'outcome', 'slot']);
});

test('the other forms: committee decision, escalation, watch check, partner check', () => {
  const committee = formOf('committee_decision');
  expect(committee.form.parse(committee.toBody({ sessionId: '2026-12', kind: 'admit', track: 'pre_litigation', educatorId: '8b3e4c74-0000-4000-8000-000000000002', scheme: 'fsl' })))
    .toEqual({ sessionId: '2026-12', decision: { kind: 'admit', track: 'pre_litigation', educatorId: '8b3e4c74-0000-4000-8000-000000000002' } });
  expect(committee.form.safeParse(committee.toBody({ sessionId: '2026-12', kind: 'admit' })).error?.issues.map((i) => i.path.join('.')).sort())
    .toEqual(['decision.educatorId', 'decision.track']);

  const escalation = formOf('committee_review', { reason: 'too_long' });
  expect(escalation.form.parse(escalation.toBody({ kind: 'continue', sessionId: '' }))).toEqual({ decision: { kind: 'continue' } });

  const watch = formOf('watch_check');
  expect(watch.form.parse(watch.toBody({ relapse: 'oui' }))).toEqual({ relapse: true });
  expect(watch.form.parse(watch.toBody({ relapse: 'non', note: 'RAS' }))).toEqual({ relapse: false, note: 'RAS' });
  expect(watch.form.safeParse(watch.toBody({})).success).toBe(false);

  // The organisation comes from the task: the form neither shows nor sends it.
  const partner = formOf('partner_check');
  expect(names('partner_check')).not.toContain('partnerOrgId');
  expect(partner.form.safeParse(partner.toBody({ answer: 'followed' })).error?.issues[0]?.path).toEqual(['referent']);
  expect(partner.form.parse(partner.toBody({ answer: 'not_known', referentName: 'ignoré' }))).toEqual({ answer: 'not_known' });
  expect(partner.form.safeParse({ answer: 'not_known', referent: { name: 'Mme X' } }).success).toBe(false);
});

test('every field a schema may blame is named in French in the error summary', () => {
  for (const type of TASK_TYPES) {
    const { fields, form } = completionFor({ type, form: { reason: 'too_many_attempts', scheme: 'fsl' } });
    const specs = fieldSpecs(fields);
    const refused = form.safeParse({});
    for (const issue of refused.success ? [] : refused.error.issues) {
      expect([type, issue.path.join('.'), specs[issue.path.join('.')]?.label]).toEqual([type, issue.path.join('.'), expect.any(String)]);
    }
  }
});
