import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  raw: string;
}

export interface Mailbox {
  url: string;
  /** The next message the server receives (or one it received and nobody asked for yet). */
  next(): Promise<ReceivedMail>;
  close(): Promise<void>;
}

/** A real SMTP server in this process (loopback, no TLS or auth) that hands over each message it receives. */
export async function mailbox(): Promise<Mailbox> {
  const waiting: Array<(mail: ReceivedMail) => void> = [];
  const unread: ReceivedMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, smtpSession, callback) {
      let raw = '';
      const to = smtpSession.envelope.rcptTo.map((rcpt) => rcpt.address);
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString()));
      stream.on('end', () => {
        callback();
        const reader = waiting.shift();
        if (reader) reader({ to, raw });
        else unread.push({ to, raw });
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
    next: () => {
      const mail = unread.shift();
      return mail ? Promise.resolve(mail) : new Promise((resolve) => waiting.push(resolve));
    },
    close: () => new Promise((resolve) => smtp.close(() => resolve())),
  };
}
