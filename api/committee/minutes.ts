import type { Role } from '../../generated/prisma/client';
import type { CommitteeDecision } from '../../domain/household';
import type { Capacity } from './capacity';
import { COMMITTEE_DECISION_LABELS, decisionParticulars } from '../../domain/labels';
import { ROLE_LABELS } from '../../domain/labels';

/** Everything the minutes show, already gathered: rendering is pure (and unit-testable). */
export interface MinutesData {
  heldOn: string;
  generatedAt: Date;
  decisions: {
    headName: string;
    tenancyReference: string;
    landlord: { name: string };
    decision: CommitteeDecision;
    educator?: { name: string | null };
    caseloadWhenDecided: { landlord: number; total: number } | null;
    decidedBy: { name: string | null; role: Role | null };
  }[];
  capacity: Capacity;
  perLandlordTarget: number;
  totalTarget: number;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&#39;' };

/** Every value that reaches the page goes through here: names and references are typed by people. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const longDate = (isoDay: string) =>
  new Date(`${isoDay}T12:00:00Z`).toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris', day: 'numeric', month: 'long', year: 'numeric' });
const dateTime = (at: Date) =>
  at.toLocaleString('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'long', timeStyle: 'short' });

/** The minutes of a session as a self-contained printable HTML page, in French. */
export function renderMinutes(data: MinutesData): string {
  const e = escapeHtml;
  const members = [...new Map(data.decisions.map((d) => [`${d.decidedBy.name}|${d.decidedBy.role}`, d.decidedBy])).values()];
  const educatorName = (d: MinutesData['decisions'][number]) => () => d.educator?.name ?? 'éducateur non retrouvé';
  const rows = data.decisions.map((d) => `
        <tr>
          <td>${e(d.headName)}<br><small>bail ${e(d.tenancyReference)}</small></td>
          <td>${e(d.landlord.name)}</td>
          <td><strong>${e(COMMITTEE_DECISION_LABELS[d.decision.kind])}</strong></td>
          <td>${e(decisionParticulars(d.decision, educatorName(d)))}</td>
          <td>${d.caseloadWhenDecided ? `${e(d.caseloadWhenDecided.landlord)} / ${e(data.perLandlordTarget)} chez le bailleur, ${e(d.caseloadWhenDecided.total)} / ${e(data.totalTarget)} au total` : '—'}</td>
        </tr>`).join('');
  const capacityRows = data.capacity.perLandlord.map((c) => `
        <tr><td>${e(c.landlordName)}</td><td>${e(c.active)}</td><td>${e(c.capacity)}</td><td>${c.full ? 'atteinte' : 'disponible'}</td></tr>`).join('');
  return `<!DOCTYPE html>
<html lang="fr">
<head>
  <meta charset="utf-8">
  <title>Procès-verbal du comité APRIL – séance du ${e(longDate(data.heldOn))}</title>
  <style>
    body { font-family: Arial, Helvetica, sans-serif; color: #0b0c0c; margin: 2em; line-height: 1.4; }
    h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 1.5em; }
    table { border-collapse: collapse; width: 100%; margin-top: .5em; }
    th, td { border: 1px solid #b1b4b6; padding: .4em .6em; text-align: left; vertical-align: top; }
    th { background: #f3f2f1; }
    small, .note { color: #505a5f; }
    @media print { body { margin: 1cm; } }
  </style>
</head>
<body>
  <h1>Procès-verbal du comité de suivi APRIL</h1>
  <p>Séance du <strong>${e(longDate(data.heldOn))}</strong>.</p>

  <h2>Membres ayant pris les décisions</h2>
  ${members.length === 0 ? '<p>Aucune décision n\'a été enregistrée pour cette séance.</p>' : `<ul>${members.map((m) => `
    <li>${e(m.name ?? 'personne inconnue')}${m.role ? ` (${e(ROLE_LABELS[m.role])})` : ''}</li>`).join('')}
  </ul>`}

  <h2>Décisions (${e(data.decisions.length)})</h2>
  ${data.decisions.length === 0 ? '<p>—</p>' : `<table>
    <thead><tr><th>Ménage</th><th>Bailleur</th><th>Décision</th><th>Précisions</th><th>Suivis actifs au moment de la décision</th></tr></thead>
    <tbody>${rows}
    </tbody>
  </table>`}

  <h2>Capacité du dispositif</h2>
  <p class="note">Ménages en prise de contact, accompagnement ou tuilage, au ${e(dateTime(data.generatedAt))}.</p>
  <table>
    <thead><tr><th>Bailleur</th><th>Suivis actifs</th><th>Capacité</th><th>État</th></tr></thead>
    <tbody>${capacityRows}
        <tr><th>Total</th><th>${e(data.capacity.total.active)}</th><th>${e(data.capacity.total.capacity)}</th><th>${data.capacity.total.full ? 'atteinte' : 'disponible'}</th></tr>
    </tbody>
  </table>

  <p class="note">Document édité par APRIL le ${e(dateTime(data.generatedAt))}. Il contient des données personnelles : à conserver et à diffuser selon les règles du dispositif.</p>
</body>
</html>
`;
}
