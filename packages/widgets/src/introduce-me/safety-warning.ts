import { html, type TemplateResult } from 'lit';
import type { Finding } from '@kindred/protocol/safety';
import type { IntroduceMeLocalizer } from './introduce-me-i18n.js';

/** What the browser-side identifier check found in a draft, and which draft: the about-me, or a conversation's message. */
export interface SafetyWarning {
  /** `about`, or the introduction id of a conversation. */
  anchor: string;
  identifiers: readonly Finding[];
}

/**
 * The "did you mean to share this?" note shown instead of sending. The
 * about-me is read by someone the member does not know: one line per kind
 * of identifier, in the shared wording. A message goes to one person, but
 * through the safety filters: one line saying so. Then Edit / … anyway. An
 * alert, read out when it appears; focus stays where it was.
 */
export function renderSafetyWarning(
  i18n: IntroduceMeLocalizer,
  warning: SafetyWarning,
  onEdit: () => void,
  onAnyway: () => void,
): TemplateResult {
  const about = warning.anchor === 'about';
  const kinds = [...new Set(warning.identifiers.map((finding) => finding.kind))];
  return html`<div part="identifier-warning" role="alert">
    ${about ? kinds.map((kind) => html`<p>${i18n.t(`identifier_${kind}`)}</p>`) : html`<p>${i18n.t('messageIdentifier')}</p>`}
    <div class="row">
      <button type="button" part="button edit-draft-button" @click=${onEdit}>${i18n.t(about ? 'editMyAbout' : 'editMyMessage')}</button>
      <button type="button" part="button post-anyway-button" @click=${onAnyway}>${i18n.t(about ? 'saveAnyway' : 'sendAnyway')}</button>
    </div>
  </div>`;
}
