import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/**
 * An SMTP server that accepts every mail and keeps only a count. The scale run sends hundreds of
 * thousands of mails, which MailDev would keep in memory; what it measures is the worker and
 * Temporal, not the mail catcher.
 */
export async function startSmtpSink(): Promise<{ url: string; received(): number; stop(): Promise<void> }> {
  let count = 0;
  const server = new SMTPServer({
    authOptional: true,
    // A reverse DNS lookup per connection takes seconds where DNS is slow or absent: mail would hold activity slots.
    disableReverseLookup: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        count++;
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received: () => count,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
