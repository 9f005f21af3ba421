// French mail texts. They carry references and links, never the household's name or address:
// mail leaves our systems, the case file does not.

const euros = (cents: number) =>
  new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' }).format(cents / 100);

export function referralNotification(data: {
  landlordName: string;
  tenancyReference: string;
  arrearsCents: number;
  link: string;
}): { subject: string; text: string } {
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
      '',
      'Ce message est envoyé automatiquement par APRIL ; merci de ne pas y répondre.',
    ].join('\n'),
  };
}
