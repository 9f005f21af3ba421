// French texts of the account mails (api/accounts/): the invitation and the reset carry a one-time
// link and nothing else of the account; the notice to the coordination says who was given which
// team role, by whom and when (docs/design/roles-and-access.md, « Accounts and audit »).
import type { MailText } from './mail-templates';

const footer = ['', 'Ce message est envoyé automatiquement par APRIL ; merci de ne pas y répondre.'];

export function accountInvitation(data: { displayName: string; roleLabel: string; link: string; validFor: string }): MailText {
  return {
    subject: 'APRIL : votre compte est créé, choisissez votre mot de passe',
    text: [
      `Bonjour ${data.displayName},`,
      '',
      `Un compte APRIL (${data.roleLabel}) vient d’être créé pour vous. Pour l’activer, choisissez votre mot de passe en ouvrant ce lien :`,
      '',
      data.link,
      '',
      `Ce lien ne sert qu’une fois et reste valable ${data.validFor}. S’il a expiré, demandez à l’administration de vous envoyer une nouvelle invitation.`,
      'Si vous n’attendiez pas ce message, ignorez-le : aucun mot de passe ne sera créé.',
      ...footer,
    ].join('\n'),
  };
}

export function passwordReset(data: { displayName: string; link: string; validFor: string }): MailText {
  return {
    subject: 'APRIL : choisir un nouveau mot de passe',
    text: [
      `Bonjour ${data.displayName},`,
      '',
      'Vous avez demandé à changer le mot de passe de votre compte APRIL. Choisissez-en un nouveau en ouvrant ce lien :',
      '',
      data.link,
      '',
      `Ce lien ne sert qu’une fois et reste valable ${data.validFor}. Une fois le mot de passe changé, toutes vos sessions ouvertes sont fermées.`,
      'Si vous n’avez rien demandé, ignorez ce message : votre mot de passe ne change pas.',
      ...footer,
    ].join('\n'),
  };
}

export type AccountGrant = 'created' | 'reactivated' | 'role_changed';

const GRANT_WORDS: Record<AccountGrant, { subject: string; verb: string }> = {
  created: { subject: 'compte créé', verb: 'a été créé' },
  reactivated: { subject: 'compte réactivé', verb: 'a été réactivé' },
  role_changed: { subject: 'rôle attribué', verb: 'a reçu ce rôle' },
};

/** To every coordinator: a team (or admin) account was created, re-activated or given its role. */
export function accountGrantNotice(data: { grant: AccountGrant; displayName: string; roleLabel: string; by: string; at: string }): MailText {
  const words = GRANT_WORDS[data.grant];
  return {
    subject: `APRIL : ${words.subject} (${data.roleLabel})`,
    text: [
      'Bonjour,',
      '',
      `Le compte de ${data.displayName} (${data.roleLabel}) ${words.verb} par ${data.by}, le ${data.at}.`,
      '',
      'Ce rôle donne accès aux dossiers des ménages. Si cette personne ne doit pas l’avoir, signalez-le à l’administration d’APRIL.',
      ...footer,
    ].join('\n'),
  };
}
