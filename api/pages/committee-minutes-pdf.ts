import PDFDocument from 'pdfkit';
import { COMMITTEE_DECISION_LABELS, decisionParticulars } from '../../domain/labels';
import type { MinutesData } from '../committee/minutes';
import { frenchDate, frenchDateTime } from './filters';
import { ROLE_LABELS } from '../../domain/labels';

/**
 * The committee's minutes as a PDF (pdfkit, Helvetica): the same content, in the same order, as the
 * HTML minutes of api/committee/minutes.ts — session, members who decided, the decisions with
 * their particulars and the caseload when taken, the capacity now. Pure: data in, bytes out.
 */

// Helvetica (a PDF standard font) writes WinAnsi only: Latin-1 and a few typographic signs. The
// narrow no-break space of French numbers becomes a no-break space; any other sign a '?'.
const WIN_ANSI_EXTRAS = '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ';
export function winAnsi(text: string): string {
  return text.replace(/[\u202f\u2009]/g, '\u00a0').replace(/[^\u0020-\u007e\u00a0-\u00ff\n]/gu, (c) => (WIN_ANSI_EXTRAS.includes(c) ? c : '?'));
}

const MARGIN = 50;
const INK = '#0b0c0c';
const GREY = '#505a5f';
const RULE = '#b1b4b6';
const HEAD = '#f3f2f1';

interface Column { title: string; width: number }

export function minutesPdf(data: MinutesData, options: { compress?: boolean } = {}): Promise<Buffer> {
  const title = `Procès-verbal du comité APRIL – séance du ${frenchDate(data.heldOn)}`;
  const doc = new PDFDocument({
    size: 'A4', margin: MARGIN, compress: options.compress ?? true, lang: 'fr-FR',
    info: { Title: winAnsi(title), Author: 'APRIL', Subject: 'Procès-verbal du comité de suivi' },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - 2 * MARGIN;
  const bottom = () => doc.page.height - MARGIN;

  const heading = (text: string, size: number) => {
    if (doc.y + size * 3 > bottom()) doc.addPage();
    doc.moveDown(0.6).font('Helvetica-Bold').fontSize(size).fillColor(INK).text(winAnsi(text), MARGIN, doc.y, { width });
    doc.moveDown(0.3);
  };
  const paragraph = (text: string, { color = INK, size = 10 } = {}) => {
    doc.font('Helvetica').fontSize(size).fillColor(color).text(winAnsi(text), MARGIN, doc.y, { width });
  };

  /** A bordered table that continues on the next page, repeating its header. */
  const table = (columns: Column[], rows: { cells: string[]; bold?: boolean }[]) => {
    const padding = 4;
    const size = 9;
    const rowHeight = (cells: string[], bold: boolean) => {
      doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(size);
      return Math.max(...cells.map((cell, i) => doc.heightOfString(winAnsi(cell), { width: columns[i]!.width - 2 * padding }))) + 2 * padding;
    };
    const drawRow = (cells: string[], bold: boolean, fill?: string) => {
      const height = rowHeight(cells, bold);
      if (doc.y + height > bottom()) {
        doc.addPage();
        if (!fill) drawRow(columns.map((c) => c.title), true, HEAD);
      }
      const top = doc.y;
      let x = MARGIN;
      cells.forEach((cell, i) => {
        const w = columns[i]!.width;
        if (fill) doc.rect(x, top, w, height).fill(fill);
        doc.lineWidth(0.5).strokeColor(RULE).rect(x, top, w, height).stroke();
        doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(size).fillColor(INK)
          .text(winAnsi(cell), x + padding, top + padding, { width: w - 2 * padding });
        x += w;
      });
      doc.x = MARGIN;
      doc.y = top + height;
    };
    drawRow(columns.map((c) => c.title), true, HEAD);
    for (const row of rows) drawRow(row.cells, row.bold ?? false);
    doc.moveDown(0.5);
  };

  doc.font('Helvetica-Bold').fontSize(16).fillColor(INK).text(winAnsi('Procès-verbal du comité de suivi APRIL'), { width });
  doc.moveDown(0.3);
  paragraph(`Séance du ${frenchDate(data.heldOn)}.`, { size: 11 });

  heading('Membres ayant pris les décisions', 12);
  const members = [...new Map(data.decisions.map((d) => [`${d.decidedBy.name}|${d.decidedBy.role}`, d.decidedBy])).values()];
  if (members.length === 0) paragraph('Aucune décision n’a été enregistrée pour cette séance.');
  for (const member of members) paragraph(`• ${member.name ?? 'personne inconnue'}${member.role ? ` (${ROLE_LABELS[member.role]})` : ''}`);

  heading(`Décisions (${data.decisions.length})`, 12);
  if (data.decisions.length === 0) paragraph('—');
  else {
    table(
      [
        { title: 'Ménage', width: width * 0.24 }, { title: 'Bailleur', width: width * 0.17 }, { title: 'Décision', width: width * 0.14 },
        { title: 'Précisions', width: width * 0.25 }, { title: 'Suivis actifs au moment de la décision', width: width * 0.2 },
      ],
      data.decisions.map((d) => ({
        cells: [
          `${d.headName}\nbail ${d.tenancyReference}`,
          d.landlord.name,
          COMMITTEE_DECISION_LABELS[d.decision.kind],
          decisionParticulars(d.decision, () => d.educator?.name ?? 'éducateur non retrouvé'),
          d.caseloadWhenDecided
            ? `${d.caseloadWhenDecided.landlord} / ${data.perLandlordTarget} chez le bailleur, ${d.caseloadWhenDecided.total} / ${data.totalTarget} au total`
            : '—',
        ],
      })),
    );
  }

  heading('Capacité du dispositif', 12);
  paragraph(`Ménages en prise de contact, accompagnement ou tuilage, au ${frenchDateTime(data.generatedAt)}.`, { color: GREY, size: 9 });
  doc.moveDown(0.3);
  const state = (full: boolean) => (full ? 'atteinte' : 'disponible');
  table(
    [{ title: 'Bailleur', width: width * 0.4 }, { title: 'Suivis actifs', width: width * 0.2 }, { title: 'Capacité', width: width * 0.2 }, { title: 'État', width: width * 0.2 }],
    [
      ...data.capacity.perLandlord.map((c) => ({ cells: [c.landlordName, String(c.active), String(c.capacity), state(c.full)] })),
      { cells: ['Total', String(data.capacity.total.active), String(data.capacity.total.capacity), state(data.capacity.total.full)], bold: true },
    ],
  );

  doc.moveDown(0.5);
  paragraph(
    `Document édité par APRIL le ${frenchDateTime(data.generatedAt)}. Il contient des données personnelles : à conserver et à diffuser selon les règles du dispositif.`,
    { color: GREY, size: 9 },
  );
  doc.end();
  return done;
}
