import {
  QUESTION_LIMITS,
  type AnswerView,
  type QuestionTab,
  type QuestionView,
  type QuestionVisibility,
  type ResponseTime,
  type SimilarQuestion,
  type WriteNotice,
} from '@kindred/protocol';
import { newClientId } from './client-id.js';
import type { Connection, QuestionEvent } from './connection.js';
import { KindredError } from './errors.js';
import { ViewerStore, storesByKey, type ViewerStoreStatus } from './viewer-store.js';

export type QuestionStatus = ViewerStoreStatus;

/** An answer or follow-up; `notices` are what the safety pipeline told its author when they sent it (this session only). */
export interface QuestionAnswer extends AnswerView {
  notices?: WriteNotice[];
}

/** A question as the widget shows it; `notices` as for answers, for the asker. */
export interface QuestionItem extends QuestionView {
  answers: QuestionAnswer[];
  notices?: WriteNotice[];
}

/** What a change brought, for announcements: news from others, and questions that just got their first expert answer. */
export interface QuestionChange {
  /** Questions asked by others that this viewer had not seen (whichever tab is shown). */
  arrived: readonly QuestionItem[];
  /** Questions that an expert answered just now (the viewer's own included). */
  answered: readonly QuestionItem[];
}

export type QuestionListener = (change: QuestionChange) => void;

export interface AskInput {
  title: string;
  details?: string;
  visibility: QuestionVisibility;
  /** Only with the asker's consent; the server keeps the address until the answer email is sent. */
  notify?: { email: string; consent: true };
  /** The page the question is asked on, for the link in the email. */
  page?: string;
}

export interface QuestionStoreOptions {
  /** Acknowledgement timeout for each request. */
  timeoutMs?: number;
}

const NO_CHANGE: QuestionChange = { arrived: [], answered: [] };
/** How recent a first answer must be to count as news when the question was not seen before (allows for clock skew). */
const RECENT_MS = 2 * 60 * 1000;

/**
 * The ask-an-expert questions of one topic as this viewer sees them: whether
 * they are one of its experts, how fast experts answer, and the questions of
 * one tab (answered, unanswered, the viewer's own, or an expert's inbox),
 * paged and kept current by `qa:event`. A question that no longer belongs in
 * the tab leaves it at once (an answered one leaves Unanswered and the
 * inbox); a new one goes where the tab's order puts it (first, or last in the
 * inbox). There are no sequence numbers for questions: after a reconnect or a
 * change of viewer the store watches again and reloads the tab.
 * Framework-free; widgets subscribe and render.
 */
export class QuestionStore extends ViewerStore<QuestionEvent, QuestionChange> {
  tab: QuestionTab = 'answered';
  nextCursor: string | null = null;
  loadingMore = false;
  /** Whether the viewer is one of the topic's experts (from `question:watch`). */
  expert = false;
  responseTime: ResponseTime | null = null;
  readonly topic: string;

  /** Every question seen this session, by id, so live changes can be compared with what was known. */
  #known = new Map<string, QuestionItem>();
  /** The ids of the current tab, in its order. */
  #ids: string[] = [];

  constructor(connection: Connection, topic: string, { timeoutMs = 10_000 }: QuestionStoreOptions = {}) {
    super(connection, timeoutMs, NO_CHANGE);
    this.topic = topic;
  }

  /** The current tab's questions, in its order. */
  get questions(): QuestionItem[] {
    return this.#ids.flatMap((id) => this.#known.get(id) ?? []);
  }

  /** Shows another tab (from its first page). `mine` needs a signed-in viewer, `inbox` an expert. */
  setTab(tab: QuestionTab): Promise<void> {
    if (tab === this.tab && this.status !== 'error') return Promise.resolve();
    this.tab = tab;
    return this.#load(false);
  }

  /** Watches and loads from scratch, e.g. after an error. */
  reload(): Promise<void> {
    return this.#load(true);
  }

  /** Appends the next page; resolves with the ids newly shown. */
  async loadMore(): Promise<string[]> {
    if (!this.nextCursor || this.loadingMore) return [];
    const generation = this.generation;
    this.loadingMore = true;
    this.emit();
    try {
      const res = await this.#list(this.tab, this.nextCursor);
      if (generation !== this.generation) return [];
      const shown = this.#append(res.questions);
      this.nextCursor = res.nextCursor;
      return shown;
    } finally {
      this.loadingMore = false;
      this.emit();
    }
  }

  /**
   * Asks a question; resolves with the stored question and the pipeline's
   * notices (`held`: only the asker sees it until a moderator approves it).
   * It joins the current tab if it belongs there, and always `mine`.
   */
  async ask(input: AskInput): Promise<QuestionItem> {
    if (!this.connection.identity) throw new KindredError('NOT_SIGNED_IN', 'Choose a display name first.');
    const details = input.details?.trim();
    const req = {
      topic: this.topic,
      clientId: newClientId(),
      title: input.title.trim().replace(/\s+/g, ' '),
      visibility: input.visibility,
      ...(details ? { details } : {}),
      ...(input.notify ? { notify: input.notify } : {}),
      ...(input.page ? { page: input.page } : {}),
    };
    const { question, notices } = await this.connection.request('question:ask', req, this.options());
    const stored = this.#store(question, { notices: notices ?? [] });
    this.#place(stored);
    this.emit();
    return stored;
  }

  /**
   * An answer (from one of the topic's experts) or a follow-up (from the
   * asker): the server decides which. Resolves with the answer as stored,
   * with its notices; an answered question then leaves Unanswered and the inbox.
   */
  async reply(questionId: string, body: string): Promise<{ question: QuestionItem; answer: QuestionAnswer }> {
    const req = { questionId, clientId: newClientId(), body: body.trim() };
    const { question, answer, notices } = await this.connection.request('question:reply', req, this.options());
    // The viewer's own answer is not news to them: the caller words it.
    this.#apply(question, { answerNotices: [answer.id, notices ?? []] });
    const stored = this.#known.get(question.id)!;
    this.emit();
    return { question: stored, answer: stored.answers.find((each) => each.id === answer.id) ?? answer };
  }

  /** "This helped" from the asker, "Helpful" from anyone else signed in. */
  async markHelpful(answerId: string, on: boolean): Promise<QuestionItem> {
    const { question } = await this.connection.request('answer:helpful', { answerId, on }, this.options());
    const asker = this.isMine(question);
    this.#apply({
      ...question,
      answers: question.answers.map((answer) => (answer.id === answerId && !asker ? { ...answer, mine: on } : answer)),
    });
    this.emit();
    return this.#known.get(question.id)!;
  }

  /** Answered public questions of the topic close to `text` (empty for less than the shortest question). */
  async similar(text: string): Promise<SimilarQuestion[]> {
    const trimmed = [...text.trim()].slice(0, QUESTION_LIMITS.searchMax).join('');
    if ([...trimmed].length < QUESTION_LIMITS.titleMin) return [];
    const { questions } = await this.connection.request('question:similar', { topic: this.topic, text: trimmed }, this.options());
    return questions;
  }

  /** Deletes the viewer's own question. */
  async remove(questionId: string): Promise<void> {
    await this.connection.request('post:delete', { postId: questionId }, this.options());
    this.#forget(questionId);
    this.emit();
  }

  /** Any question seen this session, by id (also one not in the current tab). */
  find(questionId: string): QuestionItem | undefined {
    return this.#known.get(questionId);
  }

  isMine(question: Pick<QuestionView, 'asker'>): boolean {
    return question.asker.id === this.connection.identity?.id;
  }

  /** The published answers by the topic's experts, oldest first. */
  expertAnswers(question: QuestionView): AnswerView[] {
    return question.answers.filter((answer) => answer.expert && (!answer.status || answer.status === 'published'));
  }

  protected follow(onEvent: (event: QuestionEvent) => void): () => void {
    return this.connection.onQuestionEvent(this.topic, onEvent);
  }

  protected override unfollow(): void {
    this.connection.request('question:unwatch', { topic: this.topic }).catch(() => {});
  }

  protected forgetViewer(): void {
    this.#forgetPrivate();
    if (!this.connection.identity && this.tab === 'mine') this.tab = 'answered';
  }

  /** Watches (so nothing falls between), then lists the first page of the tab. */
  #load(watch: boolean): Promise<void> {
    return this.load(async () => {
      if (watch) await this.#watch();
      if (this.tab === 'inbox' && !this.expert) this.tab = 'answered';
      if (this.tab === 'mine' && !this.connection.identity) this.tab = 'answered';
      const res = await this.#list(this.tab);
      return () => {
        this.#ids = [];
        this.#append(res.questions);
        this.nextCursor = res.nextCursor;
      };
    });
  }

  /** A viewer who just became one of the topic's experts starts in their inbox; one who stopped leaves it. */
  async #watch(): Promise<void> {
    const { expert, responseTime } = await this.connection.request('question:watch', { topic: this.topic }, this.options());
    if (expert && !this.expert) this.tab = 'inbox';
    this.expert = expert;
    this.responseTime = responseTime;
  }

  #list(tab: QuestionTab, cursor?: string) {
    return this.connection.request(
      'question:list',
      { topic: this.topic, tab, ...(cursor ? { cursor } : {}) },
      this.options(),
    );
  }

  /** Adds a page in the server's order; returns the ids not shown before. */
  #append(questions: readonly QuestionView[]): string[] {
    const shown: string[] = [];
    for (const question of questions) {
      this.#store(question);
      if (!this.#ids.includes(question.id)) shown.push(question.id);
    }
    this.#ids.push(...shown);
    return shown;
  }

  protected applyEvent(event: QuestionEvent): QuestionChange {
    if (event.type === 'question.removed') {
      this.#forget(event.questionId);
      return NO_CHANGE;
    }
    return this.#apply(event.question);
  }

  /** Takes in the question as it is now: stored, then in, out of or moved within the current tab. */
  #apply(question: QuestionView, extra: { answerNotices?: [string, WriteNotice[]] } = {}): QuestionChange {
    const before = this.#known.get(question.id);
    const after = this.#store(question, extra);
    this.#place(after);
    // A question never seen with no replies at all is a new one (or one a moderator just approved).
    const published = !after.status || after.status === 'published';
    const arrived = !before && published && !this.isMine(after) && !after.answers.length ? [after] : [];
    return { arrived, answered: this.#newlyAnswered(before, after) ? [after] : [] };
  }

  /** Whether an expert answer came that was not there before (for a question not seen yet: a first answer just now). */
  #newlyAnswered(before: QuestionItem | undefined, after: QuestionItem): boolean {
    const count = this.expertAnswers(after).length;
    if (before) return count > this.expertAnswers(before).length;
    return !!after.answeredAt && Math.abs(Date.now() - Date.parse(after.answeredAt)) < RECENT_MS;
  }

  /** Puts the question where the current tab's order puts it, or takes it out when it no longer belongs. */
  #place(question: QuestionItem): void {
    const index = this.#ids.indexOf(question.id);
    const belongs = this.#belongs(question);
    if (!belongs) {
      if (index >= 0) this.#ids.splice(index, 1);
      return;
    }
    if (index >= 0) return;
    const oldestFirst = this.tab === 'inbox';
    const at = this.#ids.findIndex((id) => {
      const other = this.#known.get(id);
      return other && (oldestFirst ? other.askedAt > question.askedAt : other.askedAt < question.askedAt);
    });
    // After the last loaded one, it belongs to a page not loaded yet: "Load more" brings it.
    if (at < 0 && this.nextCursor) return;
    if (at < 0) this.#ids.push(question.id);
    else this.#ids.splice(at, 0, question.id);
  }

  #belongs(question: QuestionItem): boolean {
    if (this.tab === 'mine') return this.isMine(question);
    const published = !question.status || question.status === 'published';
    return published && (this.tab === 'answered' ? !!question.answeredAt : !question.answeredAt);
  }

  /**
   * Events carry the whole question as the viewer may see it, but not the
   * per-viewer parts: `mine` on answers, `notifying`, and the notices are
   * kept from before.
   */
  #store(question: QuestionView, extra: { notices?: WriteNotice[]; answerNotices?: [string, WriteNotice[]] } = {}): QuestionItem {
    const before = this.#known.get(question.id);
    const previous = new Map(before?.answers.map((answer) => [answer.id, answer]));
    const answers = question.answers.map((answer): QuestionAnswer => {
      const known = previous.get(answer.id);
      const notices = extra.answerNotices?.[0] === answer.id ? extra.answerNotices[1] : known?.notices;
      const mine = answer.mine ?? known?.mine;
      return { ...answer, ...(mine === undefined ? {} : { mine }), ...(notices ? { notices } : {}) };
    });
    const notices = extra.notices ?? before?.notices;
    const notifying = question.notifying ?? before?.notifying;
    const held = !question.status && extra.notices?.includes('held');
    const stored: QuestionItem = {
      ...question,
      answers,
      ...(notices ? { notices } : {}),
      ...(notifying === undefined ? {} : { notifying }),
      ...(held ? { status: 'held' as const } : {}),
    };
    this.#known.set(question.id, stored);
    return stored;
  }

  protected mergeChanges(a: QuestionChange, b: QuestionChange): QuestionChange {
    return { arrived: [...a.arrived, ...b.arrived], answered: [...a.answered, ...b.answered] };
  }

  /**
   * Until the tab is listed again for the new viewer: what only the previous
   * one could see (private and unpublished questions) goes at once, and the
   * per-viewer parts of the rest with it.
   */
  #forgetPrivate(): void {
    for (const [id, question] of this.#known) {
      if (question.visibility === 'private' || (question.status && question.status !== 'published')) this.#forget(id);
      else {
        const { notices: _notices, notifying: _notifying, ...rest } = question;
        this.#known.set(id, { ...rest, answers: rest.answers.map(({ mine: _mine, notices: _n, ...answer }) => answer) });
      }
    }
  }

  #forget(questionId: string): void {
    this.#known.delete(questionId);
    this.#ids = this.#ids.filter((id) => id !== questionId);
  }

}

/** The page's one question store for `topic` on `connection`, shared by every element showing it. */
export const getQuestionStore: (connection: Connection, topic: string) => QuestionStore = storesByKey(
  (connection, topic) => new QuestionStore(connection, topic),
);
