/** Reads what the real SMTP server (MailDev) received, through its REST API. */
export interface ReceivedMail {
  id: string;
  subject: string;
  text: string;
  to: { address: string }[];
  headers: Record<string, string>;
}

export async function receivedMail(inboxUrl: string): Promise<ReceivedMail[]> {
  const response = await fetch(`${inboxUrl}/api/email`);
  if (!response.ok) throw new Error(`mail inbox answered ${response.status}`);
  return (await response.json()) as ReceivedMail[];
}

export function inboxUrl(): string {
  const url = process.env.TEST_MAIL_INBOX_URL;
  if (!url) throw new Error('TEST_MAIL_INBOX_URL is not set: the mail tests need a MailDev inbox');
  return url;
}
