import { html, nothing, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';

export interface ChoiceOptions<T extends string> {
  type: 'radio' | 'checkbox';
  name: string;
  values: readonly T[];
  checked(value: T): boolean;
  label(value: T): string | TemplateResult;
  onChange(value: T, checked: boolean): void;
  /** Sets `aria-invalid` on every box (left out when the form never reports a problem for the group). */
  invalid?: boolean;
}

/** A group's radio buttons or checkboxes, each inside its label (the choice's words beside the box, wrapping beside it). */
export function renderChoices<T extends string>(o: ChoiceOptions<T>): TemplateResult[] {
  return o.values.map(
    (value) =>
      html`<label class="choice"
        ><input
          type=${o.type}
          name=${o.name}
          value=${value}
          aria-invalid=${o.invalid === undefined ? nothing : o.invalid ? 'true' : 'false'}
          .checked=${live(o.checked(value))}
          @change=${(event: Event) => o.onChange(value, (event.target as HTMLInputElement).checked)}
        />
        ${o.label(value)}</label
      >`,
  );
}
