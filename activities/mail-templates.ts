// French mail texts. They carry references and links, never the household's name or address:
// mail leaves our systems, the case file does not. One exception, the committee agenda: the
// committee decides about people and needs their names (still no address, contact or note).

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

/** To the person a new task is assigned to (never to a whole role: the daily digest covers teams). */
export function newTaskNotice(data: { taskLabel: string; landlordName: string; tenancyReference: string; dueOn?: string; link: string }): MailText {
  return {
    subject: `[APRIL] Nouvelle tâche – ${data.taskLabel}, bail ${data.tenancyReference}`,
    text: [
      'Bonjour,',
      '',
      `Une tâche vous est attribuée : ${data.taskLabel}.`,
      `Ménage locataire de ${data.landlordName} (bail ${data.tenancyReference}).`,
      ...(data.dueOn ? [`Date prévue : ${data.dueOn}.`] : []),
      '',
      `Voir la tâche : ${data.link}`,
      ...footer,
    ].join('\n'),
  };
}

/** To the person holding a task that became overdue; the coordination is told at the same time. */
export function taskReminder(data: { taskLabel: string; landlordName: string; tenancyReference: string; dueOn: string; link: string }): MailText {
  return {
    subject: `[APRIL] Rappel – tâche en retard : ${data.taskLabel}, bail ${data.tenancyReference}`,
    text: [
      'Bonjour,',
      '',
      `La tâche « ${data.taskLabel} » (ménage locataire de ${data.landlordName}, bail ${data.tenancyReference}) était à traiter pour le ${data.dueOn} et reste ouverte.`,
      'Merci de la traiter ou de la libérer pour qu\'un collègue la reprenne. La coordination en est informée.',
      '',
      `Voir la tâche : ${data.link}`,
      ...footer,
    ].join('\n'),
  };
}

/** To the coordinators, once per overdue task. */
export function overdueEscalation(data: { taskLabel: string; landlordName: string; tenancyReference: string; dueOn: string; holder: string; link: string }): MailText {
  return {
    subject: `[APRIL] Tâche en retard – ${data.taskLabel}, bail ${data.tenancyReference}`,
    text: [
      'Bonjour,',
      '',
      `La tâche « ${data.taskLabel} » est en retard : échéance le ${data.dueOn}.`,
      `Ménage locataire de ${data.landlordName} (bail ${data.tenancyReference}).`,
      `Attribuée à : ${data.holder}.`,
      '',
      `Voir la tâche : ${data.link}`,
      ...footer,
    ].join('\n'),
  };
}

export interface DigestLine {
  taskLabel: string;
  landlordName: string;
  tenancyReference: string;
  dueOn?: string;
  overdue: boolean;
  mine: boolean;
  link: string;
}

/** The morning list of one person's open work, overdue first (the caller sorts the lines). */
export function dailyDigest(data: { displayName: string; day: string; lines: DigestLine[]; more: number; inboxLink: string }): MailText {
  const overdue = data.lines.filter((l) => l.overdue).length;
  const line = (l: DigestLine) => [
    `- ${l.overdue ? '[EN RETARD] ' : ''}${l.taskLabel} – ${l.landlordName}, bail ${l.tenancyReference}`
      + `${l.dueOn ? ` – prévue le ${l.dueOn}` : ''}${l.mine ? '' : ' (équipe, non attribuée)'}`,
    `  ${l.link}`,
  ];
  const count = data.lines.length + data.more;
  return {
    subject: `[APRIL] Vos tâches du ${data.day} – ${count} ouverte${count > 1 ? 's' : ''}${overdue > 0 ? `, dont ${overdue} en retard` : ''}`,
    text: [
      `Bonjour ${data.displayName},`,
      '',
      'Voici les tâches ouvertes qui vous attendent, les retards en premier :',
      '',
      ...data.lines.flatMap(line),
      ...(data.more > 0 ? ['', `… et ${data.more} autre${data.more > 1 ? 's' : ''}.`] : []),
      '',
      `Toutes vos tâches : ${data.inboxLink}`,
      ...footer,
    ].join('\n'),
  };
}

export interface AgendaItem {
  headName: string;
  landlordName: string;
  tenancyReference: string;
  arrearsCents: number;
  procedureStage: string;
}

/** To each committee member and coordinator before a session: who is on the agenda, and the figures. */
export function committeeAgenda(data: { heldOn: string; items: AgendaItem[]; link: string }): MailText {
  return {
    subject: `[APRIL] Ordre du jour du comité du ${data.heldOn} – ${data.items.length} situation${data.items.length > 1 ? 's' : ''}`,
    text: [
      'Bonjour,',
      '',
      `Situations à examiner lors du comité du ${data.heldOn} :`,
      '',
      ...(data.items.length === 0 ? ['Aucune situation en attente de décision.'] : data.items.map((item, i) =>
        `${i + 1}. ${item.headName} – ${item.landlordName}, bail ${item.tenancyReference} – dette ${euros(item.arrearsCents)} – procédure : ${item.procedureStage}`)),
      '',
      'Ces informations sont confidentielles et réservées à la préparation du comité.',
      `Préparer la séance : ${data.link}`,
      ...footer,
    ].join('\n'),
  };
}

/** To the household's educator and the coordination when the watch detects a relapse. */
export function relapseAlert(data: { landlordName: string; tenancyReference: string; signals: string[]; next: string; link: string }): MailText {
  return {
    subject: `[APRIL] Rechute détectée – bail ${data.tenancyReference}`,
    text: [
      'Bonjour,',
      '',
      `Pendant la veille, une rechute est détectée pour un ménage locataire de ${data.landlordName} (bail ${data.tenancyReference}) :`,
      ...data.signals.map((s) => `- ${s}`),
      '',
      data.next,
      '',
      `Voir la situation : ${data.link}`,
      ...footer,
    ].join('\n'),
  };
}
