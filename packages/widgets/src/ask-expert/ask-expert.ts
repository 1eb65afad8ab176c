import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import {
  DEFAULT_CRISIS_RESOURCES,
  QUESTION_LIMITS,
  type AnswerView,
  type QuestionTab,
  type QuestionView,
  type ReportReason,
  type SimilarQuestion,
} from '@kindred/protocol';
import { detectCrisis, findIdentifiers, findPatientDisclosure } from '@kindred/protocol/safety';
import { getQuestionStore, type QuestionAnswer, type QuestionChange, type QuestionItem, type QuestionStore } from '@kindred/client';
import { Announcer } from '../controllers/announcer.js';
import { ConnectionController } from '../controllers/connection-controller.js';
import { KindredElement } from '../controllers/kindred-element.js';
import { dispatch } from '../shared/dispatch.js';
import { WORDED_REFUSALS, errorText } from '../shared/error-text.js';
import { focusRendered, focusSelecting } from '../controllers/focus.js';
import { GuestSignIn } from '../shared/guest-sign-in.js';
import { StoreController } from '../shared/store-controller.js';
import { tabAfterKey } from '../controllers/tab-keys.js';
import { visitorStyles } from '../shared/visitor.styles.js';
import { baseStyles } from '../styles/base.styles.js';
import { renderText } from '../text/render-text.js';
import { renderCrisisPanel, type CrisisStage } from '../thread/safety-notes.js';
import { AskExpertLocalizer, type AskExpertKey } from './ask-expert-i18n.js';
import { askExpertStyles } from './ask-expert.styles.js';
import { renderAskForm, type AskDraft, type AskField } from './ask-form.js';
import {
  followUpAnchor,
  questionOf,
  renderQuestion,
  type QuestionContext,
  type QuestionForm,
  type ReplyDraft,
} from './question-item.js';
import { renderSafetyWarning, type SafetyWarning } from './safety-warning.js';

/** The anchor of the question form; drafts on a question are anchored by `answerAnchor` / `followUpAnchor`. */
const ASK = 'ask';
const SIMILAR_DELAY_MS = 300;
/** Refusals worded here: a members-only topic too. */
const WORDED = [...WORDED_REFUSALS, 'MEMBERS_ONLY'] as const;

const emptyDraft = (): AskDraft => ({ title: '', details: '', visibility: 'public', notify: false, email: '' });
const codePoints = (text: string): number => [...text].length;

const NO_REPLY: ReplyDraft = { value: '', error: '', busy: false };
const isAnswer = (anchor: string): boolean => anchor.startsWith('a-');

/**
 * Ask an expert about one topic: visitors ask a short question (public, or
 * private to the topic's experts), find answered questions like theirs while
 * they type, and read featured answers by verified clinicians. For a viewer
 * who is one of the topic's experts (signed in through the host site,
 * `auth-url`), the same element is their inbox: unanswered questions oldest
 * first, each with an answer box.
 *
 * @summary Questions answered by a topic's verified clinicians; an inbox for the experts.
 *
 * @attr topic - The topic (a lower-case slug, e.g. `knee-replacement`).
 * @attr server - Overrides the Kindred server URL the loader configured.
 * @attr site - Overrides the site id the loader configured.
 * @attr auth-url - Overrides the host site's sign-in token endpoint the loader configured (`data-auth-url`).
 * @attr theme - light | dark | high-contrast | auto: a built-in theme (`auto` follows `prefers-color-scheme`); unset, the light tokens on the page's own background.
 *
 * @fires kindred-question-asked - The server stored a question the visitor asked. `detail: { question }`.
 * @fires kindred-question-held - The visitor's question is waiting for a moderator; only they see it. `detail: { question }`.
 * @fires kindred-answer-published - An expert's answer was stored (it may be held for review: see `answer.status`). `detail: { question, answer }`.
 * @fires kindred-crisis-support-shown - The crisis support panel opened, before sending or after the server flagged the text. `detail: { stage: 'draft' | 'sent' }`.
 * @fires kindred-post-reported - The visitor reported a question or an answer. `detail: { postId, reason, hidden }`.
 * @fires kindred-signed-in - The visitor took a guest identity. `detail: { user }`.
 *
 * @csspart base - The wrapper of everything.
 * @csspart status - The loading or offline line.
 * @csspart error - An error message.
 * @csspart retry - The Retry button after a failure.
 * @csspart disclaimer - The site's medical-advice disclaimer (only when the site set one).
 * @csspart medical-note - The standing note that answers are general information, with the emergency number.
 * @csspart response-time - "Experts here usually answer within about 5 hours."
 * @csspart composer - The area to sign in and ask.
 * @csspart sign-in - The display-name form.
 * @csspart name-input - The display-name field.
 * @csspart sign-in-error - "We couldn't confirm your sign-in": the server refused the host site's token.
 * @csspart guests-denied - "Sign in on <site> to ask a question", where the site allows no guests.
 * @csspart member-note - "Signed in with <site>" beside a member's name.
 * @csspart sign-out - A guest's Sign out button.
 * @csspart members-only - The note shown for a members-only topic.
 * @csspart identity - "Asking as <name>" / "Answering as <name>".
 * @csspart question-form - The form to ask a question.
 * @csspart title-input - The one-line question.
 * @csspart details-input - The optional details.
 * @csspart visibility - The public / private choice.
 * @csspart notify - The "Email me when an expert answers" choice and its email field.
 * @csspart email-input - The email address for the answer notification.
 * @csspart email-consent - What the address is used for.
 * @csspart ask-button - The Ask button.
 * @csspart similar - The answered questions like the one being typed.
 * @csspart similar-item - One of them (a disclosure).
 * @csspart similar-title - Its title (the disclosure's summary).
 * @csspart similar-excerpt - The start of its answer, when the page does not have the whole question.
 * @csspart identifier-warning - The warning shown instead of sending a draft with identifiers (an alert).
 * @csspart disclosure-warning - The same warning when an expert's answer seems to describe a real patient.
 * @csspart edit-draft-button - "Edit my question" / "Edit my answer" in the warning.
 * @csspart post-anyway-button - "Ask anyway" / "Publish anyway" in the warning.
 * @csspart crisis-panel - The support panel for a draft that suggests someone may be at risk.
 * @csspart crisis-close - The button that closes it.
 * @csspart tabs - The tab list.
 * @csspart tab - One tab (also `tab-selected` on the selected one).
 * @csspart panel - The tab panel.
 * @csspart list - The list of questions.
 * @csspart empty - The note of an empty tab.
 * @csspart question - One question (an article).
 * @csspart question-title - Its title (a heading).
 * @csspart question-meta - Who asked and when.
 * @csspart asker - The asker's name.
 * @csspart time - When a question or answer was written.
 * @csspart private-marker - "Private" on a private question.
 * @csspart inbox-age - "waiting 3 hours" on an inbox question.
 * @csspart details - The question's details.
 * @csspart held-note - "Waiting for review — only you can see this for now." on the visitor's own held question or reply.
 * @csspart masked-note - "Some details were hidden to protect your privacy."
 * @csspart removed-note - "Removed by a moderator: <reason>" on the visitor's own question.
 * @csspart answer - An answer or follow-up.
 * @csspart expert-answer - An expert's answer (a featured block).
 * @csspart follow-up - The asker's follow-up.
 * @csspart follow-ups - The follow-ups under the answers.
 * @csspart expert-name - "Answer from <name>".
 * @csspart credential - The expert's credential, e.g. "MD, Cardiology".
 * @csspart badge - "Verified clinician".
 * @csspart answer-body - The text of an answer or follow-up.
 * @csspart author - The author of a follow-up.
 * @csspart helped-button - "This helped", for the asker (a toggle).
 * @csspart helpful-button - "Helpful (N)", for other signed-in visitors (a toggle).
 * @csspart helpful-count - "Helpful (N)" without a button.
 * @csspart actions - The buttons of a question or answer.
 * @csspart follow-up-button - "Add a follow-up".
 * @csspart follow-up-composer - The asker's follow-up form.
 * @csspart answer-composer - An expert's answer form.
 * @csspart textarea - Every multi-line field.
 * @csspart send-button - Publish answer, Send follow-up and Send report.
 * @csspart cancel-button - Cancel in an inline form.
 * @csspart delete-button - "Delete my question".
 * @csspart confirm - The inline delete confirmation.
 * @csspart report-button - "Report" on a question or answer by someone else (signed-in visitors).
 * @csspart report-form - The inline report form.
 * @csspart report-reasons - Its reasons (radio buttons).
 * @csspart report-note - Its optional note.
 * @csspart report-thanks - "Thanks — a moderator will take a look." once sent.
 * @csspart load-more - The "Load more" button.
 * @csspart button - Every button.
 * @csspart announcer - The visually hidden live region.
 *
 * @cssprop [--kindred-color-surface=#fff] - Background of posts, cards, fields and buttons.
 * @cssprop [--kindred-color-surface-alt=#eef4fb] - Tinted background: your own messages, the featured answer.
 * @cssprop [--kindred-color-text=#1f2328] - Text.
 * @cssprop [--kindred-color-muted=#57606a] - Secondary text: times, hints, counters, disclaimers.
 * @cssprop [--kindred-color-border=#6e7781] - Borders of posts, fields, buttons and tables.
 * @cssprop [--kindred-color-accent=#0b5cad] - Links, primary buttons, pressed and selected controls.
 * @cssprop [--kindred-color-on-accent=#fff] - Text on the accent.
 * @cssprop [--kindred-color-focus=var(--kindred-color-accent)] - Focus ring.
 * @cssprop [--kindred-color-error=#b3261e] - Errors, removed notes, leave and block confirmations.
 * @cssprop [--kindred-color-danger=#b3261e] - The older name of `--kindred-color-error`; still works.
 * @cssprop [--kindred-color-warning=#8a5300] - Edge of a "held for review" note.
 * @cssprop [--kindred-color-success=#1a7f37] - The expert's badge and answer edge.
 * @cssprop [--kindred-color-crisis=#b3261e] - The crisis support panel and the console's crisis alerts.
 * @cssprop [--kindred-font-family=inherit] - Font (the host page's unless set).
 * @cssprop [--kindred-font-size=inherit] - Base font size (the host page's unless set).
 * @cssprop [--kindred-font-size-s=0.875em] - Small print: times, hints, counters.
 * @cssprop [--kindred-line-height=1.5] - Line height.
 * @cssprop [--kindred-space-s=0.5em] - Small spacing inside panels.
 * @cssprop [--kindred-space-m=1rem] - Base spacing between blocks.
 * @cssprop [--kindred-radius=0.5rem] - Corner radius of posts, cards, fields and buttons.
 * @cssprop [--kindred-shadow=none] - Elevation (a `box-shadow`) of posts and cards.
 * @cssprop [--kindred-ask-gap=var(--kindred-space-m)] - Space between questions.
 * @cssprop [--kindred-expert-accent=var(--kindred-color-success)] - The featured answer's edge and badge.
 * @cssprop [--kindred-expert-surface=var(--kindred-color-surface-alt)] - The featured answer's background.
 */
export class KindredAskExpert extends KindredElement {
  static override styles = [baseStyles, visitorStyles, askExpertStyles];

  static override properties = {
    topic: { type: String },
  };

  declare topic: string;

  #connection = new ConnectionController(this);
  #announcer = new Announcer(this);
  #i18n = new AskExpertLocalizer(this);
  #stores = new StoreController(this, this.#connection, getQuestionStore, (change: QuestionChange) => this.#onChange(change));
  #guest = new GuestSignIn(this, this.#connection, {
    i18n: this.#i18n,
    errorText: (error) => this.#errorText(error),
    signedIn: () => focusRendered(this, '#ask-title'),
  });
  #draft = emptyDraft();
  #errors: Partial<Record<AskField | 'form', string>> = {};
  #asking = false;
  #similar: SimilarQuestion[] = [];
  #similarTimer: ReturnType<typeof setTimeout> | undefined;
  #open: QuestionContext['open'] = null;
  #formDraft = '';
  #formError = '';
  #reportReason: ReportReason | null = null;
  /** Replies being written, by anchor: experts' answers in the inbox, the asker's follow-up. */
  #replies = new Map<string, ReplyDraft>();
  /** What the browser-side checks found in the draft the visitor tried to send, and which draft. */
  #warning: SafetyWarning | null = null;
  /** The crisis support panel, if open, and the draft it belongs to. */
  #crisis: { anchor: string; stage: CrisisStage } | null = null;
  /** Drafts that have had the panel before sending: the next send goes ahead. */
  #crisisSeen = new Set<string>();

  constructor() {
    super();
    this.topic = '';
    this.server = '';
    this.site = '';
    this.authUrl = '';
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#similarTimer);
  }

  protected override get strings(): AskExpertLocalizer {
    return this.#i18n;
  }

  protected override willUpdate(_changed: PropertyValues<this>): void {
    this.#stores.follow(this, this.topic);
  }

  get #store(): QuestionStore | null {
    return this.#stores.store;
  }

  #t: AskExpertLocalizer['t'] = (key, params) => this.#i18n.t(key, params);

  #onChange({ arrived, answered }: QuestionChange): void {
    this.requestUpdate();
    const store = this.#store!;
    for (const question of answered) {
      if (store.isMine(question)) this.#announcer.announce(this.#t('expertAnswered'));
      else if (store.tab === 'unanswered' || store.tab === 'inbox') {
        this.#announcer.tally('answered', 1, (count) => this.#t('questionsAnswered', { count }));
      }
    }
    for (const _ of arrived) {
      if (store.expert) this.#announcer.tally('inbox', 1, (count) => this.#t('inboxArrived', { count }));
      else this.#announcer.tally('new', 1, (count) => this.#t('newQuestions', { count }));
    }
  }

  override render(): TemplateResult {
    const store = this.#store;
    const status = this.#connection.status;
    return html`<section part="base" aria-labelledby="kindred-ask-title" aria-busy=${store?.status === 'loading' || store?.loadingMore ? 'true' : 'false'}>
      ${this.#announcer.render()}
      <h2 id="kindred-ask-title" class="visually-hidden">${this.#t('title')}</h2>
      ${status === 'refused' || !store
        ? html`<p part="error" role="alert">${this.#t('refused')}</p>`
        : this.#renderBody(store, status === 'offline')}
    </section>`;
  }

  /** The expert view as soon as the session says so, before the watch confirms it: no flash of the visitor's form. */
  #isExpert(store: QuestionStore): boolean {
    return store.expert || (store.status === 'loading' && !!this.#connection.identity?.expertTopics?.includes(store.topic));
  }

  #renderBody(store: QuestionStore, offline: boolean): TemplateResult {
    const { rateLimited, site } = store.connection;
    const signInProblem = this.#guest.renderRefusal();
    if (store.error?.code === 'MEMBERS_ONLY') {
      return html`${signInProblem}<p part="members-only" role="status">${this.#t('error_MEMBERS_ONLY')}</p>`;
    }
    const expert = this.#isExpert(store);
    const statusLine = offline
      ? html`<p part="status" role="status">${this.#t(rateLimited ? 'connectLimited' : 'offline')}</p>`
      : nothing;
    const emergency = (site?.crisisResources ?? DEFAULT_CRISIS_RESOURCES).emergency;
    return html`${statusLine}
      ${site?.disclaimer ? html`<div part="disclaimer">${renderText(site.disclaimer)}</div>` : nothing}
      ${expert
        ? html`${signInProblem}<p part="identity">${this.#t('answeringAs', { name: this.#connection.identity?.name ?? '' })}</p>`
        : html`${this.#renderResponseTime(store)}
            <div part="composer">${signInProblem}${this.#connection.identity ? this.#renderAsk(store) : this.#guest.renderForm()}</div>`}
      <p part="medical-note">${this.#t('medicalNote', { emergency })}</p>
      ${this.#renderTabs(store, expert)}`;
  }

  #renderResponseTime(store: QuestionStore): TemplateResult | typeof nothing {
    const median = store.responseTime?.medianMs;
    if (!store.responseTime) return nothing;
    return html`<p part="response-time">
      ${median == null
        ? this.#t('responseTimeUnknown')
        : this.#t('responseTime', { duration: this.#t('about', { duration: this.#i18n.duration(median) }) })}
    </p>`;
  }

  #renderAsk(store: QuestionStore): TemplateResult {
    return html`${this.#guest.renderIdentity((name) => this.#t('askingAs', { name }))}
      ${renderAskForm({
        i18n: this.#i18n,
        draft: this.#draft,
        errors: this.#errors,
        busy: this.#asking,
        similar: this.#similar,
        find: (id) => store.find(id),
        onChange: (change) => this.#changeDraft(change),
        onSubmit: () => void this.#ask(),
        notice: this.#renderWarning(ASK),
      })}
      ${this.#renderSupport(ASK)}`;
  }

  #renderTabs(store: QuestionStore, expert: boolean): TemplateResult {
    const tabs = this.#tabs(store, expert);
    const selected = tabs.includes(store.tab) ? store.tab : tabs[0]!;
    return html`<div part="tabs" role="tablist" aria-label=${this.#t('tabs')} @keydown=${this.#onTabKey}>
        ${tabs.map((tab) => {
          const on = tab === selected;
          return html`<button
            role="tab"
            id="tab-${tab}"
            part="button tab${on ? ' tab-selected' : ''}"
            aria-selected=${on ? 'true' : 'false'}
            aria-controls=${on ? 'panel' : nothing}
            tabindex=${on ? '0' : '-1'}
            @click=${() => void this.#openTab(tab)}
          >
            ${this.#t(`tab_${tab}`)}
          </button>`;
        })}
      </div>
      <div part="panel" role="tabpanel" id="panel" aria-labelledby="tab-${selected}" tabindex="-1">
        ${this.#renderPanel(store, selected)}
      </div>`;
  }

  #tabs(store: QuestionStore, expert: boolean): QuestionTab[] {
    if (expert) return ['inbox', 'answered'];
    return store.connection.identity ? ['answered', 'unanswered', 'mine'] : ['answered', 'unanswered'];
  }

  #renderPanel(store: QuestionStore, tab: QuestionTab): TemplateResult {
    const offline = this.#connection.status === 'offline';
    // Never reached the server, or it failed to answer: say so, and offer a retry.
    if (store.status === 'error' || (store.status === 'loading' && offline)) {
      return html`<div part="error" role="alert">
        ${this.#t('loadError')} ${store.error && !offline ? this.#errorText(store.error) : ''}
        <button part="button retry" @click=${() => (offline ? store.connection.reconnect() : void store.reload())}>
          ${this.#t('retry')}
        </button>
      </div>`;
    }
    if (store.status === 'loading' || store.tab !== tab) {
      return html`<p part="status" role="status">${this.#t('loading')}</p>`;
    }
    const questions = store.questions;
    const context = this.#questionContext(store);
    return html`${questions.length
        ? html`<ul part="list" role="list" aria-label=${this.#t(`tab_${tab}`)}>
            ${questions.map((question) => html`<li>${renderQuestion(context, question)}</li>`)}
          </ul>`
        : html`<p part="empty">${this.#t(`empty_${tab}`)}</p>`}
      ${store.nextCursor
        ? html`<button part="button load-more" aria-disabled=${store.loadingMore ? 'true' : 'false'} @click=${this.#loadMore}>
            ${this.#t('loadMore')}
          </button>`
        : nothing}`;
  }

  #questionContext(store: QuestionStore): QuestionContext {
    return {
      store,
      i18n: this.#i18n,
      signedIn: !!this.#connection.identity,
      tab: store.tab,
      now: Date.now(),
      open: this.#open,
      draft: this.#formDraft,
      error: this.#formError,
      reportReason: this.#reportReason,
      reply: (anchor) => this.#replies.get(anchor) ?? NO_REPLY,
      replyInput: (anchor, value) => {
        this.#replies.set(anchor, { ...(this.#replies.get(anchor) ?? NO_REPLY), value, error: '' });
        this.#dropWarning(anchor);
        this.requestUpdate();
      },
      sendReply: (question, anchor) => void this.#sendReply(question, anchor),
      openForm: (id, form) => void this.#openForm(id, form),
      closeForm: () => void this.#openForm(null),
      input: (value) => {
        this.#formDraft = value;
        this.requestUpdate();
      },
      submit: (question, targetId) => void this.#submitForm(question, targetId),
      helpful: (question, answer, on) => void this.#helpful(answer, on),
      chooseReason: (reason) => {
        this.#reportReason = reason;
        this.#formError = '';
        this.requestUpdate();
      },
      warning: (anchor) => this.#renderWarning(anchor),
      support: (anchor) => this.#renderSupport(anchor),
    };
  }

  #renderWarning(anchor: string): TemplateResult | typeof nothing {
    const warning = this.#warning;
    if (warning?.anchor !== anchor) return nothing;
    const [edit, anyway]: [AskExpertKey, AskExpertKey] =
      anchor === ASK
        ? ['editMyQuestion', 'askAnyway']
        : isAnswer(anchor)
          ? ['editMyAnswer', 'publishAnyway']
          : ['editMyFollowUp', 'sendAnyway'];
    return renderSafetyWarning(
      this.#i18n,
      warning,
      { edit: this.#t(edit), anyway: this.#t(anyway) },
      () => void this.#editDraft(),
      () => void this.#sendAnyway(anchor),
    );
  }

  #renderSupport(anchor: string): TemplateResult | typeof nothing {
    const crisis = this.#crisis;
    if (crisis?.anchor !== anchor) return nothing;
    const resources = this.#connection.connection?.site?.crisisResources;
    return renderCrisisPanel(this.#i18n, resources, crisis.stage, () => void this.#closeSupport());
  }

  #onTabKey = (event: KeyboardEvent): void => {
    const store = this.#store;
    if (!store) return;
    const tabs = this.#tabs(store, this.#isExpert(store));
    const index = tabs.indexOf(store.tab);
    const next = tabAfterKey(this, event.key, index, tabs.length);
    if (next === undefined) return;
    event.preventDefault();
    const tab = tabs[next]!;
    void this.#openTab(tab).then(() => focusRendered(this, `#tab-${tab}`));
  };

  async #openTab(tab: QuestionTab): Promise<void> {
    const store = this.#store;
    if (!store) return;
    if (tab !== store.tab) this.#open = null;
    const loading = store.setTab(tab);
    this.requestUpdate();
    await loading;
  }

  #changeDraft(change: Partial<AskDraft>): void {
    const titleChanged = change.title !== undefined && change.title !== this.#draft.title;
    this.#draft = { ...this.#draft, ...change };
    if (titleChanged) delete this.#errors.title;
    if (change.title !== undefined || change.details !== undefined) this.#dropWarning(ASK);
    if (titleChanged) this.#findSimilar();
    this.requestUpdate();
  }

  /** Asks for answered questions like the one being typed, once typing pauses. */
  #findSimilar(): void {
    clearTimeout(this.#similarTimer);
    const text = this.#draft.title.trim();
    if (codePoints(text) < QUESTION_LIMITS.titleMin) {
      this.#similar = [];
      return;
    }
    this.#similarTimer = setTimeout(async () => {
      const store = this.#store;
      if (!store) return;
      try {
        const found = await store.similar(text);
        // Typing went on meanwhile: a newer search is under way.
        if (this.#draft.title.trim() !== text) return;
        const before = this.#similar.map((question) => question.id).join();
        this.#similar = found;
        if (found.length && found.map((question) => question.id).join() !== before) {
          this.#announcer.announce(this.#t('similarCount', { count: found.length }));
        }
        this.requestUpdate();
      } catch {
        // Suggestions are a help, not a step: the visitor can still ask.
      }
    }, SIMILAR_DELAY_MS);
  }

  /** The question's length, counted as the server counts it (code points, after trimming); the server checks the rest. */
  #validate(): Partial<Record<AskField, string>> {
    const length = codePoints(this.#draft.title.trim().replace(/\s+/g, ' '));
    const { titleMin: min, titleMax: max } = QUESTION_LIMITS;
    return length < min || length > max ? { title: this.#t('titleLength', { min, max }) } : {};
  }

  async #ask(anyway = false): Promise<void> {
    const store = this.#store;
    if (!store || this.#asking) return;
    const errors = this.#validate();
    this.#errors = errors;
    this.requestUpdate();
    if (errors.title) {
      await focusRendered(this, '#ask-title');
      return;
    }
    const { title, details, visibility, notify, email } = this.#draft;
    if (!this.#maySend(ASK, `${title}\n\n${details}`, anyway)) return;
    this.#asking = true;
    this.requestUpdate();
    try {
      const question = await store.ask({
        title,
        details,
        visibility,
        ...(notify && email.trim() ? { notify: { email: email.trim(), consent: true as const } } : {}),
        ...(/^https?:/.test(location.href) && location.href.length <= 2000 ? { page: location.href } : {}),
      });
      this.#draft = emptyDraft();
      this.#similar = [];
      this.#crisisSeen.delete(ASK);
      dispatch(this, 'kindred-question-asked', { question });
      const held = question.status === 'held';
      if (held) dispatch(this, 'kindred-question-held', { question });
      this.#announcer.announce([this.#t('asked'), held ? this.#t('heldNote') : ''].filter(Boolean).join(' '));
      this.#asking = false;
      this.#open = null;
      await store.setTab('mine');
      if (question.notices?.includes('crisis')) await this.#showSupport(ASK, 'sent');
      else await focusRendered(this, `#q-${question.id}`);
    } catch (error) {
      this.#asking = false;
      this.#errors = { form: this.#errorText(error) };
      this.#announcer.announce(this.#errors.form!);
      this.requestUpdate();
    }
  }

  /**
   * The checks a draft goes through before anything is sent, with the rules
   * the server runs: crisis language (the support panel, once per draft; not
   * for an expert's answer), identifiers, and for an expert's answer signs of
   * a real patient (the warning, until "… anyway").
   */
  #maySend(anchor: string, text: string, anyway: boolean): boolean {
    this.#warning = null;
    this.requestUpdate();
    if (anyway) return true;
    const answer = isAnswer(anchor);
    if (!answer && !this.#crisisSeen.has(anchor) && detectCrisis(text)) {
      this.#crisisSeen.add(anchor);
      void this.#showSupport(anchor, 'draft');
      return false;
    }
    const identifiers = findIdentifiers(text);
    const disclosure = answer && findPatientDisclosure(text).length > 0;
    if (identifiers.length || disclosure) this.#warning = { anchor, identifiers, disclosure };
    return !this.#warning;
  }

  #dropWarning(anchor: string): void {
    if (this.#warning?.anchor === anchor) this.#warning = null;
  }

  #sendAnyway(anchor: string): Promise<void> | void {
    if (anchor === ASK) return this.#ask(true);
    const question = this.#store?.find(questionOf(anchor));
    if (question) return this.#sendReply(question, anchor, true);
  }

  /** "Edit my …": back into the text with the first thing found selected. */
  async #editDraft(): Promise<void> {
    const warning = this.#warning;
    if (!warning) return;
    this.#warning = null;
    this.requestUpdate();
    let selector = this.#fieldOf(warning.anchor);
    let first = warning.identifiers[0] ? { start: warning.identifiers[0].start, end: warning.identifiers[0].end } : null;
    // The question's checks ran on the title and details together.
    const titleEnd = this.#draft.title.length + 2;
    if (warning.anchor === ASK && first && first.start >= titleEnd) {
      selector = '#ask-details';
      first = { start: first.start - titleEnd, end: first.end - titleEnd };
    }
    await focusSelecting(this, selector, first);
  }

  #fieldOf(anchor: string): string {
    return anchor === ASK ? '#ask-title' : `#${anchor}-body`;
  }

  async #showSupport(anchor: string, stage: CrisisStage): Promise<void> {
    this.#crisis = { anchor, stage };
    this.requestUpdate();
    dispatch(this, 'kindred-crisis-support-shown', { stage });
    await focusRendered(this, '[part~="crisis-panel"]');
  }

  /** Closing the panel returns focus to the text it was about, or to the question it sits in. */
  async #closeSupport(): Promise<void> {
    const anchor = this.#crisis?.anchor;
    this.#crisis = null;
    this.requestUpdate();
    if (!anchor) return;
    await this.updateComplete;
    const field = this.renderRoot.querySelector(this.#fieldOf(anchor));
    await focusRendered(this, field ? this.#fieldOf(anchor) : anchor === ASK ? '#panel' : `#q-${questionOf(anchor)}`);
  }

  async #openForm(id: string | null, form: QuestionForm = 'follow-up'): Promise<void> {
    const closing = this.#open;
    if (closing) this.#dropWarning(followUpAnchor(closing.id));
    if (closing?.form === 'follow-up') this.#replies.delete(followUpAnchor(closing.id));
    this.#open = id ? { id, form } : null;
    this.#formDraft = '';
    this.#formError = '';
    this.#reportReason = null;
    this.requestUpdate();
    if (id) {
      const first = { delete: '[data-autofocus]', report: '[name="report-reason"]' }[form as string];
      await focusRendered(this, first ?? this.#fieldOf(followUpAnchor(id)));
    } else if (closing) {
      // A cancelled form returns focus to the button that opened it, else to its question.
      await this.updateComplete;
      const opener = closing.form === 'report' ? `[data-report="${closing.id}"]` : `#q-${closing.id} [part~="${closing.form}-button"]`;
      const back = this.renderRoot.querySelector(opener) ? opener : `#q-${closing.id}`;
      await focusRendered(this, this.renderRoot.querySelector(back) ? back : '#panel');
    }
  }

  /** Sends the open report or deletion. */
  async #submitForm(question: QuestionItem, targetId: string): Promise<void> {
    const store = this.#store;
    const form = this.#open?.form;
    if (!store || !form) return;
    try {
      if (form === 'report') {
        await this.#report(store, question, targetId);
      } else {
        await store.remove(question.id);
        this.#open = null;
        this.#announcer.announce(this.#t('questionDeleted'));
        await focusRendered(this, '#panel');
      }
    } catch (error) {
      this.#formError = this.#errorText(error);
      this.requestUpdate();
    }
  }

  async #report(store: QuestionStore, question: QuestionItem, postId: string): Promise<void> {
    const reason = this.#reportReason;
    if (!reason) {
      this.#formError = this.#t('chooseReason');
      this.requestUpdate();
      await focusRendered(this, '[name="report-reason"]');
      return;
    }
    const { hidden } = await store.report(postId, reason, this.#formDraft);
    this.#open = null;
    this.#announcer.announce(this.#t('reportThanks'));
    dispatch(this, 'kindred-post-reported', { postId, reason, hidden });
    await focusRendered(this, this.renderRoot.querySelector(`#q-${question.id}`) ? `#q-${question.id}` : '#panel');
  }

  /**
   * A reply — an expert's answer or the asker's follow-up — checked, sent and
   * worded. After an answer focus moves on to the next question waiting (the
   * answered one has left the inbox); after a follow-up, to its question.
   */
  async #sendReply(question: QuestionItem, anchor: string, anyway = false): Promise<void> {
    const store = this.#store;
    const draft = this.#replies.get(anchor) ?? NO_REPLY;
    if (!store || draft.busy) return;
    const update = (change: Partial<ReplyDraft>): void => {
      this.#replies.set(anchor, { ...draft, ...change });
      this.requestUpdate();
    };
    if (!draft.value.trim()) {
      update({ error: this.#t('emptyBody') });
      return focusRendered(this, this.#fieldOf(anchor));
    }
    if (!this.#maySend(anchor, draft.value, anyway)) return;
    const waiting = store.questions;
    const index = waiting.findIndex((each) => each.id === question.id);
    update({ error: '', busy: true });
    try {
      const { question: stored, answer } = await store.reply(question.id, draft.value);
      this.#replies.delete(anchor);
      this.#crisisSeen.delete(anchor);
      if (answer.expert) dispatch(this, 'kindred-answer-published', { question: stored, answer });
      const held = answer.status === 'held' ? this.#t(answer.expert ? 'answerHeld' : 'heldNote') : '';
      this.#announcer.announce(`${this.#t(answer.expert ? 'answerPublished' : 'followUpSent')} ${held}`.trim());
      if (isAnswer(anchor)) {
        await this.updateComplete;
        const next = store.questions.find((each) => each.id === question.id) ?? waiting[index + 1] ?? waiting[index - 1];
        await focusRendered(this, next && this.renderRoot.querySelector(`#q-${next.id}`) ? `#q-${next.id}` : `#tab-${store.tab}`);
      } else {
        this.#open = null;
        if (answer.notices?.includes('crisis')) await this.#showSupport(anchor, 'sent');
        else await focusRendered(this, `#q-${question.id}`);
      }
    } catch (error) {
      update({ busy: false, error: this.#errorText(error) });
      this.#announcer.announce(this.#errorText(error));
    }
  }

  async #helpful(answer: QuestionAnswer, on: boolean): Promise<void> {
    try {
      await this.#store?.markHelpful(answer.id, on);
    } catch (error) {
      this.#announcer.announce(this.#errorText(error));
    }
  }

  #loadMore = async (): Promise<void> => {
    try {
      const ids = (await this.#store?.loadMore()) ?? [];
      if (ids[0]) await focusRendered(this, `#q-${ids[0]}`);
    } catch (error) {
      this.#announcer.announce(this.#errorText(error));
    }
  };

  #errorText(error: unknown): string {
    return errorText(this.#i18n, error, WORDED, this.#guest.siteName);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'kindred-ask-expert': KindredAskExpert;
  }
  interface HTMLElementEventMap {
    /** The server stored a question the visitor asked in `<kindred-ask-expert>`. */
    'kindred-question-asked': CustomEvent<{ question: QuestionView }>;
    /** The visitor's question is waiting for a moderator's review; only they can see it. */
    'kindred-question-held': CustomEvent<{ question: QuestionView }>;
    /** An expert's answer was stored (`answer.status` is `held` when it waits for review). */
    'kindred-answer-published': CustomEvent<{ question: QuestionView; answer: AnswerView }>;
  }
}
