/** Reads what MailDev received, through its REST API (as test/support/mailbox.ts does). */
export interface ReceivedMail {
  id: string;
  messageId?: string;
  subject: string;
  headers: Record<string, string>;
}

export async function receivedMail(inboxUrl: string): Promise<ReceivedMail[]> {
  const response = await fetch(`${inboxUrl}/api/email`);
  if (!response.ok) throw new Error(`mail inbox answered ${response.status}`);
  return (await response.json()) as ReceivedMail[];
}
