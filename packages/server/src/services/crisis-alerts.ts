import { findIdentifiers, maskIdentifiers } from '@kindred/protocol/safety';
import { excerptOf } from './excerpt.js';
import type { Mailer } from './mailer.js';
import type { EffectiveModeration } from './moderation-settings.js';

/** What leaves the server about a crisis post: where to look, never who wrote it nor more than a short, masked excerpt. */
export interface CrisisAlert {
  type: 'kindred.crisis';
  site: { id: string; name: string };
  topic: string;
  postId: string;
  language: string;
  excerpt: string;
  at: string;
  /** The moderator console, when the server knows its public address. */
  consoleUrl: string | null;
}

export interface CrisisAlertDeps {
  /** Email alerts are off when it has no SMTP server. */
  mailer: Mailer;
  /** KINDRED_PUBLIC_URL, for the console link. */
  publicUrl?: string;
  log: Pick<Console, 'error'>;
  /** The webhook gives up after this long. Default 5 s. */
  timeoutMs?: number;
}

const EXCERPT_MAX = 120;

/**
 * A short excerpt for an alert: identifiers masked whatever the site's policy,
 * cut at a word boundary. Enough for a moderator to judge how urgent it is.
 */
export function alertExcerpt(text: string, settings: Pick<EffectiveModeration, 'recordNumberPatterns'>): string {
  return excerptOf(maskIdentifiers(text, findIdentifiers(text, { recordNumberPatterns: settings.recordNumberPatterns })), EXCERPT_MAX);
}

/**
 * Sends a crisis alert to the site's webhook and email, as configured. Each
 * delivery is time-bounded; a failure is logged and never reaches the author's write.
 */
export class CrisisAlerts {
  constructor(private readonly deps: CrisisAlertDeps) {}

  consoleUrl(): string | null {
    return this.deps.publicUrl ? new URL('/demo/admin/', this.deps.publicUrl).href : null;
  }

  async send(alert: CrisisAlert, settings: Pick<EffectiveModeration, 'alertWebhookUrl' | 'alertEmail'>): Promise<void> {
    await Promise.all([
      settings.alertWebhookUrl ? this.post(settings.alertWebhookUrl, alert) : undefined,
      settings.alertEmail ? this.mail(settings.alertEmail, alert) : undefined,
    ]);
  }

  private async post(url: string, alert: CrisisAlert): Promise<void> {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'User-Agent': 'Kindred crisis alert' },
        body: JSON.stringify(alert),
        redirect: 'error',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await response.body?.cancel();
      if (!response.ok) this.deps.log.error(`kindred: crisis alert webhook for site ${alert.site.id} answered ${response.status}`);
    } catch (error) {
      this.deps.log.error(`kindred: crisis alert webhook for site ${alert.site.id} failed:`, describe(error));
    }
  }

  private async mail(to: string, alert: CrisisAlert): Promise<void> {
    await this.deps.mailer.send(
      {
        to,
        subject: `Crisis post held for review on ${alert.site.name}`,
        text: [
          `A post on ${alert.site.name} (topic "${alert.topic}") reads as a crisis (${alert.language}) and is held in the crisis queue.`,
          'The author was shown the crisis support panel.',
          '',
          `Excerpt: ${alert.excerpt}`,
          '',
          alert.consoleUrl ? `Review it now: ${alert.consoleUrl}` : 'Review it now in the moderator console.',
          `Post id: ${alert.postId} · ${alert.at}`,
        ].join('\n'),
      },
      `crisis alert for site ${alert.site.id}`,
    );
  }

  private get timeoutMs(): number {
    return this.deps.timeoutMs ?? 5_000;
  }

}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
