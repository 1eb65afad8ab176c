/**
 * Signs that a clinician answering online is talking about a real patient:
 * clinicians have been fined for exactly this. Meant for expert answers, which
 * are held for review when anything is found; English and Spanish.
 */
import { findFullDates } from './dates.js';

export type DisclosureKind = 'patient-reference' | 'name-with-date';

export interface DisclosureFinding {
  kind: DisclosureKind;
  start: number;
  end: number;
  text: string;
}

const PERSON =
  '(?:\\d{1,3}[- ]?(?:year|yr|año)s?[- ]?old\\s+|young\\s+|older\\s+|elderly\\s+)?(?:woman|man|lady|gentleman|girl|boy|child|kid|teen(?:ager)?|patient|mother|mom|father|dad|baby|infant|person|guy|couple|family|mujer|hombre|señora|señor|chica|chico|niñ[oa]|beb[eé]|paciente|madre|padre|persona)';
const PATIENT_REFERENCE = new RegExp(
  '\\b(?:(?:my|our)\\s+(?:(?:former|current|last|own|elderly|young|older)\\s+)?patients?|(?:a|one)\\s+(?:patient|client)s?\\s+of\\s+(?:mine|ours)|one\\s+of\\s+(?:my|our)\\s+(?:patients|clients)' +
    '|(?:i|we)\\s+(?:recently\\s+|once\\s+|just\\s+)?(?:treated|saw|had|operated\\s+on|examined|cared\\s+for|delivered|admitted|discharged|looked\\s+after|diagnosed)\\s+(?:a|an|this|one)\\s+' +
    PERSON +
    '(?=[\\s,]+(?:who|with|that|whose|last|yesterday|today|this|recently))' +
    '|(?:mis?|nuestr[oa]s?)\\s+pacientes?|(?:un[oa]?|una)\\s+(?:de\\s+mis\\s+pacientes|paciente\\s+m[ií][oa])' +
    '|(?:atend[ií]|trat[eé]|oper[eé]|vi|tuve|recib[ií]|diagnostiqu[eé])\\s+(?:a\\s+)?(?:un|una|a\\s+un|a\\s+una)\\s+' +
    PERSON +
    ')\\b',
  'gi',
);

// Capitalised words that are not people's names, so "Last March 3, 2024" is not "name near a date".
const NOT_A_NAME =
  /^(?:I|The|A|An|My|Our|Your|His|Her|Their|This|That|On|In|At|Last|Next|Since|After|Before|When|We|She|He|They|It|And|But|So|Dr|Doctor|Mr|Mrs|Ms|Miss|Hospital|Clinic|Center|Centre|January|February|March|April|May|June|July|August|September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|El|La|Los|Las|Mi|Su|En|El|Hoy|Ayer)$/;
const TITLE = /^(?:Mr|Mrs|Ms|Miss|Mx|Sr|Sra|Srta|Don|Doña)\.?$/;
const CAPITALISED = /\p{Lu}[\p{Ll}'-]+\.?/gu;
const NAME_DATE_GAP = 40;

/** "Mrs. Alvarez", "John Miller": a title or a capitalised word, then a capitalised word that could be a name. */
function* names(text: string) {
  const words = [...text.matchAll(CAPITALISED)];
  for (let i = 0; i + 1 < words.length; i++) {
    const [first, second] = [words[i]!, words[i + 1]!];
    const firstEnd = first.index + first[0].length;
    if (!/^\s+$/.test(text.slice(firstEnd, second.index)) || NOT_A_NAME.test(second[0].replace(/\.$/, ''))) continue;
    if (TITLE.test(first[0]) || !NOT_A_NAME.test(first[0].replace(/\.$/, ''))) {
      yield { start: first.index, end: second.index + second[0].length };
    }
  }
}

export function findPatientDisclosure(text: string): DisclosureFinding[] {
  const found: DisclosureFinding[] = [];
  for (const m of text.matchAll(PATIENT_REFERENCE)) {
    found.push({ kind: 'patient-reference', start: m.index, end: m.index + m[0].length, text: m[0] });
  }
  const dates = findFullDates(text);
  if (dates.length) {
    for (const name of names(text)) {
      const date = dates.find(
        (d) =>
          (d.start >= name.end && d.start - name.end <= NAME_DATE_GAP) ||
          (d.end <= name.start && name.start - d.end <= NAME_DATE_GAP),
      );
      if (date) {
        const start = Math.min(name.start, date.start);
        const end = Math.max(name.end, date.end);
        found.push({ kind: 'name-with-date', start, end, text: text.slice(start, end) });
      }
    }
  }
  return found.sort((a, b) => a.start - b.start);
}
