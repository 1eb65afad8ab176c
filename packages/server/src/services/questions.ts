import {
  QUESTION_LIMITS,
  type ClientEvents,
  type Identity,
  type QuestionView,
  type ResponseTime,
  type TopicEvent,
} from '@kindred/protocol';
import type { ParsedRequest } from '@kindred/protocol/schemas';
import { ServiceError } from '../errors.js';
import type { QuestionRecord, SiteRecord, Store } from '../store/store.js';
import type { AccessService } from './access.js';
import { requireUser, type Caller } from './caller.js';
import { excerptOf } from './excerpt.js';
import type { QuestionMail } from './question-mail.js';
import { searchTerms, sharedTerms } from './question-search.js';
import { canSeeQuestion, isTopicExpert, median, questionText, splitQuestionText, toAnswerView, toQuestionView } from './question-view.js';
import { holdOf, type SafetyVerdict } from './safety-phases.js';
import { normaliseOrigin } from './sites.js';
import type { ModerationAnnouncer } from './thread.js';
import { verdictOf, type WritePipeline } from './write-pipeline.js';

/** Sends a changed question to every connection watching its topic that may see it (and `removed` to the rest when it left view). */
export type RelayQuestion = (siteId: string, question: QuestionRecord) => void;

export interface QuestionDeps {
  store: Store;
  access: AccessService;
  pipeline: WritePipeline;
  moderation: ModerationAnnouncer;
  relay: RelayQuestion;
  mail: QuestionMail;
  now: () => Date;
  log: Pick<Console, 'error'>;
}

type Result<K extends keyof ClientEvents> = Promise<ClientEvents[K]['res']>;

const DAY_MS = 24 * 60 * 60 * 1000;
const EXCERPT_MAX = 160;
/** How many full-text matches are re-checked before the best few are offered. */
const SIMILAR_CANDIDATES = 10;

/**
 * Ask-an-expert: visitors ask (publicly or privately), a topic's experts
 * answer without review, the asker follows up through the normal pipeline,
 * answers are marked helpful, and the asker is emailed about an answer when
 * they asked to be.
 */
export class QuestionService {
  constructor(private readonly deps: QuestionDeps) {}

  async watch(caller: Caller, request: ParsedRequest<'question:watch'>): Result<'question:watch'> {
    await this.deps.access.authoriseRead(caller, request.topic);
    return { expert: isTopicExpert(caller.user, request.topic), responseTime: await this.responseTime(caller.siteId, request.topic) };
  }

  /** The median time from asking to the first expert answer, over questions first answered in the window. */
  async responseTime(siteId: string, topic: string): Promise<ResponseTime> {
    const windowDays = QUESTION_LIMITS.responseTimeWindowDays;
    const since = new Date(this.deps.now().getTime() - windowDays * DAY_MS).toISOString();
    const delays = await this.deps.store.responseDelays({ siteId, topic, since });
    return { medianMs: delays.length >= QUESTION_LIMITS.responseTimeMinSample ? median(delays) : null, sample: delays.length, windowDays };
  }

  async list(caller: Caller, request: ParsedRequest<'question:list'>): Result<'question:list'> {
    await this.deps.access.authoriseRead(caller, request.topic);
    const expert = isTopicExpert(caller.user, request.topic);
    if (request.tab === 'mine') requireUser(caller, 'see your questions');
    if (request.tab === 'inbox' && !expert) throw new ServiceError('NOT_AUTHORISED', "The inbox is for this topic's experts.");
    const page = await this.deps.store.listQuestions({
      siteId: caller.siteId,
      topic: request.topic,
      tab: request.tab,
      viewerId: caller.user?.id ?? null,
      viewerIsExpert: expert,
      after: decodeQuestionCursor(request.cursor),
      limit: QUESTION_LIMITS.pageSize,
    });
    const views = await this.viewsFor(caller.user, page.questions);
    const last = page.questions[page.questions.length - 1];
    return { questions: views, nextCursor: page.hasMore && last ? encodeQuestionCursor(last.post.n) : null };
  }

  async ask(caller: Caller, request: ParsedRequest<'question:ask'>): Result<'question:ask'> {
    // A retry whose acknowledgement was lost gets the stored question back, whatever happened since.
    const earlier = caller.user && (await this.deps.store.findPostByClientId(caller.siteId, caller.user.id, request.clientId));
    if (earlier) {
      const question = await this.deps.store.findQuestion(earlier.id);
      if (!question || question.post.id !== earlier.id) throw new ServiceError('INVALID_INPUT', 'clientId: this id was used for something else; send a new one', 'clientId');
      return withNotices({ question: toQuestionView(question, caller.user) }, earlier.status === 'held' ? ['held'] : []);
    }
    const text = { body: questionText(request.title, request.details), write: 'create' as const };
    return this.deps.pipeline.run({ caller, kind: 'post', topic: request.topic, action: 'ask a question', text }, async (write) => {
      const safety = verdictOf(write);
      const createdAt = this.now();
      const { question, change } = await this.deps.store.createQuestion(
        {
          siteId: caller.siteId,
          topic: request.topic,
          clientId: request.clientId,
          authorId: write.author.id,
          // Masking may have changed the text, never its first line break: it is still title, blank line, details.
          body: safety.text,
          visibility: request.visibility,
          notify: request.notify ? { email: request.notify.email, page: pageOnSite(request.page, write.site) } : null,
          createdAt,
        },
        holdOf(safety, createdAt),
      );
      if (change.post.status === 'held' && safety.status === 'held') this.deps.moderation.held(caller.siteId, change.post.id, safety.crisis);
      if (change.event) this.deps.relay(caller.siteId, question);
      return withNotices({ question: toQuestionView(question, write.author) }, safety.notices);
    });
  }

  /** An answer from one of the topic's experts, or a follow-up from the asker; nobody else replies to a question. */
  async reply(caller: Caller, request: ParsedRequest<'question:reply'>): Result<'question:reply'> {
    const question = await this.visibleQuestion(caller, request.questionId);
    if (question.post.id !== request.questionId) throw notFound();
    const expert = isTopicExpert(caller.user, question.topic);
    const authorise = (author: Identity) => {
      if (!isTopicExpert(author, question.topic) && author.id !== question.post.author.id) {
        throw new ServiceError('NOT_AUTHORISED', "Only this topic's experts and the person who asked can reply to a question.");
      }
    };
    const text = { body: request.body, write: 'create' as const, expertAnswer: expert };
    return this.deps.pipeline.run({ caller, kind: 'post', topic: question.topic, action: 'reply', authorise, text }, async (write) => {
      const safety = verdictOf(write);
      const createdAt = this.now();
      const added = await this.deps.store.addAnswer(
        {
          questionId: question.post.id,
          clientId: request.clientId,
          authorId: write.author.id,
          body: safety.text,
          expert: expert ? { credential: await this.credentialOf(write.author, write.site, question.topic) } : null,
          createdAt,
        },
        holdOf(safety, createdAt),
      );
      if (!added) throw notFound();
      const { post } = added.change;
      if (post.status === 'held' && safety.status === 'held') this.deps.moderation.held(caller.siteId, post.id, safety.crisis);
      if (added.change.event) await this.changed(caller.siteId, added.question);
      const answer = added.question.answers.find((reply) => reply.post.id === post.id)!;
      return withNotices(
        { question: toQuestionView(added.question, write.author), answer: toAnswerView(answer, question.post.id) },
        safety.notices,
      );
    });
  }

  /** "This helped" from the asker; "Helpful" from anyone else signed in. Nobody marks their own answer. */
  async markHelpful(caller: Caller, request: ParsedRequest<'answer:helpful'>): Result<'answer:helpful'> {
    const question = await this.visibleQuestion(caller, request.answerId);
    const answer = question.answers.find((reply) => reply.post.id === request.answerId);
    if (!answer || answer.post.deletedAt || answer.post.status !== 'published') throw notFound();
    const authorise = (user: Identity) => {
      if (answer.post.author.id === user.id) throw new ServiceError('NOT_AUTHORISED', "You can't mark your own reply as helpful.");
    };
    return this.deps.pipeline.run({ caller, kind: 'reaction', topic: question.topic, action: 'mark answers helpful', authorise }, async ({ author }) => {
      const { store } = this.deps;
      if (author.id === question.post.author.id) {
        await store.setAskerHelped({ answerId: answer.post.id, on: request.on });
      } else {
        await store.setReaction({ postId: answer.post.id, userId: author.id, reaction: 'helpful', on: request.on, at: this.now() });
      }
      const updated = await store.findQuestion(question.post.id);
      if (!updated) throw notFound();
      this.deps.relay(caller.siteId, updated);
      const [view] = await this.viewsFor(author, [updated]);
      return { question: view! };
    });
  }

  /** Answered public questions of the topic that share enough words with what the visitor is typing. */
  async similar(caller: Caller, request: ParsedRequest<'question:similar'>): Result<'question:similar'> {
    await this.deps.access.authoriseRead(caller, request.topic);
    const terms = searchTerms(request.text.slice(0, QUESTION_LIMITS.searchMax));
    const candidates = await this.deps.store.similarQuestions({ siteId: caller.siteId, topic: request.topic, terms, limit: SIMILAR_CANDIDATES });
    const needed = Math.min(2, terms.length);
    const questions = candidates
      .filter((question) => sharedTerms(terms, question.post.body) >= needed)
      .slice(0, QUESTION_LIMITS.similarMax)
      .map((question) => {
        const answer = question.answers.find((reply) => reply.expert && reply.post.status === 'published' && !reply.post.deletedAt);
        return { id: question.post.id, title: splitQuestionText(question.post.body).title, excerpt: excerptOf(answer?.post.body ?? '', EXCERPT_MAX), answeredAt: question.answeredAt! };
      });
    return { questions };
  }

  /** A question's post or reply changed elsewhere (moderation, a report, a deletion): tell its watchers. */
  async storedChange(siteId: string, event: TopicEvent): Promise<void> {
    const question = await this.deps.store.findQuestion(event.post.rootId ?? event.post.id);
    if (question) await this.changed(siteId, question);
  }

  /** Fans the question out and, once it has an expert answer, sends the asker's email if they asked for one. */
  private async changed(siteId: string, question: QuestionRecord): Promise<void> {
    this.deps.relay(siteId, question);
    if (question.answeredAt === null || !question.notifying || question.post.deletedAt) return;
    const notification = await this.deps.store.takeAnswerNotification(question.post.id);
    if (notification) void this.deps.mail.answered(siteId, question, notification);
  }

  private async visibleQuestion(caller: Caller, postId: string): Promise<QuestionRecord> {
    const question = await this.deps.store.findQuestion(postId);
    if (!question || question.post.siteId !== caller.siteId || !canSeeQuestion(question, caller.user)) throw notFound();
    await this.deps.access.authoriseRead(caller, question.topic);
    return question;
  }

  /** The credential an admin recorded for this expert and topic (`kindred expert add`); null for a role without a profile. */
  private async credentialOf(author: Identity, site: SiteRecord, topic: string): Promise<string | null> {
    const user = await this.deps.store.findUser(author.id);
    if (!user?.externalId) return null;
    const experts = await this.deps.store.listExperts(site.id, topic);
    return experts.find((expert) => expert.externalId === user.externalId)?.credential ?? null;
  }

  private async viewsFor(viewer: Identity | null, questions: QuestionRecord[]): Promise<QuestionView[]> {
    const answerIds = questions.flatMap((question) => question.answers.map((answer) => answer.post.id));
    const marked = viewer && answerIds.length ? await this.deps.store.reactionsBy(viewer.id, answerIds) : null;
    const helpful = marked && new Set([...marked].filter(([, reactions]) => reactions.includes('helpful')).map(([id]) => id));
    return questions.map((question) => toQuestionView(question, viewer, helpful ?? undefined));
  }

  private now(): string {
    return this.deps.now().toISOString();
  }
}

function withNotices<T extends object>(res: T, notices: SafetyVerdict['notices']): T & { notices?: SafetyVerdict['notices'] } {
  return notices.length ? { ...res, notices } : res;
}

/** The page a question was asked on, kept for the email's link only when it is on one of the site's own origins. */
function pageOnSite(page: string | undefined, site: SiteRecord): string | null {
  if (!page) return null;
  try {
    return site.origins.includes(normaliseOrigin(page)) ? page : null;
  } catch {
    return null;
  }
}

function encodeQuestionCursor(n: number): string {
  return Buffer.from(JSON.stringify({ q: n })).toString('base64url');
}

function decodeQuestionCursor(cursor: string | undefined): number | null {
  if (cursor === undefined || cursor === '') return null;
  try {
    const { q } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { q?: unknown };
    if (typeof q === 'number' && Number.isSafeInteger(q) && q >= 0) return q;
  } catch {
    // not one of ours
  }
  throw new ServiceError('INVALID_INPUT', 'cursor: this page link is not valid; load the questions again', 'cursor');
}

function notFound(): ServiceError {
  return new ServiceError('NOT_FOUND', 'That question has been deleted or does not exist.', 'questionId');
}
