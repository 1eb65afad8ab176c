import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type {
  AuditEntry,
  Identity,
  MemberAction,
  MemberStanding,
  ModerationItem,
  ModerationQueue,
  ModeratorAction,
} from '@kindred/protocol';
import { KindredError, readConfig, type Connection } from '@kindred/client';
import { Announcer } from '../controllers/announcer.js';
import { ConnectionController } from '../controllers/connection-controller.js';
import { KindredElement } from '../controllers/kindred-element.js';
import { auditQuery, renderAudit, type AuditFilters } from './audit-panel.js';
import { renderItem, type ItemAction, type ItemContext, type OpenAction } from './item-view.js';
import { ModerationLocalizer } from './moderation-i18n.js';
import { moderationStyles } from './moderation.styles.js';
import { baseStyles } from '../styles/base.styles.js';
import { tabAfterKey } from '../controllers/tab-keys.js';
import { QueueStore, type QueueChange, type QueueOrder } from './queue-store.js';
import { draftFieldOf, draftOf, renderSettings, settingsOf, type DraftField, type SettingsDraft } from './settings-panel.js';
import { focusRendered } from '../controllers/focus.js';

type Tab = ModerationQueue | 'settings' | 'audit';
// Spelled out here rather than imported, so the constants stay in this chunk and out of the thread page's shared one.
const QUEUES = ['held', 'reported', 'crisis'] as const satisfies readonly ModerationQueue[];
const TABS: Tab[] = [...QUEUES, 'settings', 'audit'];
const MEMBER_ACTIONS_SET = new Set<ItemAction>(['suspend', 'ban', 'reinstate']);

const isModerator = (identity: Identity | null): boolean =>
  !!identity?.roles?.some((role) => role === 'moderator' || role === 'admin');

/**
 * The moderator console: the Held, Reported and Crisis queues with live
 * counts, decisions on each post (approve, reject, edit, remove) and on its
 * author (suspend, ban, reinstate), the site's moderation settings and the
 * audit log with CSV export. Shown only to a signed-in moderator or admin:
 * the host site's sign-in (`auth-url`) says who that is, the server's
 * roles decide. Queues update live; a crisis post raises an assertive alert.
 *
 * @summary Moderator console: queues, decisions, settings and audit log.
 *
 * @attr server - Overrides the Kindred server URL the loader configured.
 * @attr site - Overrides the site id the loader configured.
 * @attr auth-url - Overrides the host site's sign-in token endpoint the loader configured (`data-auth-url`).
 * @attr theme - light | dark | high-contrast | auto: a built-in theme (`auto` follows `prefers-color-scheme`); unset, the light tokens on the page's own background.
 *
 * @fires kindred-moderated - A decision on a post or its author was stored. `detail: { action, item }`.
 * @fires kindred-crisis-alert - A crisis post arrived and the console raised its alert. `detail: { item }`.
 *
 * @csspart base - The wrapper of everything.
 * @csspart status - Connecting, offline and progress lines.
 * @csspart error - An error message (loading, an action, a settings field).
 * @csspart field-error - The error under one settings field.
 * @csspart not-moderator - "This console is for moderators", shown to everyone else.
 * @csspart identity - "Signed in as …".
 * @csspart crisis-alert - The assertive crisis alert banner.
 * @csspart open-crisis - The button that opens the Crisis queue from the alert.
 * @csspart tablist - The row of tabs.
 * @csspart tab - One tab (queues with their counts, Settings, Audit log).
 * @csspart tab-selected - The selected tab.
 * @csspart panel - The panel of the selected tab.
 * @csspart heading - A panel heading.
 * @csspart order - The queue order select.
 * @csspart list - The list of queued posts.
 * @csspart empty - "No held posts" and other empty states.
 * @csspart item - One queued post (an article).
 * @csspart item-header - Author, topic and times of a queued post.
 * @csspart author - The author's name, kind and standing.
 * @csspart author-kind - Guest or Member.
 * @csspart standing - Active, Suspended or Banned.
 * @csspart history - The author's approved and held counts.
 * @csspart topic - The topic of the post.
 * @csspart time - When the post was written.
 * @csspart entered - When the post entered the queue.
 * @csspart post-status - The post's status when it is not simply held.
 * @csspart body - The full post text.
 * @csspart why - Reasons, findings and reports.
 * @csspart reasons - Why the pipeline held it.
 * @csspart findings - What the pipeline found (e.g. a phone number).
 * @csspart reports - Report reasons with counts.
 * @csspart report-notes - Notes reporters left.
 * @csspart actions - Approve, Reject, Edit, Remove.
 * @csspart member-actions - Suspend, Ban or Reinstate the author.
 * @csspart confirm - The inline confirmation of an action.
 * @csspart confirm-title - What the confirmation will do.
 * @csspart confirm-button - The button that carries the action out.
 * @csspart cancel - The Cancel button.
 * @csspart textarea - Every multi-line field.
 * @csspart input - Every single-line field.
 * @csspart days - The suspension length field.
 * @csspart button - Every button.
 * @csspart primary - The primary button of a group.
 * @csspart load-more - The "Load more" buttons.
 * @csspart retry - The Retry button after a failure.
 * @csspart settings - The settings form.
 * @csspart fieldset - A group of settings.
 * @csspart radio - An identifier policy choice.
 * @csspart save - The Save settings button.
 * @csspart audit - The audit log section.
 * @csspart audit-filters - The audit log filters form.
 * @csspart select - The audit action select.
 * @csspart apply - The button that applies the audit filters.
 * @csspart export - The Export CSV button.
 * @csspart audit-table - The audit log table.
 * @csspart audit-row - One audit entry.
 * @csspart announcer - The visually hidden polite live region.
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
 * @cssprop [--kindred-moderation-gap=var(--kindred-space-m)] - Space between items and sections.
 */
export class KindredModeration extends KindredElement {
  static override styles = [baseStyles, moderationStyles];

  #connection = new ConnectionController(this);
  #announcer = new Announcer(this);
  #i18n = new ModerationLocalizer(this);
  #configKey = '';
  /** The moderator the queues were loaded for, and whether the connection was online then (a reconnect reloads). */
  #sessionKey = '';
  #queues: QueueStore | null = null;
  #tab: Tab = 'held';
  #open: OpenAction | null = null;
  #alert = '';
  #alertPending = false;
  #settingsDraft: SettingsDraft | null = null;
  #settingsErrors: Partial<Record<DraftField, string>> = {};
  #settingsError = '';
  #settingsStatus: 'idle' | 'loading' | 'ready' | 'error' = 'idle';
  #settingsBusy = false;
  #auditFilters: AuditFilters = { action: '', since: '', until: '' };
  #auditEntries: AuditEntry[] = [];
  #auditCursor: string | null = null;
  #auditStatus: 'idle' | 'loading' | 'ready' | 'error' = 'idle';
  #auditError = '';
  #exportStatus = '';
  #exportError = '';

  constructor() {
    super();
    this.server = '';
    this.site = '';
    this.authUrl = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#closeQueues();
    this.#connection.hostDisconnected();
    this.#configKey = '';
  }

  protected override get strings(): ModerationLocalizer {
    return this.#i18n;
  }

  protected override willUpdate(_changed: PropertyValues<this>): void {
    const config = readConfig({ server: this.server, site: this.site, authUrl: this.authUrl });
    const configKey = config ? `${config.server} ${config.site} ${config.authUrl}` : '-';
    if (configKey !== this.#configKey) {
      this.#configKey = configKey;
      this.#closeQueues();
      this.#connection.use(config);
    }
    const connection = this.#connection.connection;
    const identity = this.#connection.identity;
    const sessionKey = connection && isModerator(identity) && connection.status === 'online' ? identity!.id : '';
    if (sessionKey === this.#sessionKey) return;
    this.#sessionKey = sessionKey;
    if (!sessionKey || !connection) {
      // Offline keeps what was shown (marked out of date); anything else is a different person or none.
      if (!isModerator(identity)) this.#closeQueues();
      return;
    }
    this.#queues ??= new QueueStore(connection, this.#onQueueChange);
    void this.#openTab(this.#tab, false);
  }

  #closeQueues(): void {
    this.#queues?.close();
    this.#queues = null;
    this.#open = null;
    this.#settingsDraft = null;
    this.#settingsStatus = 'idle';
    this.#auditStatus = 'idle';
    this.#auditEntries = [];
  }

  #t: ModerationLocalizer['t'] = (key, params) => this.#i18n.t(key, params);

  #onQueueChange = (change: QueueChange): void => {
    this.requestUpdate();
    for (const item of change.arrived) {
      const queue = this.#t(`queue_${item.queue}`);
      this.#announcer.tally(`arrived-${item.queue}`, 1, (count) => this.#t('arrived', { count, queue }));
    }
    for (const item of change.alerts) {
      const text = this.#t('crisisAlert', { topic: item.post.topic });
      // A repeat of the same words must still be a change, or screen readers stay silent.
      this.#alert = text === this.#alert ? `${text}\u00a0` : text;
      this.#alertPending = this.#tab !== 'crisis';
      this.dispatchEvent(new CustomEvent('kindred-crisis-alert', { detail: { item }, bubbles: true, composed: true }));
    }
  };

  override render(): TemplateResult {
    const connection = this.#connection.connection;
    const status = this.#connection.status;
    return html`<section part="base" aria-labelledby="title">
      ${this.#announcer.render()}
      ${status === 'refused' || !connection
        ? html`<p part="error" role="alert">${this.#t('refused')}</p>`
        : this.#renderConsole(connection)}
    </section>`;
  }

  #renderConsole(connection: Connection): TemplateResult {
    const identity = connection.identity;
    const title = html`<h2 id="title" class="visually-hidden">${this.#t('title')}</h2>`;
    if (!isModerator(identity)) {
      // The host's token is on its way to the server, or the first session has not arrived: not an answer yet.
      const waiting = connection.status !== 'online' || (!!connection.hostAuth?.token && !connection.signInError && identity?.kind !== 'member');
      return waiting
        ? html`${title}<p part="status" role="status">${this.#t(connection.status === 'offline' && identity ? 'offline' : 'connecting')}</p>`
        : html`${title}<p part="not-moderator" role="status">${this.#t('notModerator')}</p>`;
    }
    const queues = this.#queues;
    return html`${title}
      <p part="identity">${this.#t('signedInAs', { name: identity!.name })}</p>
      ${connection.status === 'offline' ? html`<p part="status" role="status">${this.#t('offline')}</p>` : nothing}
      <div class="alert-row">
        <div part="crisis-alert" role="alert" class=${this.#alert ? 'raised' : ''}>${this.#alert}</div>
        ${this.#alert && this.#alertPending
          ? html`<button part="button open-crisis" @click=${() => void this.#openTab('crisis', true)}>${this.#t('openCrisis')}</button>`
          : nothing}
      </div>
      <div part="tablist" role="tablist" aria-label=${this.#t('sections')} @keydown=${this.#onTabKey}>
        ${TABS.map((tab) => {
          const selected = tab === this.#tab;
          const label = tab === 'settings' ? this.#t('settings') : tab === 'audit' ? this.#t('audit') : this.#t(`queue_${tab}`);
          return html`<button
            role="tab"
            id="tab-${tab}"
            part="tab${selected ? ' tab-selected' : ''}"
            aria-selected=${selected ? 'true' : 'false'}
            aria-controls=${selected ? 'panel' : nothing}
            tabindex=${selected ? '0' : '-1'}
            data-tab=${tab}
            @click=${() => void this.#openTab(tab, true)}
          >
            ${tab === 'settings' || tab === 'audit' ? label : this.#t('tabCount', { label, count: queues?.counts[tab] ?? 0 })}
          </button>`;
        })}
      </div>
      <div part="panel" role="tabpanel" id="panel" aria-labelledby="tab-${this.#tab}" tabindex="-1">
        ${this.#tab === 'settings' ? this.#renderSettings() : this.#tab === 'audit' ? this.#renderAudit() : this.#renderQueue(this.#tab)}
      </div>`;
  }

  #onTabKey = (event: KeyboardEvent): void => {
    const index = TABS.indexOf(this.#tab);
    const next = tabAfterKey(this, event.key, index, TABS.length);
    if (next === undefined) return;
    event.preventDefault();
    const tab = TABS[next]!;
    void this.#openTab(tab, false).then(() => this.#focus(`#tab-${tab}`));
  };

  async #openTab(tab: Tab, focusPanel: boolean): Promise<void> {
    const changed = tab !== this.#tab;
    this.#tab = tab;
    this.#open = changed ? null : this.#open;
    if (tab === 'crisis') this.#alertPending = false;
    this.requestUpdate();
    if (tab === 'settings') {
      if (this.#settingsStatus !== 'ready' || !changed) void this.#loadSettings();
    } else if (tab === 'audit') {
      if (this.#auditStatus !== 'ready') void this.#loadAudit();
    } else if (this.#queues) {
      void this.#queues.load(tab);
    }
    if (focusPanel && changed) await this.#focus('#panel');
  }

  #renderQueue(queue: ModerationQueue): TemplateResult {
    const queues = this.#queues;
    if (!queues || queues.status === 'idle' || (queues.status === 'loading' && queues.queue !== queue)) {
      return html`<p part="status" role="status">${this.#t('loading')}</p>`;
    }
    const label = this.#t(`queue_${queue}`);
    const orderSelect = html`<label class="order"
      >${this.#t('order')}
      <select part="order" @change=${(event: Event) => void queues.load(queue, (event.target as HTMLSelectElement).value as QueueOrder)}>
        ${(['urgent', 'oldest'] as const).map(
          (order) => html`<option value=${order} ?selected=${queues.order === order}>${this.#t(`order_${order}`)}</option>`,
        )}
      </select></label
    >`;
    if (queues.status === 'error') {
      return html`${orderSelect}
        <div part="error" role="alert">
          ${this.#t('loadError', { reason: this.#errorText(queues.error) })}
          <button part="button retry" @click=${() => void queues.load(queue)}>${this.#t('retry')}</button>
        </div>`;
    }
    const items = queues.items;
    return html`<div class="bar">${orderSelect}</div>
      ${items.length
        ? html`<ul part="list" role="list" aria-label=${this.#t('items', { queue: label })} aria-busy=${queues.status === 'loading' ? 'true' : 'false'}>
            ${items.map((item) => html`<li>${renderItem(this.#itemContext(), item)}</li>`)}
          </ul>`
        : html`<p part="empty" id="empty" tabindex="-1">${this.#t(`empty_${queue}`)}</p>`}
      ${queues.nextCursor
        ? html`<button part="button load-more" @click=${this.#loadMoreItems}>${this.#t('loadMore')}</button>`
        : nothing}`;
  }

  #itemContext(): ItemContext {
    return {
      i18n: this.#i18n,
      open: this.#open,
      openAction: (item, action) => {
        this.#open = { postId: item.post.id, action, reason: '', body: item.post.body, note: '', days: '7', error: '', busy: false };
        this.requestUpdate();
        void this.#focus(`#item-${item.post.id} [part~="confirm"] :is(textarea, input, button)`);
      },
      close: () => {
        const open = this.#open;
        this.#open = null;
        this.requestUpdate();
        if (open) void this.#focus(`#item-${open.postId} [part~="action-${open.action}"]`);
      },
      input: (field, value) => {
        if (!this.#open) return;
        this.#open = { ...this.#open, [field]: value };
        this.requestUpdate();
      },
      submit: (item) => void this.#submit(item),
    };
  }

  async #submit(item: ModerationItem): Promise<void> {
    const open = this.#open;
    const queues = this.#queues;
    if (!open || open.busy || !queues) return;
    const fail = (error: string): void => {
      this.#open = { ...open, error, busy: false };
      this.requestUpdate();
    };
    const reason = open.reason.trim();
    const member = MEMBER_ACTIONS_SET.has(open.action);
    if ((member || open.action === 'reject' || open.action === 'remove') && !reason) return fail(this.#t('needReason'));
    if (open.action === 'edit' && !open.body.trim()) return fail(this.#t('needBody'));
    const days = Number(open.days);
    if (open.action === 'suspend' && (!Number.isInteger(days) || days < 1)) return fail(this.#t('needDays'));
    this.#open = { ...open, error: '', busy: true };
    this.requestUpdate();
    const name = item.author.name;
    // Where the item stood before the request: the server's live "resolved" may take it out before the answer arrives.
    const index = queues.items.findIndex((each) => each.post.id === item.post.id);
    try {
      if (member) {
        const action = open.action as MemberAction;
        const { standing } = await queues.connection.request('mod:member', {
          userId: item.author.id,
          action,
          reason,
          ...(action === 'suspend' && { days }),
        });
        this.#open = null;
        this.#setStanding(item.author.id, standing);
        this.#announcer.announce(this.#t(`done_${action}`, { name }));
        this.#moderated(action, item);
        await this.#focus(`#item-${item.post.id} [part~="member-actions"] button`);
        return;
      }
      const action = open.action as ModeratorAction;
      const { item: decided } = await queues.connection.request('mod:decide', {
        postId: item.post.id,
        action,
        ...(reason && { reason }),
        ...(action === 'edit' && { body: open.body, ...(open.note.trim() && { note: open.note.trim() }) }),
      });
      this.#open = null;
      this.#announcer.announce(this.#t(`done_${action}`));
      this.#moderated(action, decided);
      if (action === 'edit' && decided.post.status === 'held') {
        queues.update(decided);
        await this.#focus(`#item-${item.post.id}`);
        return;
      }
      // Settled: on to the next post in the queue (or the one before, or the empty message).
      queues.resolve(decided.queue ? decided : item);
      const next = queues.items[Math.min(Math.max(index, 0), queues.items.length - 1)];
      await this.#focus(next ? `#item-${next.post.id}` : '#empty');
    } catch (error) {
      fail(this.#t('failed', { reason: this.#errorText(error) }));
    }
  }

  #setStanding(userId: string, standing: MemberStanding): void {
    this.#queues?.setStanding(userId, standing);
  }

  #moderated(action: ItemAction, item: ModerationItem): void {
    this.dispatchEvent(new CustomEvent('kindred-moderated', { detail: { action, item }, bubbles: true, composed: true }));
  }

  #loadMoreItems = async (): Promise<void> => {
    try {
      const ids = (await this.#queues?.loadMore()) ?? [];
      if (ids[0]) await this.#focus(`#item-${ids[0]}`);
    } catch (error) {
      this.#announcer.announce(this.#t('failed', { reason: this.#errorText(error) }));
    }
  };

  // Settings

  async #loadSettings(): Promise<void> {
    const connection = this.#queues?.connection;
    if (!connection) return;
    this.#settingsStatus = 'loading';
    this.requestUpdate();
    try {
      const { settings } = await connection.request('mod:settings:get', {});
      this.#settingsDraft = draftOf(settings);
      this.#settingsErrors = {};
      this.#settingsError = '';
      this.#settingsStatus = 'ready';
    } catch (error) {
      this.#settingsError = this.#t('loadError', { reason: this.#errorText(error) });
      this.#settingsStatus = 'error';
    }
    this.requestUpdate();
  }

  #renderSettings(): TemplateResult {
    const draft = this.#settingsDraft;
    if (this.#settingsStatus === 'error' && !draft) {
      return html`<div part="error" role="alert">
        ${this.#settingsError} <button part="button retry" @click=${() => void this.#loadSettings()}>${this.#t('retry')}</button>
      </div>`;
    }
    if (!draft) return html`<p part="status" role="status">${this.#t('loading')}</p>`;
    return renderSettings({
      i18n: this.#i18n,
      draft,
      errors: this.#settingsErrors,
      formError: this.#settingsError,
      busy: this.#settingsBusy,
      input: (field, value) => {
        // The draft as it is now: several fields may change before the next render (autofill).
        this.#settingsDraft = { ...(this.#settingsDraft ?? draft), [field]: value };
        this.requestUpdate();
      },
      save: () => void this.#saveSettings(),
    });
  }

  async #saveSettings(): Promise<void> {
    const draft = this.#settingsDraft;
    const connection = this.#queues?.connection;
    if (!draft || !connection || this.#settingsBusy) return;
    const { settings, errors } = settingsOf(draft, this.#i18n);
    this.#settingsErrors = errors;
    this.#settingsError = '';
    const firstInvalid = Object.keys(errors)[0];
    if (firstInvalid) {
      this.requestUpdate();
      await this.#focus(`#${firstInvalid}`);
      return;
    }
    this.#settingsBusy = true;
    this.requestUpdate();
    try {
      const saved = await connection.request('mod:settings:set', { settings });
      this.#settingsDraft = draftOf(saved.settings);
      this.#announcer.announce(this.#t('saved'));
    } catch (error) {
      const field = error instanceof KindredError ? draftFieldOf(error.field) : null;
      const message = this.#errorText(error);
      if (field) this.#settingsErrors = { [field]: message };
      else this.#settingsError = message;
      this.#settingsBusy = false;
      this.requestUpdate();
      await this.#focus(field ? (field === 'identifierPolicy' ? '[name="identifierPolicy"]' : `#${field}`) : '[part~="save"]');
      return;
    }
    this.#settingsBusy = false;
    this.requestUpdate();
  }

  // Audit log

  async #loadAudit(more = false): Promise<void> {
    const connection = this.#queues?.connection;
    if (!connection) return;
    this.#auditStatus = 'loading';
    this.requestUpdate();
    try {
      const cursor = more ? this.#auditCursor : null;
      const page = await connection.request('mod:audit', { ...auditQuery(this.#auditFilters), ...(cursor && { cursor }) });
      this.#auditEntries = more ? [...this.#auditEntries, ...page.entries] : page.entries;
      this.#auditCursor = page.nextCursor;
      this.#auditStatus = 'ready';
      this.requestUpdate();
      if (more && page.entries[0]) await this.#focus(`#audit-${page.entries[0].id}`);
    } catch (error) {
      this.#auditError = this.#t('loadError', { reason: this.#errorText(error) });
      this.#auditStatus = 'error';
      this.requestUpdate();
    }
  }

  #renderAudit(): TemplateResult {
    return renderAudit({
      i18n: this.#i18n,
      filters: this.#auditFilters,
      entries: this.#auditEntries,
      status: this.#auditStatus,
      error: this.#auditError,
      hasMore: !!this.#auditCursor,
      exportStatus: this.#exportStatus,
      exportError: this.#exportError,
      setFilter: (field, value) => {
        this.#auditFilters = { ...this.#auditFilters, [field]: value };
        this.requestUpdate();
      },
      apply: () => void this.#loadAudit(),
      loadMore: () => void this.#loadAudit(true),
      exportCsv: () => void this.#exportCsv(),
    });
  }

  /**
   * The CSV comes over plain HTTP, so it carries the host site's token as a
   * bearer token (the same one the socket presented), and is offered as a download from a Blob URL.
   */
  async #exportCsv(): Promise<void> {
    const connection = this.#queues?.connection;
    if (!connection) return;
    const { server, site } = connection.config;
    this.#exportStatus = this.#t('exporting');
    this.#exportError = '';
    this.requestUpdate();
    try {
      const url = new URL(`/api/sites/${encodeURIComponent(site)}/audit.csv`, server);
      for (const [name, value] of Object.entries(auditQuery(this.#auditFilters))) url.searchParams.set(name, value);
      const token = connection.hostAuth?.token;
      const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      if (!response.ok) {
        const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
        const code = body?.error?.code ?? '';
        throw new KindredError(
          (this.#i18n.has(`error_${code}`) ? code : 'INTERNAL') as KindredError['code'],
          body?.error?.message ?? `HTTP ${response.status}`,
        );
      }
      const href = URL.createObjectURL(await response.blob());
      const link = document.createElement('a');
      link.href = href;
      link.download = `kindred-audit-${site}.csv`;
      this.renderRoot.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(href), 60_000);
      this.#exportStatus = this.#t('exported');
    } catch (error) {
      this.#exportStatus = '';
      this.#exportError = this.#t('exportFailed', { reason: this.#errorText(error) });
    }
    this.requestUpdate();
  }

  #focus(selector: string): Promise<void> {
    return focusRendered(this, selector);
  }

  /** The server's message is specific for invalid input; other codes get our own words. */
  #errorText(error: unknown): string {
    if (!(error instanceof KindredError)) return this.#t('error_INTERNAL');
    if (error.code === 'INVALID_INPUT') return error.message;
    const key = `error_${error.code}`;
    return this.#i18n.has(key) ? this.#t(key) : error.message;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'kindred-moderation': KindredModeration;
  }
  interface HTMLElementEventMap {
    /** A moderator's decision on a post or its author was stored. */
    'kindred-moderated': CustomEvent<{ action: ItemAction; item: ModerationItem }>;
    /** A crisis post arrived in the moderator console. */
    'kindred-crisis-alert': CustomEvent<{ item: ModerationItem }>;
  }
}
