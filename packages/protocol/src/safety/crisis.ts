/**
 * Self-harm and suicide language in English and Spanish. Recall comes first
 * (a moderator reviews every match and the author is shown the support panel
 * at once), but the everyday idioms of a hospital site stay out: "my knee is
 * killing me", "dying to get back to golf", "me muero de ganas".
 */
export interface CrisisMatch {
  language: 'en' | 'es';
  start: number;
  end: number;
  text: string;
}

const EN = [
  // Wishes to die or be dead; not "die of embarrassment", "die at home, peacefully".
  "\\b(?:want(?:ed|ing)?|wanna|wish|ready|deserve|try(?:ing)?|tried|rather)\\s+(?:to\\s+)?(?:just\\s+)?die\\b(?!\\s+(?:of|from|laughing|at\\s+home|peacefully|in\\s+(?:(?:my|his|her|their|our)\\s+(?:own\\s+)?(?:sleep|bed|home)|peace|hospital)|with\\s+dignity|comfortabl|surrounded|old|than))",
  "\\bwish\\s+(?:that\\s+)?i\\s+(?:was|were|could\\s+be)\\s+dead|\\bwish\\s+i\\s+(?:would|could)\\s+(?:just\\s+)?die|\\bwish\\s+i\\s+(?:had\\s+)?never\\s+(?:been\\s+born|woken\\s+up|woke\\s+up)|\\b(?:want|rather)\\s+(?:to\\s+)?be\\s+dead",
  '\\b(?:kill(?:ing)?|hang(?:ing)?|shoot(?:ing)?|drown(?:ing)?|off(?:ing)?)\\s+my\\s?self\\b(?!\\s+laughing)',
  "\\b(?:end(?:ing)?|take|taking)\\s+(?:my\\s+(?:own\\s+)?life|it\\s+all)\\b|\\bend(?:ing)?\\s+(?:it|things|everything)(?=\\s*(?:[.!?]|$|now|tonight|soon|for\\s+good|forever|once))",
  "\\b(?:feel(?:ing|s)?|am|i'?m|been|felt|get|getting|having|have|had)\\s+(?:so\\s+|very\\s+|really\\s+|pretty\\s+|kind\\s+of\\s+)?suicidal|\\bsuicidal\\s+(?:thoughts|ideation|feelings|urges)|\\b(?:think(?:ing)?|thought|thoughts|considering|considered|contemplat\\w*|plan(?:ning)?|attempt(?:ing)?)\\s+(?:about\\s+|of\\s+)?(?:committing\\s+)?suicide|\\bcommit\\s+suicide",
  "\\bno\\s+(?:reason|point|purpose)\\s+(?:to|in|for)\\s+(?:live|living|go(?:ing)?\\s+on|be(?:ing)?\\s+(?:alive|here))|\\bnothing\\s+(?:left\\s+)?to\\s+live\\s+for|\\b(?:tired|sick)\\s+of\\s+(?:living|being\\s+alive)|(?:n'?t|not|no\\s+longer)\\s+worth\\s+(?:living|being\\s+alive|staying\\s+alive)",
  "\\b(?:don'?t|do\\s+not|doesn'?t|didn'?t)\\s+want\\s+to\\s+(?:live|be\\s+alive|exist|go\\s+on|wake\\s+up|be\\s+here)(?:\\s+(?:like\\s+this|this\\s+way))?(?:\\s+(?:any\\s?more|again|tomorrow)|(?=\\s*(?:[.!?,;]|$|and\\b|but\\b|because\\b)))|\\bcan'?t\\s+go\\s+on(?:\\s+(?:any\\s?more|like\\s+this))?(?=\\s*(?:[.!?,;]|$))",
  "\\bbetter\\s+off\\s+(?:dead|without\\s+me|if\\s+i\\s+(?:was|were)(?:n'?t|\\s+not|\\s+gone))|\\bbetter\\s+off\\s+if\\s+i\\s+(?:died|was\\s+gone)",
  // Self-harm; not "cutting back on salt" or "cut myself shaving".
  "\\b(?:been|started|start|keep|kept|back\\s+to|i'?m|am|was)\\s+cutting\\s+(?:myself|my\\s+(?:arms?|wrists?|legs?|thighs?|skin)|again)|\\b(?:been|started|kept|keep)\\s+cutting(?=\\s*(?:[.!?]|$))|\\bcut(?:ting)?\\s+(?:myself|my\\s+wrists?)\\b(?!\\s+(?:shaving|on\\s+(?!purpose)|while|by\\s+accident|accidentally|cooking|chopping|slicing))|\\b(?:i|been|started|to)\\s+self[- ]?harm|\\bself[- ]?harming\\b",
  '\\b(?:want(?:ed)?|urges?|going|gonna|thinking\\s+about|thought\\s+about|started|keep|been|need)\\s+(?:to\\s+)?(?:hurt|harm|burn)(?:ing)?\\s+myself|\\b(?:hurt|harm|burn)(?:ing|ed)?\\s+myself\\s+on\\s+purpose',
  '\\boverdos(?:e|ing)\\s+(?:on\\s+(?:my\\s+)?\\w+\\s+)?(?:on\\s+purpose|intentionally|deliberately)|\\b(?:want(?:ed)?\\s+to|going\\s+to|gonna|thinking\\s+(?:of|about)|thought\\s+(?:of|about)|could\\s+(?:just\\s+)?|tempted\\s+to|plan(?:ning)?\\s+to|almost)\\s+(?:take|taking|swallow(?:ing)?|took|overdos(?:e|ing))(?:\\s+(?:all|every|the\\s+whole))?|\\bstockpil\\w+\\s+(?:my\\s+)?(?:\\w+\\s+)?(?:pills|meds|medications?|tablets)',
  '\\bjump(?:ing)?\\s+(?:off|from|in\\s+front\\s+of)\\s+(?:a|the|my)\\s+(?:bridge|building|roof|balcony|train|cliff)',
];

const ES = [
  '\\b(?:quiero|quisiera|deseo|ganas\\s+de|pienso\\s+en|preferir[ií]a|me\\s+quiero)\\s+(?:me\\s+)?morir(?:me)?\\b(?!\\s+de\\b)',
  '(?<!\\b(?:va|van|vas|puede|pueden|podr[ií]a|podr[ií]an|iba|iban)\\s+a\\s+|\\b(?:puede|pueden|podr[ií]a|podr[ií]an)\\s+)\\bmatarme\\b|\\bsuicidarme\\b|\\bquitarme\\s+la\\s+vida|\\bme\\s+(?:voy\\s+a|quiero)\\s+(?:matar|suicidar)\\b|\\b(?:acabar|terminar)\\s+con\\s+(?:mi\\s+vida|todo)\\b(?!\\s+(?:el|la|los|las|esto|eso|lo)\\b)',
  '\\bno\\s+(?:vale|merece)\\s+la\\s+pena\\s+(?:vivir|seguir)|\\bno\\s+quiero\\s+(?:vivir|seguir\\s+viviendo|seguir\\s+aqu[ií]|despertar(?:me)?)(?:\\s+(?:m[aá]s|as[ií])(?!\\w)|(?=\\s*(?:[.!?,;]|$|y\\b|porque\\b)))|\\b(?:no\\s+tengo|sin)\\s+(?:ninguna\\s+)?(?:raz[oó]n|motivo|ganas)\\s+(?:para|de)\\s+vivir',
  '\\bmejor\\s+sin\\s+m[ií](?!\\w)|\\b(?:estar[ií]a|ser[ií]a)\\s+mejor\\s+(?:estar\\s+)?muert[oa]|\\bojal[aá]\\s+(?:estuviera\\s+muert[oa]|me\\s+muriera|no\\s+despertara|no\\s+hubiera\\s+nacido)',
  '\\b(?:pensamientos|ideas?)\\s+suicidas?|\\bpienso\\s+en\\s+(?:el\\s+)?suicid(?:io|arme)',
  '\\bhacerme\\s+da[ñn]o\\b|\\blastimarme\\b|\\bcortarme\\b(?!\\s+el\\s+pelo|\\s+las\\s+u[ñn]as)|\\bme\\s+(?:he\\s+estado\\s+cortando|corto\\s+(?:los\\s+brazos|las\\s+mu[ñn]ecas|otra\\s+vez)|estoy\\s+cortando)|\\bautolesi(?:[oó]n|ones|onarme)|\\bsobredosis\\s+a\\s+prop[oó]sito|\\btomarme\\s+todas\\s+las\\s+pastillas|\\btirarme\\s+(?:de|por|desde|a)\\s+(?:un|una|el|la)\\s+(?:puente|balc[oó]n|ventana|edificio|tren|azotea)',
];

const compile = (language: 'en' | 'es', sources: string[]) =>
  sources.map((source) => ({ language, re: new RegExp(source, 'gi') }));
const RULES = [...compile('en', EN), ...compile('es', ES)];

// A denial, fear or precaution just before the phrase: "I'm not suicidal", "no self-harm", "miedo de hacerme daño".
const NEGATED =
  /\b(?:any|not|never|don'?t|didn'?t|won'?t|wouldn'?t|no|nor|denies|denied|without|afraid|scared|careful|avoid|worried|nunca|jam[aá]s|ni|sin|miedo|cuidado|evitar|temo)\b(?:\W+\w+){0,2}\W*$/i;
// A clinician's screening question reported by the author: "they asked me if I feel like ending my life".
const SCREENING = /\b(?:ask(?:ed|s|ing)?|screen(?:ed|ing)?|question|pregunt\w*)\b.*\b(?:if|whether|about|for|si)\b/i;

export function detectCrisis(text: string): CrisisMatch | null {
  const normalised = text.replace(/[’‘ʼ`]/g, "'");
  let best: CrisisMatch | null = null;
  for (const { language, re } of RULES) {
    for (const m of normalised.matchAll(re)) {
      if (best && m.index >= best.start) break;
      const clause = normalised.slice(Math.max(0, m.index - 40), m.index).split(/[.,;!?]/).pop() ?? '';
      // Phrases that contain their own negation ("don't want to live") are not undone by it.
      if (!/^(?:no|don|do|doesn|didn|n'?t|not)\b/i.test(m[0]) && NEGATED.test(clause)) continue;
      if (SCREENING.test(clause)) continue;
      best = { language, start: m.index, end: m.index + m[0].length, text: text.slice(m.index, m.index + m[0].length) };
      break;
    }
  }
  return best;
}
