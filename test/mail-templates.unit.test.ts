import { label, TASK_TYPE_LABELS } from '../domain/labels';
import { overdueAt } from '../domain/programme/overdue';
import { parisDay } from '../activities/mail-format';
import { committeeAgenda, dailyDigest, newTaskNotice, overdueEscalation, partnerCheckRequest, relapseAlert } from '../activities/mail-templates';

const DAY = 24 * 3600 * 1000;

describe('mail labels', () => {
  test('the digest day is the calendar day in Paris, across midnight and daylight saving', () => {
    expect(parisDay(Date.parse('2031-03-09T22:30:00Z'))).toBe('2031-03-09'); // 23:30 in Paris (winter)
    expect(parisDay(Date.parse('2031-03-09T23:30:00Z'))).toBe('2031-03-10'); // 00:30 in Paris
    expect(parisDay(Date.parse('2031-07-01T22:30:00Z'))).toBe('2031-07-02'); // 00:30 in Paris (summer)
  });

  test('a task is overdue after its due date plus its type\'s grace', () => {
    const dueAt = new Date('2031-03-01T00:00:00Z');
    expect(overdueAt({ type: 'legal_deadline_warning', dueAt })).toEqual(dueAt);
    expect(overdueAt({ type: 'contact_attempt', dueAt }).getTime()).toBe(dueAt.getTime() + 3 * DAY);
    expect(overdueAt({ type: 'support_review', dueAt }).getTime()).toBe(dueAt.getTime() + 7 * DAY);
    expect(overdueAt({ type: 'some_new_type', dueAt })).toEqual(dueAt);
    expect(label(TASK_TYPE_LABELS, 'watch_check')).toBe('Point de veille');
    expect(label(TASK_TYPE_LABELS, 'some_new_type')).toBe('some new type');
  });
});

describe('mail templates', () => {
  const common = { landlordName: 'Reims Habitat', tenancyReference: 'RH-42', link: 'https://april.example/x' };

  test('every mail is French, signed as automatic, and carries its link', () => {
    const mails = [
      newTaskNotice({ ...common, taskLabel: 'Tentative de contact', dueOn: '12/03/2031' }),
      overdueEscalation({ ...common, taskLabel: 'Échéance légale', dueOn: '01/03/2031', holder: 'non attribuée (coordination)' }),
      relapseAlert({ ...common, signals: ['dette locative de 900,00 €'], next: 'L\'accompagnement reprend.' }),
      partnerCheckRequest({ ...common, partnerName: 'CCAS de Reims' }),
      dailyDigest({ displayName: 'Camille', day: '10/03/2031', lines: [], more: 0, inboxLink: 'https://april.example/taches' }),
      committeeAgenda({ heldOn: '02/04/2031', items: [], link: 'https://april.example/comite' }),
    ];
    for (const mail of mails) {
      expect(mail.subject.startsWith('[APRIL] ')).toBe(true);
      expect(mail.text).toMatch(/^Bonjour/);
      expect(mail.text).toContain('merci de ne pas y répondre');
      expect(mail.text).toMatch(/https:\/\/april\.example\//);
    }
  });

  test('the digest counts what is open and what is late, and says how many more it left out', () => {
    const line = (overdue: boolean, mine: boolean) => ({ ...common, taskLabel: 'Point de veille', overdue, mine, dueOn: '10/03/2031' });
    const one = dailyDigest({ displayName: 'Camille', day: '10/03/2031', lines: [line(false, true)], more: 0, inboxLink: 'l' });
    expect(one.subject).toBe('[APRIL] Vos tâches du 10/03/2031 – 1 ouverte');
    const many = dailyDigest({ displayName: 'Camille', day: '10/03/2031', lines: [line(true, true), line(false, false)], more: 3, inboxLink: 'l' });
    expect(many.subject).toBe('[APRIL] Vos tâches du 10/03/2031 – 5 ouvertes, dont 1 en retard');
    expect(many.text).toContain('- [EN RETARD] Point de veille – Reims Habitat, bail RH-42 – prévue le 10/03/2031\n');
    expect(many.text).toContain('(équipe, non attribuée)');
    expect(many.text).toContain('… et 3 autres.');
  });

  test('an empty agenda says so', () => {
    expect(committeeAgenda({ heldOn: '02/04/2031', items: [], link: 'l' }).text).toContain('Aucune situation en attente de décision.');
  });
});
