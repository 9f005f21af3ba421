import { taskPageForm } from '../api/pages/task-forms';
import { completionFor } from '../api/tasks/completions';
import { TASK_TYPES } from '../api/tasks/schemas';

/**
 * The task page's forms (api/pages/task-forms.ts): every task type the workflows open has one, and
 * what a person fills in becomes a body the task service's own schema accepts (or refuses, by field).
 */
const formOf = (type: string, form: Record<string, string> = {}) => {
  const found = taskPageForm({ type, form });
  if (!found) throw new Error(`no page form for ${type}`);
  return { ...found, schema: completionFor({ type, form }).form };
};

test('every task type has a page form, with the access action of its completion', () => {
  expect(TASK_TYPES.filter((type) => !taskPageForm({ type, form: { reason: 'too_many_attempts', scheme: 'fsl' } }))).toEqual([]);
  expect(formOf('contact_attempt').action).toBe('household.recordContactAttempt');
  expect(formOf('committee_review', { reason: 'relapse' }).form.view).toBe('committee-decision');
  expect(formOf('committee_review', { reason: 'too_many_attempts' }).form.view).toBe('escalation');
  expect(formOf('legal_deadline_warning').action).toBeNull();
  expect(taskPageForm({ type: 'unknown', form: {} })).toBeUndefined();
});

test('a contact attempt in a few taps: three choices and an optional note', () => {
  const { form, schema } = formOf('contact_attempt');
  expect(schema.parse(form.toBody({ slot: 'evening', channel: 'home_visit', outcome: 'absent', note: '  ' }))).toEqual({ slot: 'evening', channel: 'home_visit', outcome: 'absent' });
  const refused = schema.safeParse(form.toBody({ note: 'Vu la voisine.' }));
  expect(refused.success).toBe(false);
  expect(refused.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['channel', 'outcome', 'slot']);
});

test('the other forms: committee decision, escalation, watch check, partner check', () => {
  const committee = formOf('committee_decision');
  expect(committee.schema.parse(committee.form.toBody({ sessionId: '2026-12', kind: 'admit', track: 'pre_litigation', educatorId: '8b3e4c74-0000-4000-8000-000000000002', scheme: 'fsl' })))
    .toEqual({ sessionId: '2026-12', decision: { kind: 'admit', track: 'pre_litigation', educatorId: '8b3e4c74-0000-4000-8000-000000000002' } });
  expect(committee.schema.safeParse(committee.form.toBody({ sessionId: '2026-12', kind: 'admit' })).error?.issues.map((i) => i.path.join('.')).sort())
    .toEqual(['decision.educatorId', 'decision.track']);

  const escalation = formOf('committee_review', { reason: 'too_long' });
  expect(escalation.schema.parse(escalation.form.toBody({ kind: 'continue', sessionId: '' }))).toEqual({ decision: { kind: 'continue' } });

  const watch = formOf('watch_check');
  expect(watch.schema.parse(watch.form.toBody({ relapse: 'oui' }))).toEqual({ relapse: true });
  expect(watch.schema.parse(watch.form.toBody({ relapse: 'non', note: 'RAS' }))).toEqual({ relapse: false, note: 'RAS' });
  expect(watch.schema.safeParse(watch.form.toBody({})).success).toBe(false);

  const partner = formOf('partner_check');
  expect(partner.schema.safeParse(partner.form.toBody({ answer: 'followed' })).error?.issues[0]?.path).toEqual(['referent']);
  expect(partner.schema.parse(partner.form.toBody({ answer: 'not_known', referentName: 'ignoré' }))).toEqual({ answer: 'not_known' });
});
