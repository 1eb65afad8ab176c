import { html, nothing, type TemplateResult } from 'lit';
import type { CommunityView, IntroductionView } from '@kindred/protocol';
import { renderText } from '../text/render-text.js';
import type { IntroduceMeLocalizer } from './introduce-me-i18n.js';

export interface IntroductionCardOptions {
  i18n: IntroduceMeLocalizer;
  community: CommunityView | null;
  introduction: IntroductionView;
  /** An answer is on its way (the buttons stay focusable; a second click is ignored). */
  busy: boolean;
  error: string;
  onAnswer(accept: boolean): void;
}

/**
 * The pending introduction, headed by the status heading (`#intro-status`,
 * where focus goes after each step). Proposed: who the other member is,
 * their about-me, why we matched them, when it lapses, and Yes / No thanks.
 * Waiting (this viewer said yes): what happens next, and nothing about the
 * other's answer.
 */
export function renderIntroductionCard(o: IntroductionCardOptions): TemplateResult {
  const { i18n, introduction } = o;
  const { name } = introduction.other;
  if (introduction.status === 'waiting') {
    return html`<div part="waiting">
      <h3 id="intro-status" part="status-heading" tabindex="-1">${i18n.t('waitingHeading', { name })}</h3>
      <p>${i18n.t('waitingNote', { name })}</p>
      <p class="hint">${i18n.t('waitingLapses', { date: i18n.day(introduction.expiresAt) })}</p>
    </div>`;
  }
  return html`<article part="proposal" aria-labelledby="intro-status">
    <h3 id="intro-status" part="status-heading" tabindex="-1">${i18n.t('proposalHeading', { name })}</h3>
    <p part="other-role">${i18n.t(`roleName_${introduction.other.role}`)}</p>
    <h4 id="other-about">${i18n.t('aboutOther', { name })}</h4>
    ${introduction.other.about
      ? html`<div part="other-about" dir="auto">${renderText(introduction.other.about)}</div>`
      : html`<p part="other-about" class="hint">${i18n.t('aboutOtherNone', { name })}</p>`}
    ${introduction.reasons.length
      ? html`<h4 id="reasons-heading">${i18n.t('reasonsHeading', { name })}</h4>
          <ul part="reasons" aria-labelledby="reasons-heading">
            ${introduction.reasons.map((reason) => html`<li part="reason">${i18n.reason(reason, introduction, o.community)}</li>`)}
          </ul>`
      : nothing}
    <p part="lapses" class="hint">${i18n.t('lapses', { date: i18n.day(introduction.expiresAt) })}</p>
    <p class="hint" id="decline-note">${i18n.t('declineNote', { name })}</p>
    <div class="row" part="answer-buttons">
      <button part="button accept-button" class="primary" aria-disabled=${o.busy ? 'true' : 'false'} @click=${() => o.onAnswer(true)}>
        ${i18n.t('accept')}
      </button>
      <button
        part="button decline-button"
        aria-disabled=${o.busy ? 'true' : 'false'}
        aria-describedby="decline-note"
        @click=${() => o.onAnswer(false)}
      >
        ${i18n.t('decline')}
      </button>
    </div>
    <p part="error" role="alert">${o.error}</p>
  </article>`;
}
