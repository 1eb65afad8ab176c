import type { ErrorCode } from '@kindred/protocol';
import { KindredError } from '@kindred/client';
import { readsServerWords, type MessageParams } from '../i18n/index.js';

/** Refusals the visitor elements word (the shared table, or the element's own); any other code shows the server's message. */
export const WORDED_REFUSALS = [
  'NOT_SIGNED_IN',
  'NOT_AUTHORISED',
  'NOT_FOUND',
  'GUESTS_NOT_ALLOWED',
  'RATE_LIMITED',
  'BANNED_WORD',
  'SUSPENDED',
  'BANNED',
  'UNAVAILABLE',
  'INTERNAL',
] as const satisfies readonly ErrorCode[];

/** What the wording needs of an element's localizer: the words for the codes it words, and "in 2 minutes". */
export interface ErrorLocalizer<Worded extends ErrorCode> {
  readonly locale: string;
  t(key: `error_${Worded | 'INTERNAL' | 'INVALID_INPUT'}` | 'rateLimitedIn', params?: MessageParams): string;
  after(ms: number): string;
}

/**
 * A refusal in words: invalid input as the server explains it, without the
 * field's name; a rate limit with when to try again; the codes in `worded`
 * in the element's tables (`{site}` is the host site); any other code as
 * the server's message; anything that is not a refusal as an internal error.
 * The server writes English: in another language, invalid input gets the
 * element's general words and any other code the internal-error ones.
 */
export function errorText<Worded extends ErrorCode>(
  i18n: ErrorLocalizer<Worded>,
  error: unknown,
  worded: readonly Worded[],
  site: string,
): string {
  if (!(error instanceof KindredError)) return i18n.t('error_INTERNAL');
  const { code, message, retryAfterMs } = error;
  const english = readsServerWords(i18n.locale);
  if (code === 'INVALID_INPUT') {
    if (!english) return i18n.t('error_INVALID_INPUT');
    const reason = message.replace(/^[\w.]+: /, '');
    return reason.charAt(0).toUpperCase() + reason.slice(1);
  }
  if (code === 'RATE_LIMITED' && retryAfterMs) return i18n.t('rateLimitedIn', { when: i18n.after(retryAfterMs) });
  if ((worded as readonly ErrorCode[]).includes(code)) return i18n.t(`error_${code as Worded}`, { site });
  return english ? message : i18n.t('error_INTERNAL');
}
