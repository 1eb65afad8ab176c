import { html, nothing, type TemplateResult } from 'lit';
import { DEFAULT_CRISIS_RESOURCES, type CrisisResources } from '@kindred/protocol';
import type { Finding } from '@kindred/protocol/safety';
import type { Localizer } from '../i18n/index.js';

/** Where the visitor is when the crisis panel opens: before sending the draft, or after the server saw it. */
export type CrisisStage = 'draft' | 'sent';

/**
 * The calm "did you mean to share this?" note shown instead of sending: one
 * line per kind of identifier found, then Edit my post / Post anyway. An
 * alert, so it is read out as soon as it appears; focus stays where it was.
 */
export function renderIdentifierWarning(
  i18n: Localizer,
  findings: readonly Finding[],
  onEdit: () => void,
  onPostAnyway: () => void,
): TemplateResult {
  const kinds = [...new Set(findings.map((finding) => finding.kind))];
  return html`<div part="identifier-warning" role="alert">
    ${kinds.map((kind) => html`<p>${i18n.t(`identifier_${kind}`)}</p>`)}
    <div class="row">
      <button type="button" part="button edit-draft-button" @click=${onEdit}>${i18n.t('editMyPost')}</button>
      <button type="button" part="button post-anyway-button" @click=${onPostAnyway}>${i18n.t('postAnyway')}</button>
    </div>
  </div>`;
}

/**
 * Support for someone who may be at risk: who to call, text or chat with,
 * the emergency number, and that a person will read the post. A labelled
 * region (focus is moved to it), never modal, closed with its own button.
 */
export function renderCrisisPanel(
  i18n: Localizer,
  resources: CrisisResources | undefined,
  stage: CrisisStage,
  onClose: () => void,
): TemplateResult {
  const { call, text, chatUrl, emergency } = resources ?? DEFAULT_CRISIS_RESOURCES;
  const chat = chatUrl && /^https?:\/\//i.test(chatUrl) ? chatUrl : null;
  // The emergency number is a link inside a translated sentence.
  const [before, after] = i18n.t('crisisEmergency', { emergency: '\u0000' }).split('\u0000');
  return html`<section part="crisis-panel" aria-labelledby="crisis-title" tabindex="-1">
    <h2 id="crisis-title">${i18n.t('crisisTitle')}</h2>
    <p>${i18n.t('crisisIntro')}</p>
    <ul role="list">
      <li><a href="tel:${dialable(call)}">${i18n.t('crisisCall', { number: call })}</a></li>
      ${text ? html`<li><a href="sms:${dialable(text)}">${i18n.t('crisisText', { number: text })}</a></li>` : nothing}
      ${chat
        ? html`<li>
            <a href=${chat} target="_blank" rel="noopener noreferrer"
              >${i18n.t('crisisChat', { url: chat.replace(/^https?:\/\/(www\.)?/i, '') })}</a
            >
          </li>`
        : nothing}
    </ul>
    <p>${before}<a href="tel:${dialable(emergency)}">${emergency}</a>${after}</p>
    ${stage === 'draft' ? html`<p>${i18n.t('crisisStillPost')}</p>` : nothing}
    <p>${i18n.t('crisisReview')}</p>
    <div class="row">
      <button type="button" part="button crisis-close" @click=${onClose}>${i18n.t('close')}</button>
    </div>
  </section>`;
}

/** A number as a `tel:`/`sms:` address: digits, and a leading plus. */
function dialable(number: string): string {
  return number.replace(/[^\d+]/g, '');
}
