/** The SQL of ask-an-expert: which questions a list holds, and how a question's derived state is read. */
import type { QuestionTab, QuestionVisibility } from '@kindred/protocol';
import type { ExpertProfile } from '../store.js';

/** When the first live, published expert answer of question `q` was written; NULL while unanswered. */
export const ANSWERED_AT = `(SELECT min(r.created_at) FROM answers a JOIN posts r ON r.id = a.post_id
  WHERE a.question_id = q.post_id AND a.by_expert = 1 AND r.status = 'published' AND r.deleted_at IS NULL)`;

export interface QuestionRow {
  post_id: string;
  topic: string;
  visibility: QuestionVisibility;
  notify_email: string | null;
  answered_at: string | null;
}

export const QUESTION_COLUMNS = `q.post_id, q.topic, q.visibility, q.notify_email, ${ANSWERED_AT} AS answered_at`;

export interface AnswerRow {
  post_id: string;
  question_id: string;
  by_expert: number;
  credential: string | null;
  helped_asker: number;
}

/** Which questions of a topic each tab lists, for `@viewer` (`@expert` is 1 for the topic's experts), and in what order. */
const TABS: Record<QuestionTab, { where: string; descending: boolean }> = {
  answered: { where: `p.status = 'published' AND ${ANSWERED_AT} IS NOT NULL`, descending: true },
  unanswered: { where: `p.status = 'published' AND ${ANSWERED_AT} IS NULL`, descending: true },
  mine: { where: 'p.author_id = @viewer', descending: true },
  inbox: { where: `p.status = 'published' AND ${ANSWERED_AT} IS NULL AND @expert = 1`, descending: false },
};

/** The page query of one tab; `hasPosition` adds the keyset condition on `@after`. */
export function questionListSql(tab: QuestionTab, hasPosition: boolean): string {
  const { where, descending } = TABS[tab];
  return `SELECT q.post_id FROM questions q JOIN posts p ON p.id = q.post_id
    WHERE q.site_id = @siteId AND q.topic = @topic AND p.deleted_at IS NULL
      AND (q.visibility = 'public' OR p.author_id = @viewer OR @expert = 1)
      AND ${where}
      ${hasPosition ? (descending ? 'AND p.n < @after' : 'AND p.n > @after') : ''}
    ORDER BY p.n ${descending ? 'DESC' : 'ASC'} LIMIT @limit`;
}

export interface ExpertRow {
  site_id: string;
  external_id: string;
  topic: string;
  credential: string;
  npi: string | null;
  email: string | null;
  created_at: string;
}

export function toExpert(row: ExpertRow): ExpertProfile {
  return {
    siteId: row.site_id,
    externalId: row.external_id,
    topic: row.topic,
    credential: row.credential,
    npi: row.npi,
    email: row.email,
    createdAt: row.created_at,
  };
}
