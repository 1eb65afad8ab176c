import type { Reason } from './types.js';

/** Display names the caller knows; anything missing falls back to the id. */
export interface ReasonNames {
  topics?: Record<string, string>;
  stages?: Record<string, string>;
  members?: Record<string, string>;
  languages?: Record<string, string>;
}

const languageNames = (() => {
  try {
    return new Intl.DisplayNames(['en'], { type: 'language' });
  } catch {
    return undefined;
  }
})();

function languageName(code: string, names?: ReasonNames): string {
  const given = names?.languages?.[code];
  if (given) return given;
  try {
    return languageNames?.of(code) ?? code;
  } catch {
    return code;
  }
}

/**
 * Plain English wording of one reason. The widget words reasons through its
 * own locale tables; this is the fallback for logs, the CLI and tests.
 */
export function describeReason(reason: Reason, names?: ReasonNames): string {
  switch (reason.kind) {
    case 'shared-topic': {
      const topic = names?.topics?.[reason.topic] ?? reason.topic;
      if (reason.stage === undefined) return `You are both here for ${topic}`;
      return `You are both here for ${topic}, ${names?.stages?.[reason.stage] ?? reason.stage}`;
    }
    case 'shared-language':
      return `You both speak ${languageName(reason.language, names)}`;
    case 'same-role':
      return reason.role === 'caregiver' ? 'You are both caregivers' : 'You are both patients';
    case 'mentor':
      return `${names?.members?.[reason.mentor] ?? reason.mentor} volunteers as a mentor`;
  }
}
