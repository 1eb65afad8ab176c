import { html, nothing, type TemplateResult } from 'lit';
import type { CommunityView, ProfileView, WriteNotice } from '@kindred/protocol';
import { renderText } from '../text/render-text.js';
import { labelOf, type IntroduceMeLocalizer } from './introduce-me-i18n.js';
import { renderConfirm } from '../templates/confirm.js';

/**
 * The status when no introduction is pending: in, with when the next round
 * is; or paused. Headed by `#intro-status`, where focus goes after joining
 * and after answering.
 */
export function renderMemberStatus(i18n: IntroduceMeLocalizer, community: CommunityView, profile: ProfileView, now: number): TemplateResult {
  if (profile.paused) {
    return html`<div part="member-status">
      <h3 id="intro-status" part="status-heading" tabindex="-1">${i18n.t('statusPaused')}</h3>
      <p>${i18n.t('pausedNote')}</p>
    </div>`;
  }
  const next = community.nextRoundAt;
  const when = !next
    ? i18n.t('nextRoundManual')
    : Date.parse(next) <= now
      ? i18n.t('nextRoundSoon')
      : i18n.t('nextRound', { date: i18n.day(next) });
  return html`<div part="member-status">
    <h3 id="intro-status" part="status-heading" tabindex="-1">${i18n.t('statusIn')}</h3>
    <p part="next-round">${when}</p>
  </div>`;
}

/** What the safety pipeline and the moderators did with the about-me: held, hidden details, not approved. */
export function renderAboutNotes(i18n: IntroduceMeLocalizer, profile: ProfileView, notices: readonly WriteNotice[]): TemplateResult {
  const status = profile.aboutStatus;
  const reason = profile.aboutModerationReason;
  return html`${status === 'held' ? html`<p part="held-note">${i18n.t('aboutHeld')}</p>` : nothing}
  ${status === 'rejected' || status === 'removed'
    ? html`<p part="removed-note">${reason ? i18n.t('aboutRejected', { reason }) : i18n.t('aboutRejectedNoReason')}</p>`
    : nothing}
  ${notices.includes('masked') && status !== 'rejected' && status !== 'removed'
    ? html`<p part="masked-note">${i18n.t('aboutMasked')}</p>`
    : nothing}`;
}

export interface MemberActionsOptions {
  i18n: IntroduceMeLocalizer;
  profile: ProfileView;
  confirmLeave: boolean;
  busy: boolean;
  error: string;
  onEdit(): void;
  onPause(paused: boolean): void;
  onLeave(): void;
  onConfirmLeave(): void;
  onCancelLeave(): void;
}

/** Edit profile, Pause / Resume and Leave (with its confirmation), one click away whatever else is shown. */
export function renderMemberActions(o: MemberActionsOptions): TemplateResult {
  const { i18n, profile } = o;
  return html`<div part="member-actions" role="group" aria-label=${i18n.t('memberActions')}>
    <div class="row">
      <button part="button edit-profile-button" id="edit-profile" @click=${o.onEdit}>${i18n.t('editProfile')}</button>
      <button
        part="button pause-button"
        id="pause"
        aria-disabled=${o.busy ? 'true' : 'false'}
        @click=${() => o.onPause(!profile.paused)}
      >
        ${i18n.t(profile.paused ? 'resume' : 'pause')}
      </button>
      <button part="button leave-button" id="leave" @click=${o.onLeave}>${i18n.t('leave')}</button>
    </div>
    ${o.confirmLeave
      ? renderConfirm({
          id: 'leave-q',
          part: 'leave-confirm',
          question: i18n.t('confirmLeave'),
          confirm: i18n.t('yesLeave'),
          cancel: i18n.t('cancel'),
          onConfirm: o.onConfirmLeave,
          onCancel: o.onCancelLeave,
          busy: o.busy,
        })
      : nothing}
    <p part="error" role="alert">${o.error}</p>
  </div>`;
}

/** The viewer's own profile as saved: nobody else sees it whole. */
export function renderProfileSummary(i18n: IntroduceMeLocalizer, community: CommunityView, profile: ProfileView): TemplateResult {
  const topics = profile.topics.map(({ id, stage }) => {
    const topic = labelOf(community.topics, id);
    return stage ? i18n.t('topicStage', { topic, stage: labelOf(community.stages, stage) }) : topic;
  });
  return html`<section part="profile" aria-labelledby="profile-heading">
    <h3 id="profile-heading">${i18n.t('profileHeading')}</h3>
    <dl>
      <dt>${i18n.t('dtRole')}</dt>
      <dd>${i18n.t(`roleName_${profile.role}`)}</dd>
      ${profile.role === 'mentor'
        ? nothing
        : html`<dt>${i18n.t('dtWants')}</dt>
            <dd>${i18n.t(`wantsName_${profile.wants}`)}</dd>`}
      <dt>${i18n.t('dtTopics')}</dt>
      <dd>${i18n.list(topics)}</dd>
      <dt>${i18n.t('dtLanguages')}</dt>
      <dd>${i18n.list(profile.languages.map((code) => i18n.language(code)))}</dd>
      <dt>${i18n.t('dtAbout')}</dt>
      <dd part="about" dir="auto">${profile.about ? renderText(profile.about) : i18n.t('aboutNone')}</dd>
    </dl>
  </section>`;
}
