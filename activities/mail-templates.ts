// French mail texts. They carry references and links, never the household's name or address:
// mail leaves our systems, the case file does not.

const euros = (cents: number) =>
  new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' }).format(cents / 100);

const footer = ['', 'Ce message est envoyé automatiquement par APRIL ; merci de ne pas y répondre.'];

export interface MailText {
  subject: string;
  text: string;
}

export function referralNotification(data: { landlordName: string; tenancyReference: string; arrearsCents: number; link: string }): MailText {
  return {
    subject: `[APRIL] Nouveau signalement – ${data.landlordName}`,
    text: [
      'Bonjour,',
      '',
      `${data.landlordName} a signalé un ménage au dispositif APRIL.`,
      `Référence du bail : ${data.tenancyReference}`,
      `Dette locative au signalement : ${euros(data.arrearsCents)}`,
      '',
      `Voir la situation : ${data.link}`,
      ...footer,
    ].join('\n'),
  };
}

export function partnerCheckRequest(data: { partnerName: string; landlordName: string; tenancyReference: string; dueOn?: string; link: string; reminder?: boolean }): MailText {
  return {
    subject: `[APRIL] ${data.reminder ? 'Relance – ' : ''}Vérification partenaire – ${data.landlordName}, bail ${data.tenancyReference}`,
    text: [
      'Bonjour,',
      '',
      `Un ménage locataire de ${data.landlordName} (bail ${data.tenancyReference}) est proposé au dispositif APRIL.`,
      `${data.partnerName} suit-il déjà ce ménage ? Merci de répondre « non connu » ou « suivi par » avec le contact du travailleur social référent.`,
      ...(data.dueOn ? [`Réponse attendue avant le ${data.dueOn}.`] : []),
      '',
      `Répondre : ${data.link}`,
      ...footer,
    ].join('\n'),
  };
}

export function referentAlert(data: { referentName: string; partnerName: string; landlordName: string; tenancyReference: string; link: string }): MailText {
  return {
    subject: `[APRIL] Un ménage que vous suivez est signalé – bail ${data.tenancyReference}`,
    text: [
      `Bonjour ${data.referentName},`,
      '',
      `${data.partnerName} nous indique que vous êtes le travailleur social référent d'un ménage locataire de ${data.landlordName} (bail ${data.tenancyReference}).`,
      'Ce ménage vient d\'être signalé au dispositif APRIL pour impayés de loyer et rupture de contact avec son bailleur.',
      'Le comité de suivi examinera la situation en tenant compte de votre accompagnement ; vous pouvez prendre contact avec la coordination.',
      '',
      `Voir la situation : ${data.link}`,
      ...footer,
    ].join('\n'),
  };
}

export function handoffRequest(data: { partnerName: string; scheme: string; tenancyReference: string; link: string; reminder?: boolean }): MailText {
  return {
    subject: `[APRIL] ${data.reminder ? 'Relance – ' : ''}Passage de relais – ${data.scheme}, bail ${data.tenancyReference}`,
    text: [
      'Bonjour,',
      '',
      `L'équipe APRIL propose de passer le relais à ${data.partnerName} (${data.scheme}) pour un ménage qu'elle accompagne (bail ${data.tenancyReference}).`,
      'Merci de confirmer la prise en charge ; APRIL continue d\'accompagner le ménage pendant la période de tuilage.',
      '',
      `Confirmer : ${data.link}`,
      ...footer,
    ].join('\n'),
  };
}

export function escalationNotice(data: { tenancyReference: string; reason: string; link: string }): MailText {
  return {
    subject: `[APRIL] À examiner en comité – bail ${data.tenancyReference}`,
    text: ['Bonjour,', '', `La situation du bail ${data.tenancyReference} doit être examinée par le comité : ${data.reason}.`, '', `Voir la situation : ${data.link}`, ...footer].join('\n'),
  };
}

export function legalDeadlineWarning(data: {
  tenancyReference: string;
  deadline: { dueDate: string; label: string; basis: string; leverHint?: string };
  link: string;
}): MailText {
  const due = new Date(`${data.deadline.dueDate}T12:00:00Z`).toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris' });
  return {
    subject: `[APRIL] Échéance légale le ${due} – bail ${data.tenancyReference}`,
    text: [
      'Bonjour,',
      '',
      `Échéance : ${data.deadline.label}, le ${due}.`,
      ...(data.deadline.leverHint ? [`Ce qui peut être fait : ${data.deadline.leverHint}`] : []),
      `Base légale : ${data.deadline.basis}`,
      '',
      `Voir la situation : ${data.link}`,
      ...footer,
    ].join('\n'),
  };
}
