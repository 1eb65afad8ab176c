import { html, nothing, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import {
  INTRO_LIMITS,
  INTRO_ROLES,
  INTRO_WANTS,
  type CommunityView,
  type IntroRole,
  type IntroWants,
  type ProfileTopic,
  type ProfileView,
} from '@kindred/protocol';
import { renderChoices } from '../shared/choices.js';
import type { IntroduceMeLocalizer } from './introduce-me-i18n.js';

/** What the member has chosen in the opt-in form so far. */
export interface JoinDraft {
  role: IntroRole | null;
  wants: IntroWants;
  /** The ticked topics in the community's order, each with its stage ('' for none). */
  topics: ProfileTopic[];
  languages: string[];
  about: string;
  consent: boolean;
}

export type JoinField = 'role' | 'topics' | 'languages' | 'about' | 'consent';
export type JoinErrors = Partial<Record<JoinField | 'form', string>>;

/** The fields in the order they appear, for focusing the first one with a problem. */
export const JOIN_FIELDS: readonly JoinField[] = ['role', 'topics', 'languages', 'about', 'consent'];

export const codePoints = (text: string): number => [...text].length;

/** A fresh draft: the page's language ticked when the community offers it. */
export function emptyDraft(community: CommunityView | null, locale: string): JoinDraft {
  const language = locale.split('-')[0]!.toLowerCase();
  return {
    role: null,
    wants: 'peer',
    topics: [],
    languages: community?.languages.includes(language) ? [language] : [],
    about: '',
    consent: false,
  };
}

/** The draft for editing: the profile as saved, consent already given. */
export function draftOf(profile: ProfileView): JoinDraft {
  const { role, wants, topics, languages, about } = profile;
  return { role, wants, topics: topics.map((topic) => ({ ...topic })), languages: [...languages], about, consent: true };
}

/** What the form can tell before sending, worded; the server checks everything again. */
export function validateDraft(i18n: IntroduceMeLocalizer, draft: JoinDraft): JoinErrors {
  const errors: JoinErrors = {};
  const { topicsMax, languagesMax, aboutMax } = INTRO_LIMITS;
  if (!draft.role) errors.role = i18n.t('chooseRole');
  if (!draft.topics.length) errors.topics = i18n.t('chooseTopic');
  else if (draft.topics.length > topicsMax) errors.topics = i18n.t('tooManyTopics', { max: topicsMax });
  if (!draft.languages.length) errors.languages = i18n.t('chooseLanguage');
  else if (draft.languages.length > languagesMax) errors.languages = i18n.t('tooManyLanguages', { max: languagesMax });
  if (codePoints(draft.about.trim()) > aboutMax) errors.about = i18n.t('aboutTooLong', { max: aboutMax });
  if (!draft.consent) errors.consent = i18n.t('consentNeeded');
  return errors;
}

/** The control focused for a field's problem. */
export function fieldSelector(field: JoinField): string {
  return { role: '[name="role"]', topics: '[name="topic"]', languages: '[name="language"]', about: '#about', consent: '#consent' }[field];
}

export interface JoinFormOptions {
  i18n: IntroduceMeLocalizer;
  community: CommunityView;
  draft: JoinDraft;
  errors: JoinErrors;
  busy: boolean;
  /** Editing a saved profile (Save changes and Cancel) rather than opting in. */
  editing: boolean;
  onChange(change: Partial<JoinDraft>): void;
  onSubmit(): void;
  onCancel(): void;
  /** The safety warning or support panel for the about-me, under the buttons. */
  notice: TemplateResult | typeof nothing;
}

const checked = (event: Event): boolean => (event.target as HTMLInputElement).checked;
const toggled = <T>(list: readonly T[], item: T, on: boolean): T[] =>
  on ? (list.includes(item) ? [...list] : [...list, item]) : list.filter((each) => each !== item);

const describedBy = (id: string, error: string | undefined, hint?: string): string =>
  [hint, error ? `${id}-error` : ''].filter(Boolean).join(' ');

/**
 * The opt-in form: who the member is, whom they would like to meet, their
 * topics (each with an optional stage), languages, a short about-me with a
 * counter, and consent in plain words. Problems show under their field,
 * described by it; the server's refusals under the button.
 */
export function renderJoinForm(o: JoinFormOptions): TemplateResult {
  const { i18n, community, draft, errors } = o;
  const { aboutMax, topicsMax, languagesMax } = INTRO_LIMITS;
  const left = aboutMax - codePoints(draft.about.trim());
  return html`<form
    part="join-form"
    aria-labelledby="join-heading"
    novalidate
    @submit=${(event: Event) => {
      event.preventDefault();
      o.onSubmit();
    }}
  >
    <h3 id="join-heading" tabindex="-1">${i18n.t(o.editing ? 'editHeading' : 'joinHeading')}</h3>
    <fieldset part="roles" aria-describedby=${describedBy('role', errors.role) || nothing}>
      <legend>${i18n.t('roleLegend')}</legend>
      ${renderChoices({
        type: 'radio',
        name: 'role',
        values: INTRO_ROLES,
        invalid: !!errors.role,
        checked: (role) => draft.role === role,
        label: (role) => i18n.t(`role_${role}`),
        onChange: (role) => o.onChange({ role }),
      })}
    </fieldset>
    <p id="role-error" part="error">${errors.role ?? ''}</p>
    ${draft.role && draft.role !== 'mentor'
      ? html`<fieldset part="wants">
          <legend>${i18n.t('wantsLegend')}</legend>
          ${renderChoices({
            type: 'radio',
            name: 'wants',
            values: INTRO_WANTS,
            checked: (wants) => draft.wants === wants,
            label: (wants) => i18n.t(`wants_${wants}`),
            onChange: (wants) => o.onChange({ wants }),
          })}
        </fieldset>`
      : nothing}
    <fieldset part="topics" aria-describedby=${describedBy('topics', errors.topics, 'topics-hint')}>
      <legend>${i18n.t('topicsLegend')}</legend>
      <p id="topics-hint" class="hint">${i18n.t('topicsHint', { max: topicsMax })}</p>
      <ul role="list">
        ${community.topics.map((topic) => renderTopic(o, topic))}
      </ul>
    </fieldset>
    <p id="topics-error" part="error">${errors.topics ?? ''}</p>
    <fieldset part="languages" aria-describedby=${describedBy('languages', errors.languages, 'languages-hint')}>
      <legend>${i18n.t('languagesLegend')}</legend>
      <p id="languages-hint" class="hint">${i18n.t('languagesHint', { max: languagesMax })}</p>
      ${renderChoices({
        type: 'checkbox',
        name: 'language',
        values: community.languages,
        invalid: !!errors.languages,
        checked: (code) => draft.languages.includes(code),
        label: (code) => html`<span lang=${code}>${i18n.language(code)}</span>`,
        onChange: (code, on) => o.onChange({ languages: toggled(draft.languages, code, on) }),
      })}
    </fieldset>
    <p id="languages-error" part="error">${errors.languages ?? ''}</p>
    <label for="about">${i18n.t('aboutLabel')}</label>
    <p id="about-hint" class="hint">${i18n.t('aboutHint')}</p>
    <textarea
      id="about"
      part="textarea about-input"
      rows="4"
      .value=${live(draft.about)}
      aria-describedby="about-hint about-count${errors.about ? ' about-error' : ''}"
      aria-invalid=${errors.about || left < 0 ? 'true' : 'false'}
      @input=${(event: Event) => o.onChange({ about: (event.target as HTMLTextAreaElement).value })}
    ></textarea>
    <p id="about-count" part="counter" class=${left < 0 ? 'over' : 'hint'}>
      ${i18n.t(left < 0 ? 'charsOver' : 'charsLeft', { count: Math.abs(left) })}
    </p>
    <p id="about-error" part="error">${errors.about ?? ''}</p>
    <label class="choice" part="consent"
      ><input
        type="checkbox"
        id="consent"
        aria-invalid=${errors.consent ? 'true' : 'false'}
        aria-describedby=${errors.consent ? 'consent-error' : nothing}
        .checked=${live(draft.consent)}
        @change=${(event: Event) => o.onChange({ consent: checked(event) })}
      />
      ${i18n.t('consent')}</label
    >
    <p id="consent-error" part="error">${errors.consent ?? ''}</p>
    <div class="row">
      ${o.editing
        ? html`<button type="button" part="button cancel-button" @click=${o.onCancel}>${i18n.t('cancel')}</button>`
        : nothing}
      <button part="button join-button" class="primary" aria-disabled=${o.busy ? 'true' : 'false'}>
        ${i18n.t(o.editing ? 'saveProfile' : 'join')}
      </button>
    </div>
    ${o.notice}
    <p id="join-error" part="error" role="alert">${errors.form ?? ''}</p>
  </form>`;
}

/** A topic's checkbox and, once ticked (and the community has stages), its stage. */
function renderTopic(o: JoinFormOptions, topic: { id: string; label: string }): TemplateResult {
  const { i18n, community, draft, errors } = o;
  const chosen = draft.topics.find((each) => each.id === topic.id);
  const order = (list: ProfileTopic[]): ProfileTopic[] =>
    community.topics.flatMap((each) => list.find((item) => item.id === each.id) ?? []);
  const toggle = (event: Event): void => {
    const rest = draft.topics.filter((each) => each.id !== topic.id);
    o.onChange({ topics: checked(event) ? order([...rest, { id: topic.id }]) : rest });
  };
  const setStage = (event: Event): void => {
    const stage = (event.target as HTMLSelectElement).value;
    o.onChange({ topics: draft.topics.map((each) => (each.id === topic.id ? (stage ? { id: each.id, stage } : { id: each.id }) : each)) });
  };
  return html`<li part="topic">
    <label class="choice"
      ><input
        type="checkbox"
        name="topic"
        value=${topic.id}
        aria-invalid=${errors.topics ? 'true' : 'false'}
        .checked=${live(!!chosen)}
        @change=${toggle}
      />
      ${topic.label}</label
    >
    ${chosen && community.stages.length
      ? html`<div class="stage">
          <label for="stage-${topic.id}">${i18n.t('stageLabel', { topic: topic.label })}</label>
          <select id="stage-${topic.id}" part="stage-select" @change=${setStage}>
            <option value="" ?selected=${!chosen.stage}>${i18n.t('stageNone')}</option>
            ${community.stages.map(
              (stage) => html`<option value=${stage.id} ?selected=${chosen.stage === stage.id}>${stage.label}</option>`,
            )}
          </select>
        </div>`
      : nothing}
  </li>`;
}
