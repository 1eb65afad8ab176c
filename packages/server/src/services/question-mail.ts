import { QUESTION_LIMITS } from '@kindred/protocol';
import type { AnswerNotification, QuestionRecord, Store } from '../store/store.js';
import type { Mailer } from './mailer.js';

/** What one digest told one expert, for the CLI and the logs. */
export interface DigestSent {
  email: string;
  topics: { topic: string; count: number; oldestAt: string }[];
}

const HOUR_MS = 60 * 60 * 1000;

/**
 * Email about questions: the asker's "an expert answered" (only with their
 * consent, the address kept until then) and the experts' digest of questions
 * waiting more than a day. Neither carries the question or answer text:
 * email is not a private channel, and people write about their health.
 */
export class QuestionMail {
  constructor(private readonly deps: { store: Store; mailer: Mailer; now: () => Date }) {}

  async answered(siteId: string, question: QuestionRecord, to: AnswerNotification): Promise<boolean> {
    const site = await this.deps.store.findSite(siteId);
    const siteName = site?.name ?? siteId;
    const asked = question.post.createdAt.slice(0, 10);
    return this.deps.mailer.send(
      {
        to: to.email,
        subject: `A clinician answered your question on ${siteName}`,
        text: [
          `A verified clinician has answered the question you asked on ${siteName} (topic "${question.topic}") on ${asked}.`,
          '',
          to.page ? `Read the answer: ${to.page}` : 'To read it, go back to the page where you asked.',
          '',
          'Answers are general information, not medical advice, and do not create a clinician–patient relationship.',
          'In an emergency, call your local emergency number.',
          '',
          `You are receiving this because you asked to be told about an answer. ${siteName} does not keep your address: it was deleted when this email was sent.`,
        ].join('\n'),
      },
      `answer notification for site ${siteId}`,
    );
  }

  /** Emails every expert of the site who has an address about questions in their topics waiting more than a day. */
  async sendDigests(siteId: string): Promise<DigestSent[]> {
    const { store } = this.deps;
    const now = this.deps.now();
    const before = new Date(now.getTime() - QUESTION_LIMITS.digestWaitMs).toISOString();
    const waiting = await store.waitingQuestions({ siteId, before });
    if (waiting.length === 0) return [];
    const site = await store.findSite(siteId);
    const byEmail = new Map<string, Set<string>>();
    for (const expert of await store.listExperts(siteId)) {
      if (expert.email) byEmail.set(expert.email, (byEmail.get(expert.email) ?? new Set()).add(expert.topic));
    }
    const sent: DigestSent[] = [];
    for (const [email, topics] of byEmail) {
      const theirs = waiting.filter((entry) => topics.has(entry.topic));
      if (theirs.length === 0) continue;
      const total = theirs.reduce((sum, entry) => sum + entry.count, 0);
      const delivered = await this.deps.mailer.send(
        {
          to: email,
          subject: `${total} question${total === 1 ? '' : 's'} waiting for an answer on ${site?.name ?? siteId}`,
          text: [
            `These questions on ${site?.name ?? siteId} have waited more than a day for an expert answer:`,
            '',
            ...theirs.map((entry) => `  ${entry.topic}: ${entry.count} (the oldest asked ${Math.floor((now.getTime() - Date.parse(entry.oldestAt)) / HOUR_MS)} hours ago)`),
            '',
            'Sign in on the hospital site and open the topic’s questions to answer them from your inbox.',
          ].join('\n'),
        },
        `expert digest for site ${siteId}`,
      );
      if (delivered) sent.push({ email, topics: theirs });
    }
    return sent;
  }
}
