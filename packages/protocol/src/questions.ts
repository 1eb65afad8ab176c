/**
 * Ask-an-expert: visitors ask, a topic's verified clinicians answer. Types
 * and constants only (browser-safe); schemas live in `schemas.ts`.
 *
 * A question is stored as a post whose first line is its title; answers and
 * the asker's follow-ups are its replies. So questions and answers go through
 * the same safety pipeline, moderation queues and reports as thread posts.
 */
import type { Author, PostStatus } from './index.js';
import type { WriteNotice } from './moderation.js';

export const QUESTION_LIMITS = {
  /** The short question, one line, in characters. */
  titleMin: 10,
  titleMax: 150,
  /** Optional details under it. */
  detailsMax: 4000,
  /** Text the similar-question search looks at. */
  searchMax: 500,
  /** How many similar answered questions are offered while typing. */
  similarMax: 3,
  pageSize: 20,
  /** The median response time is shown once this many questions were answered in the window. */
  responseTimeMinSample: 5,
  responseTimeWindowDays: 90,
  /** An expert's digest lists questions that have waited longer than this. */
  digestWaitMs: 24 * 60 * 60 * 1000,
} as const;

export const QUESTION_VISIBILITIES = ['public', 'private'] as const;
/** Public questions are seen by everyone; private ones only by the asker and the topic's experts. */
export type QuestionVisibility = (typeof QUESTION_VISIBILITIES)[number];

/**
 * The lists a widget shows: `answered` and `unanswered` (what the viewer may
 * see), `mine` (the viewer's own, held ones included), `inbox` (a topic
 * expert's unanswered questions, private ones included, oldest first).
 */
export const QUESTION_TABS = ['answered', 'unanswered', 'mine', 'inbox'] as const;
export type QuestionTab = (typeof QUESTION_TABS)[number];

/** The verified clinician behind an expert answer. The NPI is never sent: only the credential. */
export interface ExpertBadge {
  /** e.g. "MD, Cardiology"; null when the expert's role came without a profile. */
  credential: string | null;
}

export interface AnswerView {
  id: string;
  clientId: string;
  questionId: string;
  author: Author;
  body: string;
  createdAt: string;
  editedAt: string | null;
  /** Set for an answer by one of the topic's experts; null for the asker's follow-up. */
  expert: ExpertBadge | null;
  /** "Helpful" marks from visitors other than the asker. */
  helpful: number;
  /** The asker marked "This helped". */
  helpedAsker: boolean;
  /** Whether this viewer marked it helpful; present only in answers addressed to one viewer. */
  mine?: boolean;
  /** Present only for the author and moderators when not `published`. */
  status?: PostStatus;
}

export interface QuestionView {
  id: string;
  clientId: string;
  topic: string;
  title: string;
  /** Empty when the asker gave no details. */
  details: string;
  visibility: QuestionVisibility;
  asker: Author;
  askedAt: string;
  /** When a topic expert first answered (published); null while unanswered. */
  answeredAt: string | null;
  /** Expert answers first (oldest first), then the asker's follow-ups (oldest first). */
  answers: AnswerView[];
  /** Present only for the asker and moderators when not `published`. */
  status?: PostStatus;
  moderationReason?: string | null;
  /** True for the asker when they asked to be emailed about an answer (the address itself is never sent back). */
  notifying?: boolean;
}

/** How fast this topic's experts usually answer: the median over the window, or null with too little data. */
export interface ResponseTime {
  medianMs: number | null;
  /** Questions first answered in the window. */
  sample: number;
  windowDays: number;
}

/** An answered public question offered while a visitor types a new one. */
export interface SimilarQuestion {
  id: string;
  title: string;
  /** The start of the first expert answer. */
  excerpt: string;
  answeredAt: string;
}

export interface QuestionEvents {
  /** Follow a topic's questions live (`qa:event`); `expert` says whether the viewer is one of its experts. */
  'question:watch': { req: { topic: string }; res: { expert: boolean; responseTime: ResponseTime } };
  'question:unwatch': { req: { topic: string }; res: Record<string, never> };
  'question:list': {
    req: { topic: string; tab: QuestionTab; cursor?: string };
    res: { questions: QuestionView[]; nextCursor: string | null };
  };
  'question:ask': {
    req: {
      topic: string;
      clientId: string;
      title: string;
      details?: string;
      visibility: QuestionVisibility;
      /** Email the asker when an expert answers: only with their consent, kept until that email is sent. */
      notify?: { email: string; consent: true };
      /** The page the question was asked on, for the link in the email (must be on one of the site's origins). */
      page?: string;
    };
    res: { question: QuestionView; notices?: WriteNotice[] };
  };
  /** An expert's answer, or the asker's follow-up: the server decides which from the roles it holds. */
  'question:reply': {
    req: { questionId: string; clientId: string; body: string };
    res: { question: QuestionView; answer: AnswerView; notices?: WriteNotice[] };
  };
  /** "Helpful" from a visitor, or "This helped" from the asker. */
  'answer:helpful': { req: { answerId: string; on: boolean }; res: { question: QuestionView } };
  'question:similar': { req: { topic: string; text: string }; res: { questions: SimilarQuestion[] } };
}

export interface QuestionServerEvents {
  /**
   * A question changed for this viewer: asked, approved, answered, marked
   * helpful (`question.changed`, the whole question as this viewer may see
   * it), or gone from view: deleted, taken down, held (`question.removed`).
   */
  'qa:event':
    | { type: 'question.changed'; topic: string; question: QuestionView }
    | { type: 'question.removed'; topic: string; questionId: string };
}
