/**
 * E-mail addresses as the administration sees them: enough to tell mailboxes apart (the first
 * letter and the domain), not enough to write to the person. Every text shown to an admin that may
 * quote an address (a recipient field, an SMTP server's error) goes through here.
 */

const EMAIL_IN_TEXT = /[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g;

/** One address: `coordination@april.localhost` → `c***@april.localhost`. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${address[0]}***${address.slice(at)}`;
}

/** Every address of a recipient field (a plain address, a list, or « Name <address> »), masked. */
export function maskRecipients(recipient: string): string {
  const addresses = recipient.match(EMAIL_IN_TEXT) ?? [];
  return addresses.length === 0 ? '***' : addresses.map(maskEmail).join(', ');
}

/** A free text (an SMTP error: servers quote the recipient) with every address in it masked. */
export function maskAddressesIn(text: string): string;
export function maskAddressesIn(text: string | null): string | null;
export function maskAddressesIn(text: string | null): string | null {
  return text === null ? null : text.replace(EMAIL_IN_TEXT, (address) => maskEmail(address));
}
