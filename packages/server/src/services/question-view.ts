import type { AnswerView, Identity, QuestionView } from '@kindred/protocol';
import type { AnswerRecord, QuestionRecord } from '../store/store.js';

/** Who looks at a question: their id and the topics they are an expert in. */
export type Viewer = Pick<Identity, 'id' | 'expertTopics'> | null;

export function isTopicExpert(viewer: Viewer, topic: string): boolean {
  return !!viewer?.expertTopics?.includes(topic);
}

/**
 * The one visibility rule of questions: a question that is not published
 * (held, rejected, removed) reaches only its asker; a private one only its
 * asker and the topic's experts; a deleted one nobody.
 */
export function canSeeQuestion(question: QuestionRecord, viewer: Viewer): boolean {
  const { post } = question;
  if (post.deletedAt) return false;
  const asker = viewer?.id === post.author.id;
  if (post.status !== 'published') return asker;
  return question.visibility === 'public' || asker || isTopicExpert(viewer, question.topic);
}

/** The stored text of a question is its title, then a blank line and the details. */
export function questionText(title: string, details: string | undefined): string {
  return details ? `${title}\n\n${details}` : title;
}

export function splitQuestionText(body: string): { title: string; details: string } {
  const gap = body.indexOf('\n\n');
  return gap < 0 ? { title: body, details: '' } : { title: body.slice(0, gap), details: body.slice(gap + 2) };
}

/**
 * The question as one viewer may see it: replies that are published (and
 * the viewer's own, with their status), expert answers first. `helpfulMine`
 * holds the answers this viewer marked helpful, when known.
 */
export function toQuestionView(question: QuestionRecord, viewer: Viewer, helpfulMine?: ReadonlySet<string>): QuestionView {
  const { post } = question;
  const asker = viewer?.id === post.author.id;
  const shown = question.answers.filter(
    ({ post: reply }) => !reply.deletedAt && (reply.status === 'published' || reply.author.id === viewer?.id),
  );
  const ordered = [...shown.filter((answer) => answer.expert), ...shown.filter((answer) => !answer.expert)];
  const view: QuestionView = {
    id: post.id,
    clientId: post.clientId,
    topic: question.topic,
    ...splitQuestionText(post.body),
    visibility: question.visibility,
    asker: { ...post.author },
    askedAt: post.createdAt,
    answeredAt: question.answeredAt,
    answers: ordered.map((answer) => toAnswerView(answer, post.id, helpfulMine)),
  };
  if (asker) {
    view.notifying = question.notifying;
    if (post.status !== 'published') {
      view.status = post.status;
      view.moderationReason = post.moderationReason;
    }
  }
  return view;
}

export function toAnswerView(answer: AnswerRecord, questionId: string, helpfulMine?: ReadonlySet<string>): AnswerView {
  const { post } = answer;
  const view: AnswerView = {
    id: post.id,
    clientId: post.clientId,
    questionId,
    author: { ...post.author },
    body: post.body,
    createdAt: post.createdAt,
    editedAt: post.editedAt,
    expert: answer.expert ? { credential: answer.expert.credential } : null,
    helpful: post.reactions.helpful,
    helpedAsker: answer.helpedAsker,
  };
  if (helpfulMine) view.mine = helpfulMine.has(post.id);
  if (post.status !== 'published') view.status = post.status;
  return view;
}

/** A median in the middle of the sorted values (the mean of the middle two for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
