import { createTransport, type Transporter } from 'nodemailer';

export interface MailerOptions {
  /** KINDRED_SMTP_URL, e.g. smtps://user:pass@smtp.example:465; without it nothing is sent. */
  smtpUrl?: string;
  /** KINDRED_SMTP_FROM; default kindred@<smtp host>. */
  smtpFrom?: string;
  log: Pick<Console, 'error'>;
  /** Each delivery gives up after this long. Default 5 s. */
  timeoutMs?: number;
}

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/**
 * The server's one way to send email (crisis alerts, answer notifications,
 * expert digests), over the operator's SMTP server through nodemailer. A
 * delivery is time-bounded; a failure is logged, never thrown at a caller.
 */
export class Mailer {
  private transport: Transporter | null = null;

  constructor(private readonly options: MailerOptions) {}

  get enabled(): boolean {
    return !!this.options.smtpUrl;
  }

  /** True when the SMTP server took the message. `what` names it in the log, never the recipient. */
  async send(mail: Mail, what: string): Promise<boolean> {
    const transport = this.transporter();
    if (!transport) return false;
    try {
      await transport.sendMail({ from: this.options.smtpFrom ?? `kindred@${new URL(this.options.smtpUrl!).hostname}`, ...mail });
      return true;
    } catch (error) {
      this.options.log.error(`kindred: ${what} email failed:`, error instanceof Error ? `${error.name}: ${error.message}` : String(error));
      return false;
    }
  }

  close(): void {
    this.transport?.close();
  }

  private transporter(): Transporter | null {
    if (!this.options.smtpUrl) return null;
    const timeoutMs = this.options.timeoutMs ?? 5_000;
    this.transport ??= createTransport({ url: this.options.smtpUrl, connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs });
    return this.transport;
  }
}
