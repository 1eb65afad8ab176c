import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  raw: string;
  /** The body as a person reads it (quoted-printable decoded). */
  text: string;
}

/** The body of a raw message, decoded when it is quoted-printable (nodemailer's choice for long lines). */
function bodyOf(raw: string): string {
  const split = raw.indexOf('\r\n\r\n');
  const [headers, body] = split < 0 ? ['', raw] : [raw.slice(0, split), raw.slice(split + 4)];
  if (!/^content-transfer-encoding:\s*quoted-printable/im.test(headers)) return body;
  const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
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
        const mail = { to, raw, text: bodyOf(raw) };
        const reader = waiting.shift();
        if (reader) reader(mail);
        else unread.push(mail);
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
