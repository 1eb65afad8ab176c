import { html, nothing, type TemplateResult } from 'lit';
import type { Finding } from '@kindred/protocol/safety';
import type { AskExpertLocalizer } from './ask-expert-i18n.js';

/** What the browser-side checks found in a draft, and which draft (the question form, or a reply on a question). */
export interface SafetyWarning {
  anchor: string;
  identifiers: readonly Finding[];
  /** Signs of a real patient in an expert's answer (`findPatientDisclosure`). */
  disclosure: boolean;
}

export interface SafetyWarningLabels {
  /** "Edit my question" / "Edit my answer". */
  edit: string;
  /** "Ask anyway" / "Publish anyway". */
  anyway: string;
}

/**
 * The "did you mean to share this?" note shown instead of sending: the
 * disclosure line for an expert's answer, one line per kind of identifier
 * (the thread's wording), then Edit / … anyway. An alert, read out when it
 * appears; focus stays where it was.
 */
export function renderSafetyWarning(
  i18n: AskExpertLocalizer,
  warning: SafetyWarning,
  labels: SafetyWarningLabels,
  onEdit: () => void,
  onAnyway: () => void,
): TemplateResult {
  const kinds = [...new Set(warning.identifiers.map((finding) => finding.kind))];
  return html`<div part="identifier-warning${warning.disclosure ? ' disclosure-warning' : ''}" role="alert">
    ${warning.disclosure ? html`<p>${i18n.t('disclosure')}</p>` : nothing}
    ${kinds.map((kind) => html`<p>${i18n.t(`identifier_${kind}`)}</p>`)}
    <div class="row">
      <button type="button" part="button edit-draft-button" @click=${onEdit}>${labels.edit}</button>
      <button type="button" part="button post-anyway-button" @click=${onAnyway}>${labels.anyway}</button>
    </div>
  </div>`;
}
