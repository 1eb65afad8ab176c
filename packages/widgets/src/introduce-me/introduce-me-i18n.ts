import type { CommunityView, IntroReason, IntroductionView } from '@kindred/protocol';
import type { KeyOf } from '../i18n/index.js';
import { ElementLocalizer } from '../shared/element-localizer.js';
import { introduceMeEn, type IntroduceMeMessages } from './strings.en.js';

export type IntroduceMeKey = KeyOf<IntroduceMeMessages>;

const tables: Record<string, Partial<IntroduceMeMessages>> = { en: introduceMeEn };
const loaders = { es: () => import('./strings.es.js').then((module) => module.introduceMeEs) };

/**
 * The element's strings (its own table before the shared one, see
 * ElementLocalizer), speaking of messages and introductions. It also words
 * the community's lists: language names through Intl.DisplayNames, the
 * structured reasons of a match with the community's labels, dates.
 */
export class IntroduceMeLocalizer extends ElementLocalizer<IntroduceMeMessages> {
  constructor(host: Element) {
    super(host, introduceMeEn, tables, loaders);
  }

  /** "Spanish" for `es` in English, "español" in Spanish; the code itself where the browser has no name for it. */
  language(code: string): string {
    try {
      return new Intl.DisplayNames([this.locale], { type: 'language' }).of(code) ?? code;
    } catch {
      return code;
    }
  }

  /** "Knee replacement, Hip replacement and Shoulder replacement". */
  list(items: readonly string[]): string {
    return new Intl.ListFormat(this.locale, { type: 'conjunction' }).format(items);
  }

  /** A day and time people plan around: "Monday, March 10, 2025 at 9:00 AM". */
  day(iso: string): string {
    return new Intl.DateTimeFormat(this.locale, { dateStyle: 'full', timeStyle: 'short' }).format(new Date(iso));
  }

  /** One reason of a match in words, with the community's labels (its ids where a label is missing). */
  reason(reason: IntroReason, introduction: IntroductionView, community: CommunityView | null): string {
    const name = introduction.other.name;
    switch (reason.kind) {
      case 'shared-topic': {
        const topic = labelOf(community?.topics, reason.topic);
        const stage = reason.stage ? labelOf(community?.stages, reason.stage) : '';
        return this.t('reason_topic', { topic: stage ? this.t('topicStage', { topic, stage }) : topic });
      }
      case 'shared-language':
        return this.t('reason_language', { language: this.language(reason.language) });
      case 'same-role':
        return this.t(`reason_role_${reason.role}`);
      case 'mentor':
        return this.t(reason.mentor === introduction.other.id ? 'reason_mentorOther' : 'reason_mentorMe', { name });
    }
  }
}

export function labelOf(options: readonly { id: string; label: string }[] | undefined, id: string): string {
  return options?.find((option) => option.id === id)?.label ?? id;
}
