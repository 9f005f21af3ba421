import { minutesPdf, winAnsi } from '../api/pages/committee-minutes-pdf';
import type { MinutesData } from '../api/committee/minutes';
import { pdfPageCount, pdfText } from './support/pdf-text';

/**
 * The minutes as a PDF: the words of the HTML minutes (api/committee/minutes.ts), read back from the
 * file itself (compressed, as served), and a long session continues on further pages.
 */
const decision = (headName: string, kind: 'admit' | 'reorient' | 'defer', index = 0): MinutesData['decisions'][number] => ({
  headName,
  tenancyReference: `BAIL-${index}`,
  landlord: { name: 'Foyer Rémois' },
  decision: kind === 'admit' ? { kind, track: 'post_termination', educatorId: 'e' } : kind === 'reorient' ? { kind, scheme: 'asll' } : { kind },
  ...(kind === 'admit' && { educator: { name: 'Camille Éducatrice' } }),
  caseloadWhenDecided: { landlord: 12, total: 41 },
  decidedBy: { name: 'Claire Coordination', role: 'coordinator' },
});
const data = (decisions: MinutesData['decisions']): MinutesData => ({
  heldOn: '2026-12-10',
  generatedAt: new Date('2026-12-10T16:30:00Z'),
  decisions,
  capacity: {
    perLandlord: [{ landlordId: 'l', landlordName: 'Foyer Rémois', active: 20, capacity: 20, full: true }],
    total: { active: 41, capacity: 60, full: false },
  },
  perLandlordTarget: 20,
  totalTarget: 60,
});

test('the minutes PDF holds the session, the members, each decision in words and the capacity', async () => {
  const pdf = await minutesPdf(data([decision('Mme Zoé « Test » Ñúñez', 'admit'), decision('M. Li 李', 'reorient', 1), decision('Mme Dora', 'defer', 2)]));
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const text = pdfText(pdf).replace(/\s+/g, ' ');
  for (const words of [
    'Procès-verbal du comité de suivi APRIL', 'Séance du 10 décembre 2026.', 'Claire Coordination (coordination)', 'Décisions (3)',
    'Mme Zoé « Test » Ñúñez', 'bail BAIL-0', 'Admission', 'parcours post-résiliation du bail, suivi par Camille Éducatrice',
    'Réorientation', 'vers : ASLL', 'Report', 'à une prochaine séance', '12 / 20 chez le bailleur, 41 / 60 au total',
    'Capacité du dispositif', 'Foyer Rémois 20 20 atteinte', 'Total 41 60 disponible',
  ]) expect(text).toContain(words);
  // Helvetica writes WinAnsi only: a sign outside it becomes '?', never a broken file.
  expect(text).toContain('M. Li ?');
});

test('a session without decision says so; a long one continues on further pages', async () => {
  expect(pdfText(await minutesPdf(data([])))).toContain('Aucune décision n’a été enregistrée pour cette séance.');
  const long = await minutesPdf(data(Array.from({ length: 60 }, (_, i) => decision(`Ménage numéro ${i}`, 'defer', i))), { compress: false });
  expect(pdfPageCount(long)).toBeGreaterThan(2);
  expect(pdfText(long)).toContain('Ménage numéro 59');
});

test('winAnsi keeps French typography and replaces the rest', () => {
  expect(winAnsi('1\u202f650,00\u00a0€ — l’été « oui »')).toBe('1\u00a0650,00\u00a0€ — l’été « oui »');
  expect(winAnsi('李 ş')).toBe('? ?');
});
