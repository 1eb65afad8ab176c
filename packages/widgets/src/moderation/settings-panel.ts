import { html, nothing, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import type { IdentifierPolicy, ModerationSettings } from '@kindred/protocol';
import type { ModerationLocalizer } from './moderation-i18n.js';

/** The settings form as typed: every field a string, so a half-typed number is kept, not lost. */
export interface SettingsDraft {
  bannedWords: string;
  suspectWords: string;
  heldGuest: string;
  heldMember: string;
  reportThreshold: string;
  identifierPolicy: IdentifierPolicy;
  crisisCall: string;
  crisisText: string;
  crisisChat: string;
  crisisEmergency: string;
  alertWebhookUrl: string;
  alertEmail: string;
}
export type DraftField = keyof SettingsDraft;

export function draftOf(settings: ModerationSettings): SettingsDraft {
  return {
    bannedWords: settings.bannedWords.join('\n'),
    suspectWords: settings.suspectWords.join('\n'),
    heldGuest: String(settings.heldFirstPosts.guest),
    heldMember: String(settings.heldFirstPosts.member),
    reportThreshold: String(settings.reportThreshold),
    identifierPolicy: settings.identifierPolicy,
    crisisCall: settings.crisisResources.call,
    crisisText: settings.crisisResources.text ?? '',
    crisisChat: settings.crisisResources.chatUrl ?? '',
    crisisEmergency: settings.crisisResources.emergency,
    alertWebhookUrl: settings.alertWebhookUrl ?? '',
    alertEmail: settings.alertEmail ?? '',
  };
}

const lines = (text: string): string[] =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
const optional = (text: string): string | null => text.trim() || null;

/** The settings to send, or the fields we can already tell are wrong (whole numbers); the server checks the rest. */
export function settingsOf(
  draft: SettingsDraft,
  i18n: ModerationLocalizer,
): { settings: ModerationSettings; errors: Partial<Record<DraftField, string>> } {
  const errors: Partial<Record<DraftField, string>> = {};
  const whole = (field: DraftField, min: number): number => {
    const text = String(draft[field]).trim();
    if (!/^\d+$/.test(text) || Number(text) < min) errors[field] = i18n.t('notWholeNumber', { min });
    return Number(text);
  };
  const settings: ModerationSettings = {
    bannedWords: lines(draft.bannedWords),
    suspectWords: lines(draft.suspectWords),
    heldFirstPosts: { guest: whole('heldGuest', 0), member: whole('heldMember', 0) },
    reportThreshold: whole('reportThreshold', 1),
    identifierPolicy: draft.identifierPolicy,
    crisisResources: {
      call: draft.crisisCall.trim(),
      text: optional(draft.crisisText),
      chatUrl: optional(draft.crisisChat),
      emergency: draft.crisisEmergency.trim(),
    },
    alertWebhookUrl: optional(draft.alertWebhookUrl),
    alertEmail: optional(draft.alertEmail),
  };
  return { settings, errors };
}

/** The form field a server error's `field` points at (`settings.heldFirstPosts.guest`, `reportThreshold`, …). */
export function draftFieldOf(field: string | undefined): DraftField | null {
  const path = (field ?? '').replace(/^settings\./, '');
  const map: Record<string, DraftField> = {
    bannedWords: 'bannedWords',
    suspectWords: 'suspectWords',
    'heldFirstPosts.guest': 'heldGuest',
    'heldFirstPosts.member': 'heldMember',
    heldFirstPosts: 'heldGuest',
    reportThreshold: 'reportThreshold',
    identifierPolicy: 'identifierPolicy',
    'crisisResources.call': 'crisisCall',
    'crisisResources.text': 'crisisText',
    'crisisResources.chatUrl': 'crisisChat',
    'crisisResources.emergency': 'crisisEmergency',
    crisisResources: 'crisisCall',
    alertWebhookUrl: 'alertWebhookUrl',
    alertEmail: 'alertEmail',
  };
  return map[path] ?? map[path.split(/[.[]/)[0]!] ?? null;
}

export interface SettingsContext {
  i18n: ModerationLocalizer;
  draft: SettingsDraft;
  errors: Partial<Record<DraftField, string>>;
  formError: string;
  busy: boolean;
  input(field: DraftField, value: string): void;
  save(): void;
}

export function renderSettings(ctx: SettingsContext): TemplateResult {
  const { i18n, draft, errors } = ctx;
  const described = (field: DraftField, hint?: boolean): string => [hint ? `${field}-hint` : '', `${field}-error`].filter(Boolean).join(' ');
  const error = (field: DraftField): TemplateResult => html`<p id="${field}-error" part="error field-error" role="alert">${errors[field] ?? ''}</p>`;
  const onInput = (field: DraftField) => (event: Event) => ctx.input(field, (event.target as HTMLInputElement).value);
  const invalid = (field: DraftField): string => (errors[field] ? 'true' : 'false');
  const words = (field: 'bannedWords' | 'suspectWords', hint: string): TemplateResult => html`<div class="field">
    <label for=${field}>${i18n.t(field)}</label>
    <p id="${field}-hint" class="hint">${hint}</p>
    <textarea id=${field} part="textarea ${field}" rows="5" aria-describedby=${described(field, true)} aria-invalid=${invalid(field)} .value=${live(draft[field])} @input=${onInput(field)}></textarea>
    ${error(field)}
  </div>`;
  const input = (field: DraftField, label: string, type = 'text', extra: Partial<{ min: string; hint: boolean }> = {}): TemplateResult => html`<div class="field">
    <label for=${field}>${label}</label>
    <input
      id=${field}
      part="input ${field}"
      type=${type}
      min=${extra.min ?? nothing}
      inputmode=${type === 'number' ? 'numeric' : nothing}
      aria-describedby=${described(field, extra.hint)}
      aria-invalid=${invalid(field)}
      .value=${live(String(draft[field]))}
      @input=${onInput(field)}
    />
    ${error(field)}
  </div>`;
  return html`<form part="settings" novalidate aria-labelledby="settings-heading" @submit=${(event: Event) => {
    event.preventDefault();
    ctx.save();
  }}>
    <h2 id="settings-heading" part="heading">${i18n.t('settings')}</h2>
    <p class="hint">${i18n.t('settingsIntro')}</p>
    ${words('bannedWords', i18n.t('bannedWordsHint'))} ${words('suspectWords', i18n.t('suspectWordsHint'))}
    <fieldset part="fieldset">
      <legend>${i18n.t('heldFirstPosts')}</legend>
      <p id="heldGuest-hint" class="hint">${i18n.t('heldHint')}</p>
      ${input('heldGuest', i18n.t('heldGuest'), 'number', { min: '0', hint: true })} ${input('heldMember', i18n.t('heldMember'), 'number', { min: '0' })}
    </fieldset>
    <div class="field">
      <label for="reportThreshold">${i18n.t('reportThreshold')}</label>
      <p id="reportThreshold-hint" class="hint">${i18n.t('reportThresholdHint')}</p>
      <input
        id="reportThreshold"
        part="input reportThreshold"
        type="number"
        min="1"
        inputmode="numeric"
        aria-describedby=${described('reportThreshold', true)}
        aria-invalid=${invalid('reportThreshold')}
        .value=${live(draft.reportThreshold)}
        @input=${onInput('reportThreshold')}
      />
      ${error('reportThreshold')}
    </div>
    <fieldset part="fieldset" aria-describedby="identifierPolicy-error">
      <legend>${i18n.t('identifierPolicy')}</legend>
      ${(['hold', 'mask'] as const).map(
        (policy) => html`<label class="choice"
          ><input
            type="radio"
            name="identifierPolicy"
            part="radio"
            value=${policy}
            .checked=${live(draft.identifierPolicy === policy)}
            @change=${() => ctx.input('identifierPolicy', policy)}
          />
          ${i18n.t(`policy_${policy}`)}</label
        >`,
      )}
      ${error('identifierPolicy')}
    </fieldset>
    <fieldset part="fieldset">
      <legend>${i18n.t('crisisResources')}</legend>
      ${input('crisisCall', i18n.t('crisisCall'), 'tel')} ${input('crisisText', i18n.t('crisisText'), 'tel')}
      ${input('crisisChat', i18n.t('crisisChat'), 'url')} ${input('crisisEmergency', i18n.t('crisisEmergency'), 'tel')}
    </fieldset>
    <fieldset part="fieldset">
      <legend>${i18n.t('alerts')}</legend>
      ${input('alertWebhookUrl', i18n.t('alertWebhookUrl'), 'url')} ${input('alertEmail', i18n.t('alertEmail'), 'email')}
    </fieldset>
    <p part="error" role="alert">${ctx.formError}</p>
    <div><button part="button save" class="primary" ?disabled=${ctx.busy}>${i18n.t('save')}</button></div>
  </form>`;
}
