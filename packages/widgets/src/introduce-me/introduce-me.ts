import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { IntroMessageView, IntroductionView, ProfileView, ReportReason, WriteNotice } from '@kindred/protocol';
import { detectCrisis, findIdentifiers } from '@kindred/protocol/safety';
import {
  KindredError,
  getIntroductionStore,
  type IntroMessage,
  type IntroductionChange,
  type IntroductionStore,
} from '@kindred/client';
import { Announcer } from '../controllers/announcer.js';
import { ConnectionController } from '../controllers/connection-controller.js';
import { KindredElement } from '../controllers/kindred-element.js';
import { dispatch } from '../shared/dispatch.js';
import { WORDED_REFUSALS, errorText } from '../shared/error-text.js';
import { focusRendered, focusSelecting } from '../controllers/focus.js';
import { GuestSignIn } from '../shared/guest-sign-in.js';
import { StoreController } from '../shared/store-controller.js';
import { visitorStyles } from '../shared/visitor.styles.js';
import { baseStyles } from '../styles/base.styles.js';
import { renderText } from '../text/render-text.js';
import { renderCrisisPanel, type CrisisStage } from '../thread/safety-notes.js';
import { renderConversation, type MessageDraft, type MessageForm } from './conversation.js';
import { IntroduceMeLocalizer } from './introduce-me-i18n.js';
import { introduceMeStyles } from './introduce-me.styles.js';
import { renderIntroductionCard } from './introduction-card.js';
import {
  JOIN_FIELDS,
  draftOf,
  emptyDraft,
  fieldSelector,
  renderJoinForm,
  validateDraft,
  type JoinDraft,
  type JoinErrors,
  type JoinField,
} from './join-form.js';
import { renderAboutNotes, renderMemberActions, renderMemberStatus, renderProfileSummary } from './member-panel.js';
import { renderSafetyWarning, type SafetyWarning } from './safety-warning.js';

/** The anchor of the about-me's warning and support panel; a conversation's are anchored by its introduction id. */
const ABOUT = 'about';

const NO_DRAFT: MessageDraft = { value: '', error: '', busy: false };

/**
 * Introduce-me: opt-in introductions between members of a community who
 * share their topics. Members opt in with a short profile; rounds (on the
 * site's schedule, or run by the hospital) suggest one person at a time;
 * when both say yes a private conversation opens here. A decline is never
 * shown to the other member. Pause and Leave are one click away.
 *
 * @summary Opt-in peer and mentor introductions with a private conversation on mutual yes.
 *
 * @attr community - The community (a lower-case slug, e.g. `joint-replacement`).
 * @attr server - Overrides the Kindred server URL the loader configured.
 * @attr site - Overrides the site id the loader configured.
 * @attr auth-url - Overrides the host site's sign-in token endpoint the loader configured (`data-auth-url`).
 * @attr theme - light | dark | high-contrast | auto: a built-in theme (`auto` follows `prefers-color-scheme`); unset, the light tokens on the page's own background.
 *
 * @fires kindred-joined - The visitor opted in. `detail: { profile, notices }` (`notices` may say the about-me is `held`).
 * @fires kindred-profile-updated - A member saved a changed profile. `detail: { profile, notices }`.
 * @fires kindred-paused - A member paused or resumed introductions. `detail: { paused }`.
 * @fires kindred-left - A member left: their profile, introductions and conversations were deleted. `detail: { community }`.
 * @fires kindred-introduction-answered - The member answered a proposed introduction. `detail: { introductionId, accepted }`.
 * @fires kindred-introduction-connected - Both said yes: the conversation is open. `detail: { introduction }`.
 * @fires kindred-message-sent - The server stored a message the member sent (it may be held: see `message.status`). `detail: { introductionId, message }`.
 * @fires kindred-blocked - The member ended a conversation and blocked the other member. `detail: { introductionId }`.
 * @fires kindred-post-reported - The member reported a message. `detail: { postId, reason, hidden }`.
 * @fires kindred-crisis-support-shown - The crisis support panel opened, before sending or after the server flagged the text. `detail: { stage: 'draft' | 'sent' }`.
 * @fires kindred-signed-in - The visitor took a guest identity. `detail: { user }`.
 *
 * @csspart base - The wrapper of everything.
 * @csspart status - The loading or offline line.
 * @csspart error - An error message.
 * @csspart retry - The Retry button after a failure.
 * @csspart disclaimer - The site's medical-advice disclaimer (only when the site set one).
 * @csspart explainer - "How introductions work": what happens and who sees what (a disclosure once the visitor is a member).
 * @csspart sign-in - The display-name form.
 * @csspart name-input - The display-name field.
 * @csspart sign-in-error - "We couldn't confirm your sign-in": the server refused the host site's token.
 * @csspart guests-denied - "Sign in on <site> to take part", where the site allows no guests.
 * @csspart identity - "Signed in as <name>".
 * @csspart member-note - "Signed in with <site>" beside a member's name.
 * @csspart sign-out - A guest's Sign out button.
 * @csspart join-form - The opt-in form (also used to edit the profile).
 * @csspart roles - Patient / caregiver / mentor.
 * @csspart wants - Peer or mentor, for patients and caregivers.
 * @csspart topics - The community's topics, as checkboxes.
 * @csspart topic - One topic, with its stage once ticked.
 * @csspart stage-select - A topic's stage.
 * @csspart languages - The community's languages, as checkboxes.
 * @csspart about-input - The about-me field.
 * @csspart counter - Characters left in the about-me or a message.
 * @csspart consent - The consent checkbox and its words.
 * @csspart join-button - Join / Save changes.
 * @csspart identifier-warning - The warning shown instead of sending a draft with identifiers (an alert).
 * @csspart edit-draft-button - "Edit my about-me" / "Edit my message" in the warning.
 * @csspart post-anyway-button - "Save anyway" / "Send anyway" in the warning.
 * @csspart crisis-panel - The support panel for text that suggests someone may be at risk.
 * @csspart crisis-close - The button that closes it.
 * @csspart member - Everything a member sees.
 * @csspart member-actions - Edit profile, Pause / Resume, Leave.
 * @csspart edit-profile-button - Edit profile.
 * @csspart pause-button - Pause introductions / Resume introductions.
 * @csspart leave-button - Leave introductions.
 * @csspart leave-confirm - The confirmation that leaving deletes everything.
 * @csspart confirm - Every inline confirmation (leave, block, delete).
 * @csspart danger - The button that confirms a deletion or a block.
 * @csspart status-heading - The heading of the member's status (focus goes here after joining and answering).
 * @csspart member-status - "You're in" with the next round, or "Introductions are paused".
 * @csspart next-round - "The next round is on <date>."
 * @csspart held-note - The about-me or a message waiting for a moderator.
 * @csspart masked-note - "Some details … were hidden to protect your privacy."
 * @csspart removed-note - The about-me or a message a moderator did not approve.
 * @csspart proposal - A proposed introduction.
 * @csspart other-role - The other member's role.
 * @csspart other-about - The other member's about-me.
 * @csspart reasons - Why we suggested them.
 * @csspart reason - One reason.
 * @csspart lapses - When the suggestion lapses.
 * @csspart answer-buttons - Yes, introduce us / No thanks.
 * @csspart accept-button - Yes, introduce us.
 * @csspart decline-button - No thanks.
 * @csspart waiting - After saying yes: what happens next.
 * @csspart conversation-list - The buttons that switch between conversations (with more than one).
 * @csspart conversation - One conversation (also `conversation-ended` once it ended).
 * @csspart conversation-heading - Its heading.
 * @csspart ended-note - "This conversation has ended."
 * @csspart messages - The log of messages.
 * @csspart empty - "No messages yet."
 * @csspart message - One message (also `message-mine` for the member's own).
 * @csspart author - Who wrote it ("You" for the member).
 * @csspart time - When it was written.
 * @csspart body - The text of a message.
 * @csspart actions - A message's buttons.
 * @csspart report-button - Report, on the other member's message.
 * @csspart report-form - The inline report form.
 * @csspart report-reasons - Its reasons (radio buttons).
 * @csspart report-note - Its optional note.
 * @csspart report-thanks - "Thanks — a moderator will take a look." once sent.
 * @csspart delete-button - Delete, on the member's own message.
 * @csspart load-more - "Load earlier messages".
 * @csspart composer - The message form.
 * @csspart message-input - The message field.
 * @csspart send-button - Send, and Send report.
 * @csspart cancel-button - Cancel in an inline form.
 * @csspart block-button - "End and block".
 * @csspart block-confirm - Its confirmation.
 * @csspart profile - The member's own profile as saved.
 * @csspart about - The member's about-me in it.
 * @csspart textarea - Every multi-line field.
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
 * @cssprop [--kindred-intro-gap=var(--kindred-space-m)] - Space between the element's blocks.
 * @cssprop [--kindred-intro-mine-surface=var(--kindred-color-surface-alt)] - Background of the member's own messages.
 */
export class KindredIntroduceMe extends KindredElement {
  static override styles = [baseStyles, visitorStyles, introduceMeStyles];

  static override properties = {
    community: { type: String },
  };

  declare community: string;

  #connection = new ConnectionController(this);
  #announcer = new Announcer(this);
  #i18n = new IntroduceMeLocalizer(this);
  #stores = new StoreController(this, this.#connection, getIntroductionStore, (change: IntroductionChange) => this.#onChange(change));
  #guest = new GuestSignIn(this, this.#connection, {
    i18n: this.#i18n,
    errorText: (error) => this.#errorText(error),
    signedIn: async () => {
      await this.#settled();
      await this.#focus(this.#store?.profile ? '#intro-status' : '#join-heading');
    },
  });
  /** Whose drafts these are. */
  #viewer: string | null = null;
  /** The opt-in form's choices; null until the form is shown. */
  #draft: JoinDraft | null = null;
  #errors: JoinErrors = {};
  #editing = false;
  #joining = false;
  #answering: string | null = null;
  #answerError = '';
  #confirmLeave = false;
  #memberBusy = false;
  #memberError = '';
  /** The conversation shown when there are several. */
  #selected: string | null = null;
  #drafts = new Map<string, MessageDraft>();
  #open: { messageId: string; form: MessageForm } | null = null;
  #reportReason: ReportReason | null = null;
  #note = '';
  #formError = '';
  #confirmBlock: string | null = null;
  #blockError = '';
  #warning: SafetyWarning | null = null;
  #crisis: { anchor: string; stage: CrisisStage } | null = null;
  /** Drafts that have had the support panel before sending: the next send goes ahead. */
  #crisisSeen = new Set<string>();

  constructor() {
    super();
    this.community = '';
    this.server = '';
    this.site = '';
    this.authUrl = '';
  }

  protected override get strings(): IntroduceMeLocalizer {
    return this.#i18n;
  }

  protected override willUpdate(_changed: PropertyValues<this>): void {
    this.#followViewer();
    this.#stores.follow(this, this.community);
  }

  get #store(): IntroductionStore | null {
    return this.#stores.store;
  }

  /** The conversation on show is loaded as soon as it is shown. */
  protected override updated(): void {
    const store = this.#store;
    const shown = store?.status === 'ready' && store.profile ? this.#shownConversation(store) : null;
    if (store && shown && !store.conversation(shown.id)) void store.openConversation(shown.id);
  }

  /** Another visitor (a sign-out, a sign-in) starts from a clean form: nothing of the previous one's drafts stays. */
  #followViewer(): void {
    const viewer = this.#connection.identity?.id ?? null;
    if (viewer === this.#viewer) return;
    this.#viewer = viewer;
    this.#draft = this.#warning = this.#crisis = this.#open = this.#confirmBlock = this.#selected = null;
    this.#errors = {};
    this.#editing = this.#confirmLeave = false;
    this.#drafts.clear();
    this.#crisisSeen.clear();
  }

  #t: IntroduceMeLocalizer['t'] = (key, params) => this.#i18n.t(key, params);

  /** Live news, announced politely and in batches; focus follows only when the block it was in went away. */
  #onChange(change: IntroductionChange): void {
    const store = this.#store!;
    const focusWasPending = !!this.renderRoot?.querySelector?.('[part~="proposal"]:focus-within, [part~="waiting"]:focus-within');
    const focusedStatus = this.renderRoot?.querySelector?.<HTMLElement>('#intro-status:focus');
    this.requestUpdate();
    // The status heading that had focus gave way to another (e.g. "You're in" to a proposal's): focus moves to the new one.
    if (focusedStatus && !focusWasPending) {
      void this.updateComplete.then(() => (focusedStatus.isConnected ? undefined : this.#focus('#intro-status')));
    }
    for (const introduction of change.proposed) this.#announcer.announce(this.#t('proposedLive', { name: introduction.other.name }));
    for (const introduction of change.connected) {
      this.#selected = introduction.id;
      this.#announcer.announce(this.#t('connectedLive', { name: introduction.other.name }));
      dispatch(this, 'kindred-introduction-connected', { introduction });
      if (focusWasPending) void this.#focus(`#conv-${introduction.id}`);
    }
    for (const introduction of change.ended) this.#announcer.announce(this.#t('endedLive', { name: introduction.other.name }));
    if (change.removed) {
      this.#announcer.announce(this.#t('removedLive'));
      if (focusWasPending) void this.#focus('#intro-status');
    }
    for (const message of change.messages) {
      const name = store.find(message.introductionId)?.other.name ?? message.authorName;
      this.#announcer.tally(`messages-${message.introductionId}`, 1, (count) => this.#t('newMessages', { count, name }));
    }
    const decided = change.profile?.aboutStatus;
    if (decided === 'published') this.#announcer.announce(this.#t('aboutApproved'));
    else if (decided === 'rejected' || decided === 'removed') this.#announcer.announce(this.#t('aboutRejectedNoReason'));
  }

  override render(): TemplateResult {
    const store = this.#store;
    const status = this.#connection.status;
    return html`<section part="base" aria-labelledby="kindred-intro-title" aria-busy=${store?.status === 'loading' ? 'true' : 'false'}>
      ${this.#announcer.render()}
      <h2 id="kindred-intro-title" class="visually-hidden">${this.#t('title')}</h2>
      ${status === 'refused' || !store
        ? html`<p part="error" role="alert">${this.#t('refused')}</p>`
        : this.#renderBody(store, status === 'offline')}
    </section>`;
  }

  #renderBody(store: IntroductionStore, offline: boolean): TemplateResult {
    const { rateLimited, site } = store.connection;
    return html`${offline ? html`<p part="status" role="status">${this.#t(rateLimited ? 'connectLimited' : 'offline')}</p>` : nothing}
      ${site?.disclaimer ? html`<div part="disclaimer">${renderText(site.disclaimer)}</div>` : nothing}
      ${this.#renderExplainer(!!store.profile)} ${this.#renderState(store, offline)}`;
  }

  /** Open in full until the visitor opts in; a member has read it, and keeps it one click away. */
  #renderExplainer(member: boolean): TemplateResult {
    const points = html`<ul>
      <li>${this.#t('howSuggest')}</li>
      <li>${this.#t('howSees')}</li>
      <li>${this.#t('howBothYes')}</li>
      <li>${this.#t('howPrivate')}</li>
      <li>${this.#t('howLeave')}</li>
    </ul>`;
    if (member) {
      return html`<details part="explainer">
        <summary>${this.#t('howHeading')}</summary>
        ${points}
      </details>`;
    }
    return html`<section part="explainer" aria-labelledby="how-heading">
      <h3 id="how-heading">${this.#t('howHeading')}</h3>
      ${points}
    </section>`;
  }

  #renderState(store: IntroductionStore, offline: boolean): TemplateResult | typeof nothing {
    // Never reached the server, or it failed to answer: say so, and offer a retry.
    if (store.status === 'error' || (store.status === 'loading' && offline)) {
      const missing = store.error?.code === 'NOT_FOUND';
      return html`<div part="error" role="alert">
        ${missing ? this.#t('communityMissing') : this.#t('loadError')}
        ${store.error && !offline && !missing ? this.#errorText(store.error) : ''}
        <button part="button retry" @click=${() => (offline ? store.connection.reconnect() : void store.reload())}>
          ${this.#t('retry')}
        </button>
      </div>`;
    }
    if (!this.#connection.identity) return html`${this.#guest.renderRefusal()}${this.#guest.renderForm()}`;
    if (store.status === 'loading' || !store.community) {
      return html`<p part="status" role="status">${this.#t('loading')}</p>`;
    }
    const profile = store.profile;
    if (!profile) return html`${this.#renderIdentity()}${this.#renderJoin(store, null)}`;
    if (this.#editing) {
      return html`<div part="member">${this.#renderIdentity()}${this.#renderMemberActions(profile)}${this.#renderJoin(store, profile)}</div>`;
    }
    return this.#renderMember(store, profile);
  }

  #renderMemberActions(profile: ProfileView): TemplateResult {
    return renderMemberActions({
      i18n: this.#i18n,
      profile,
      confirmLeave: this.#confirmLeave,
      busy: this.#memberBusy,
      error: this.#memberError,
      onEdit: () => void this.#edit(),
      onPause: (paused) => void this.#pause(paused),
      onLeave: () => void this.#askLeave(),
      onConfirmLeave: () => void this.#leave(),
      onCancelLeave: () => void this.#cancelLeave(),
    });
  }

  #renderIdentity(): TemplateResult {
    return this.#guest.renderIdentity((name) => this.#t('signedInAs', { name }));
  }

  #renderJoin(store: IntroductionStore, profile: ProfileView | null): TemplateResult {
    this.#draft ??= profile ? draftOf(profile) : emptyDraft(store.community, this.#i18n.locale);
    return renderJoinForm({
      i18n: this.#i18n,
      community: store.community!,
      draft: this.#draft,
      errors: this.#errors,
      busy: this.#joining,
      editing: !!profile,
      onChange: (change) => this.#changeDraft(change),
      onSubmit: () => void this.#join(),
      onCancel: () => void this.#cancelEdit(),
      notice: html`${this.#renderWarning(ABOUT)}${this.#renderSupport(ABOUT)}`,
    });
  }

  #renderMember(store: IntroductionStore, profile: ProfileView): TemplateResult {
    const community = store.community!;
    const pending = store.pending;
    return html`<div part="member">
      ${this.#renderIdentity()} ${this.#renderMemberActions(profile)}
      ${this.#renderSupport(ABOUT)}
      ${pending
        ? renderIntroductionCard({
            i18n: this.#i18n,
            community,
            introduction: pending,
            busy: this.#answering === pending.id,
            error: this.#answerError,
            onAnswer: (accept) => void this.#answer(pending, accept),
          })
        : renderMemberStatus(this.#i18n, community, profile, Date.now())}
      ${renderAboutNotes(this.#i18n, profile, store.profileNotices)} ${this.#renderConversations(store)}
      ${renderProfileSummary(this.#i18n, community, profile)}
    </div>`;
  }

  /** The conversation on show: the one chosen, else the newest open one, else the newest ended one. */
  #shownConversation(store: IntroductionStore): IntroductionView | null {
    const conversations = store.conversations;
    return (
      conversations.find((each) => each.id === this.#selected) ??
      conversations.find((each) => each.status === 'connected') ??
      conversations[0] ??
      null
    );
  }

  #renderConversations(store: IntroductionStore): TemplateResult | typeof nothing {
    const shown = this.#shownConversation(store);
    if (!shown) return nothing;
    const conversations = store.conversations;
    const { id } = shown;
    const open = this.#open && store.conversation(id)?.messages.some((message) => message.id === this.#open?.messageId);
    return html`${conversations.length > 1
        ? html`<div part="conversation-list" role="group" aria-label=${this.#t('conversationsHeading')}>
            ${conversations.map(
              (each) => html`<button
                part="button"
                aria-pressed=${each.id === id ? 'true' : 'false'}
                @click=${() => void this.#select(each.id)}
              >
                ${each.status === 'ended' ? this.#t('conversationEnded', { name: each.other.name }) : each.other.name}
              </button>`,
            )}
          </div>`
        : nothing}
      ${renderConversation({
        i18n: this.#i18n,
        store,
        introduction: shown,
        conversation: store.conversation(id),
        now: Date.now(),
        draft: this.#drafts.get(id) ?? NO_DRAFT,
        open: open ? this.#open : null,
        reportReason: this.#reportReason,
        note: this.#note,
        formError: this.#formError,
        confirmBlock: this.#confirmBlock === id,
        blockError: this.#blockError,
        onDraft: (value) => {
          this.#drafts.set(id, { ...(this.#drafts.get(id) ?? NO_DRAFT), value, error: '' });
          if (this.#warning?.anchor === id) this.#warning = null;
          this.requestUpdate();
        },
        onSend: () => void this.#send(shown),
        onLoadOlder: () => void this.#loadOlder(id),
        onRetry: () => void store.openConversation(id),
        openForm: (message, form) => void this.#openForm(message, form),
        closeForm: () => void this.#closeForm(),
        chooseReason: (reason) => {
          this.#reportReason = reason;
          this.#formError = '';
          this.requestUpdate();
        },
        onNote: (note) => {
          this.#note = note;
          this.requestUpdate();
        },
        submitForm: (message) => void this.#submitForm(shown, message),
        askBlock: () => void this.#askBlock(id),
        cancelBlock: () => void this.#cancelBlock(id),
        block: () => void this.#block(shown),
        notice: html`${this.#renderWarning(id)}${this.#renderSupport(id)}`,
      })}`;
  }

  #renderWarning(anchor: string): TemplateResult | typeof nothing {
    const warning = this.#warning;
    if (warning?.anchor !== anchor) return nothing;
    return renderSafetyWarning(
      this.#i18n,
      warning,
      () => void this.#editDraft(),
      () => void (anchor === ABOUT ? this.#join(true) : this.#sendAnyway(anchor)),
    );
  }

  #renderSupport(anchor: string): TemplateResult | typeof nothing {
    const crisis = this.#crisis;
    if (crisis?.anchor !== anchor) return nothing;
    const resources = this.#connection.connection?.site?.crisisResources;
    return renderCrisisPanel(this.#i18n, resources, crisis.stage, () => void this.#closeSupport());
  }

  /** Resolves once the store has loaded (or failed to load) the state for the current viewer. */
  #settled(): Promise<void> {
    return new Promise((resolve) => {
      const store = this.#store;
      if (!store || store.status !== 'loading') return resolve();
      const unsubscribe = store.subscribe(() => {
        if (store.status === 'loading') return;
        unsubscribe();
        resolve();
      });
    });
  }

  #changeDraft(change: Partial<JoinDraft>): void {
    if (!this.#draft) return;
    this.#draft = { ...this.#draft, ...change };
    for (const field of Object.keys(change) as JoinField[]) delete this.#errors[field];
    if (change.about !== undefined && this.#warning?.anchor === ABOUT) this.#warning = null;
    this.requestUpdate();
  }

  async #join(anyway = false): Promise<void> {
    const store = this.#store;
    const draft = this.#draft;
    if (!store || !draft || this.#joining) return;
    const errors = validateDraft(this.#i18n, draft);
    this.#errors = errors;
    this.requestUpdate();
    const problems = JOIN_FIELDS.filter((field) => errors[field]);
    if (problems.length) {
      this.#announcer.announce(this.#t('formProblems', { count: problems.length }));
      await this.#focus(fieldSelector(problems[0]!));
      return;
    }
    if (!this.#maySend(ABOUT, draft.about, anyway)) return;
    const editing = !!store.profile;
    this.#joining = true;
    this.requestUpdate();
    try {
      const { profile, notices } = await store.join({
        role: draft.role!,
        wants: draft.wants,
        topics: draft.topics,
        languages: draft.languages,
        about: draft.about,
      });
      this.#editing = false;
      this.#draft = null;
      this.#crisisSeen.delete(ABOUT);
      dispatch(this, editing ? 'kindred-profile-updated' : 'kindred-joined', { profile, notices });
      const held = notices.includes('held') || profile.aboutStatus === 'held';
      const said = [this.#t(editing ? 'profileSaved' : 'joined'), held ? this.#t('aboutHeld') : ''];
      if (notices.includes('masked')) said.push(this.#t('aboutMasked'));
      this.#announcer.announce(said.filter(Boolean).join(' '));
      this.#joining = false;
      if (notices.includes('crisis')) await this.#showSupport(ABOUT, 'sent');
      else await this.#focus('#intro-status');
    } catch (error) {
      this.#joining = false;
      const text = this.#errorText(error);
      const field = this.#fieldOf(error);
      this.#errors = field ? { [field]: text } : { form: text };
      this.#announcer.announce(text);
      this.requestUpdate();
      if (field) await this.#focus(fieldSelector(field));
    }
  }

  /** The form field an INVALID_INPUT refusal names (`topics.0.stage` is the topics), if it is one of the form's. */
  #fieldOf(error: unknown): JoinField | null {
    const name = error instanceof KindredError && error.code === 'INVALID_INPUT' ? error.field?.split('.')[0] : undefined;
    return (JOIN_FIELDS as readonly string[]).includes(name ?? '') ? (name as JoinField) : null;
  }

  async #edit(): Promise<void> {
    const profile = this.#store?.profile;
    if (!profile) return;
    this.#editing = true;
    this.#confirmLeave = false;
    this.#draft = draftOf(profile);
    this.#errors = {};
    this.requestUpdate();
    await this.#focus('#join-heading');
  }

  async #cancelEdit(): Promise<void> {
    this.#editing = false;
    this.#draft = null;
    this.#errors = {};
    this.#warning = null;
    if (this.#crisis?.anchor === ABOUT) this.#crisis = null;
    this.requestUpdate();
    await this.#focus('#edit-profile');
  }

  async #pause(paused: boolean): Promise<void> {
    const store = this.#store;
    if (!store || this.#memberBusy) return;
    this.#memberBusy = true;
    this.#memberError = '';
    this.requestUpdate();
    try {
      await store.setPaused(paused);
      this.#announcer.announce(this.#t(paused ? 'paused' : 'resumed'));
      dispatch(this, 'kindred-paused', { paused });
    } catch (error) {
      this.#memberError = this.#errorText(error);
      this.#announcer.announce(this.#memberError);
    }
    this.#memberBusy = false;
    this.requestUpdate();
  }

  async #askLeave(): Promise<void> {
    this.#confirmLeave = true;
    this.#memberError = '';
    this.requestUpdate();
    await this.#focus('[part~="leave-confirm"] [data-autofocus]');
  }

  async #cancelLeave(): Promise<void> {
    this.#confirmLeave = false;
    this.requestUpdate();
    await this.#focus('#leave');
  }

  async #leave(): Promise<void> {
    const store = this.#store;
    if (!store || this.#memberBusy) return;
    this.#memberBusy = true;
    this.requestUpdate();
    try {
      await store.leave();
      this.#confirmLeave = false;
      this.#selected = this.#open = this.#confirmBlock = this.#warning = this.#crisis = null;
      this.#drafts.clear();
      this.#draft = null;
      this.#announcer.announce(this.#t('left'));
      dispatch(this, 'kindred-left', { community: store.communityId });
      this.#memberBusy = false;
      await this.#focus('#join-heading');
    } catch (error) {
      this.#memberBusy = false;
      this.#memberError = this.#errorText(error);
      this.#announcer.announce(this.#memberError);
      this.requestUpdate();
    }
  }

  async #answer(introduction: IntroductionView, accept: boolean): Promise<void> {
    const store = this.#store;
    if (!store || this.#answering) return;
    this.#answering = introduction.id;
    this.#answerError = '';
    this.requestUpdate();
    const name = introduction.other.name;
    try {
      const after = await store.answer(introduction.id, accept);
      this.#answering = null;
      dispatch(this, 'kindred-introduction-answered', { introductionId: introduction.id, accepted: accept });
      if (after?.status === 'connected') {
        this.#selected = after.id;
        this.#announcer.announce(this.#t('bothYes', { name }));
        dispatch(this, 'kindred-introduction-connected', { introduction: after });
        await this.#focus(`#conv-${after.id}`);
      } else {
        this.#announcer.announce(this.#t(accept ? 'accepted' : 'declined', { name }));
        await this.#focus('#intro-status');
      }
    } catch (error) {
      this.#answering = null;
      this.#answerError = this.#errorText(error);
      this.#announcer.announce(this.#answerError);
      this.requestUpdate();
    }
  }

  async #select(introductionId: string): Promise<void> {
    this.#selected = introductionId;
    this.#open = null;
    this.#confirmBlock = null;
    this.requestUpdate();
    await this.#focus(`#conv-${introductionId}`);
  }

  /**
   * The checks a message or about-me goes through before anything is sent,
   * with the rules the server runs: crisis language (the support panel, once
   * per draft), then identifiers (the warning, until "… anyway").
   */
  #maySend(anchor: string, text: string, anyway: boolean): boolean {
    this.#warning = null;
    this.requestUpdate();
    if (anyway) return true;
    if (!this.#crisisSeen.has(anchor) && detectCrisis(text)) {
      this.#crisisSeen.add(anchor);
      void this.#showSupport(anchor, 'draft');
      return false;
    }
    const identifiers = findIdentifiers(text);
    if (identifiers.length) this.#warning = { anchor, identifiers };
    return !this.#warning;
  }

  #fieldSelectorOf(anchor: string): string {
    return anchor === ABOUT ? '#about' : `#reply-${anchor}`;
  }

  /** "Edit my …": back into the text with the first thing found selected. */
  async #editDraft(): Promise<void> {
    const warning = this.#warning;
    if (!warning) return;
    this.#warning = null;
    this.requestUpdate();
    await focusSelecting(this, this.#fieldSelectorOf(warning.anchor), warning.identifiers[0]);
  }

  #sendAnyway(introductionId: string): Promise<void> | void {
    const introduction = this.#store?.find(introductionId);
    if (introduction) return this.#send(introduction, true);
  }

  async #showSupport(anchor: string, stage: CrisisStage): Promise<void> {
    this.#crisis = { anchor, stage };
    this.requestUpdate();
    dispatch(this, 'kindred-crisis-support-shown', { stage });
    await this.#focus('[part~="crisis-panel"]');
  }

  /** Closing the panel returns focus to the text it was about, or to the status after joining. */
  async #closeSupport(): Promise<void> {
    const anchor = this.#crisis?.anchor;
    this.#crisis = null;
    this.requestUpdate();
    if (!anchor) return;
    await this.updateComplete;
    const field = this.#fieldSelectorOf(anchor);
    await this.#focus(this.renderRoot.querySelector(field) ? field : anchor === ABOUT ? '#intro-status' : `#conv-${anchor}`);
  }

  async #send(introduction: IntroductionView, anyway = false): Promise<void> {
    const store = this.#store;
    const { id } = introduction;
    const draft = this.#drafts.get(id) ?? NO_DRAFT;
    if (!store || draft.busy) return;
    const update = (change: Partial<MessageDraft>): void => {
      this.#drafts.set(id, { ...(this.#drafts.get(id) ?? NO_DRAFT), ...change });
      this.requestUpdate();
    };
    const field = this.#fieldSelectorOf(id);
    if (!draft.value.trim()) {
      update({ error: this.#t('emptyBody') });
      return this.#focus(field);
    }
    if (!this.#maySend(id, draft.value, anyway)) return;
    update({ error: '', busy: true });
    try {
      const message = await store.send(id, draft.value);
      this.#drafts.delete(id);
      this.#crisisSeen.delete(id);
      dispatch(this, 'kindred-message-sent', { introductionId: id, message });
      const held = message.status === 'held' ? this.#t('messageHeld', { name: introduction.other.name }) : '';
      this.#announcer.announce(`${this.#t('sent')} ${held}`.trim());
      this.requestUpdate();
      if (message.notices?.includes('crisis')) await this.#showSupport(id, 'sent');
      else await this.#focus(field);
    } catch (error) {
      update({ busy: false, error: this.#errorText(error) });
      this.#announcer.announce(this.#errorText(error));
    }
  }

  async #loadOlder(introductionId: string): Promise<void> {
    try {
      const ids = (await this.#store?.loadOlder(introductionId)) ?? [];
      if (ids[0]) await this.#focus(`#m-${ids[0]}`);
    } catch (error) {
      this.#announcer.announce(this.#errorText(error));
    }
  }

  async #openForm(message: IntroMessage, form: MessageForm): Promise<void> {
    this.#open = { messageId: message.id, form };
    this.#reportReason = null;
    this.#note = '';
    this.#formError = '';
    this.requestUpdate();
    await this.#focus(`#m-${message.id} ${form === 'report' ? '[name="report-reason"]' : '[data-autofocus]'}`);
  }

  /** A cancelled form returns focus to the button that opened it. */
  async #closeForm(): Promise<void> {
    const closing = this.#open;
    this.#open = null;
    this.#formError = '';
    this.requestUpdate();
    if (!closing) return;
    await this.updateComplete;
    const opener = `[data-${closing.form}="${closing.messageId}"]`;
    await this.#focus(this.renderRoot.querySelector(opener) ? opener : `#m-${closing.messageId}`);
  }

  async #submitForm(introduction: IntroductionView, message: IntroMessage): Promise<void> {
    const store = this.#store;
    const form = this.#open?.form;
    if (!store || !form) return;
    try {
      if (form === 'report') {
        const reason = this.#reportReason;
        if (!reason) {
          this.#formError = this.#t('chooseReason');
          this.requestUpdate();
          await this.#focus(`#m-${message.id} [name="report-reason"]`);
          return;
        }
        const { hidden } = await store.report(message.id, reason, this.#note);
        this.#open = null;
        this.#announcer.announce(this.#t('reportThanks'));
        dispatch(this, 'kindred-post-reported', { postId: message.id, reason, hidden });
        await this.#focus(`#m-${message.id}`);
      } else {
        await store.deleteMessage(introduction.id, message.id);
        this.#open = null;
        this.#announcer.announce(this.#t('messageDeletedDone'));
        await this.#focus(this.renderRoot.querySelector(this.#fieldSelectorOf(introduction.id)) ? this.#fieldSelectorOf(introduction.id) : `#m-${message.id}`);
      }
    } catch (error) {
      this.#formError = this.#errorText(error);
      this.requestUpdate();
    }
  }

  async #askBlock(introductionId: string): Promise<void> {
    this.#confirmBlock = introductionId;
    this.#blockError = '';
    this.requestUpdate();
    await this.#focus('[part~="block-confirm"] [data-autofocus]');
  }

  async #cancelBlock(introductionId: string): Promise<void> {
    this.#confirmBlock = null;
    this.requestUpdate();
    await this.#focus(`[data-block="${introductionId}"]`);
  }

  async #block(introduction: IntroductionView): Promise<void> {
    const store = this.#store;
    if (!store) return;
    try {
      await store.block(introduction.id);
      this.#confirmBlock = null;
      this.#drafts.delete(introduction.id);
      this.#announcer.announce(this.#t('blocked', { name: introduction.other.name }));
      dispatch(this, 'kindred-blocked', { introductionId: introduction.id });
      await this.#focus(`#conv-${introduction.id}`);
    } catch (error) {
      this.#blockError = this.#errorText(error);
      this.requestUpdate();
    }
  }

  /** Renders what changed since the store last asked for it, then focuses. */
  #focus(selector: string): Promise<void> {
    this.requestUpdate();
    return focusRendered(this, selector);
  }

  #errorText(error: unknown): string {
    return errorText(this.#i18n, error, WORDED_REFUSALS, this.#guest.siteName);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'kindred-introduce-me': KindredIntroduceMe;
  }
  interface HTMLElementEventMap {
    /** The visitor opted in to introductions; `notices` may say the about-me waits for a moderator (`held`). */
    'kindred-joined': CustomEvent<{ profile: ProfileView; notices: WriteNotice[] }>;
    /** A member saved a changed profile. */
    'kindred-profile-updated': CustomEvent<{ profile: ProfileView; notices: WriteNotice[] }>;
    /** A member paused (`true`) or resumed introductions. */
    'kindred-paused': CustomEvent<{ paused: boolean }>;
    /** A member left: their profile, introductions and conversations in `community` were deleted. */
    'kindred-left': CustomEvent<{ community: string }>;
    /** The member said yes or no to a proposed introduction. */
    'kindred-introduction-answered': CustomEvent<{ introductionId: string; accepted: boolean }>;
    /** Both members said yes: the private conversation is open. */
    'kindred-introduction-connected': CustomEvent<{ introduction: IntroductionView }>;
    /** The server stored a message the member sent (`message.status` is `held` when it waits for review). */
    'kindred-message-sent': CustomEvent<{ introductionId: string; message: IntroMessageView }>;
    /** The member ended a conversation and blocked the other member. */
    'kindred-blocked': CustomEvent<{ introductionId: string }>;
  }
}
