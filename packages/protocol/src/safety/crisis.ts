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
  "\\b(want(ed|ing)?|wanna|wish|ready|deserve|try(ing)?|tried|rather) (to )?(just )?die\\b(?! (of|from|laughing|at home|peacefully|in ((my|his|her|their|our) (own )?(sleep|bed|home)|peace|hospital)|with dignity|comfortabl|surrounded|old|than))",
  "\\bwish (that )?i (was|were|could be) dead|\\bwish i (would|could) (just )?die|\\bwish i (had )?never (been born|woken up|woke up)|\\b(want|rather) (to )?be dead",
  '\\b(kill(ing)?|hang(ing)?|shoot(ing)?|drown(ing)?|off(ing)?) my\\s?self\\b(?! laughing)',
  "\\b(end(ing)?|take|taking) (my (own )?life|it all)\\b|\\bend(ing)? (it|things|everything)(?=\\s*([.!?]|$|now|tonight|soon|for good|forever|once))",
  "\\b(feel(ing|s)?|am|i'?m|been|felt|get|getting|having|have|had) (so |very |really |pretty |kind of )?suicidal|\\bsuicidal (thoughts|ideation|feelings|urges)|\\b(think(ing)?|thought|thoughts|considering|considered|contemplat\\w*|plan(ning)?|attempt(ing)?) (about |of )?(committing )?suicide|\\bcommit suicide",
  "\\bno (reason|point|purpose) (to|in|for) (live|living|go(ing)? on|be(ing)? (alive|here))|\\bnothing (left )?to live for|\\b(tired|sick) of (living|being alive)|(n'?t|not|no longer) worth (living|being alive|staying alive)",
  "\\b(don'?t|do not|doesn'?t|didn'?t) want to (live|be alive|exist|go on|wake up|be here)( (like this|this way))?( (any\\s?more|again|tomorrow)|(?=\\s*([.!?,;]|$|and\\b|but\\b|because\\b)))|\\bcan'?t go on( (any\\s?more|like this))?(?=\\s*([.!?,;]|$))",
  "\\bbetter off (dead|without me|if i (just )?(was|were|wasn'?t|weren'?t|died|disappeared|left|gone|dead|not|here|around)\\b)|\\b(disappear|vanish) (forever|for good|permanently)|\\b(rather|want to|wish i could) not (be alive|exist|wake up)",
  // Self-harm; not "cutting back on salt" or "cut myself shaving".
  "\\b(been|started|start|keep|kept|back to|i'?m|am|was) cutting (myself|my (arms?|wrists?|legs?|thighs?|skin)|again)|\\b(been|started|kept|keep) cutting(?=\\s*([.!?]|$))|\\bcut(ting)? (myself|my wrists?)\\b(?! (shaving|on (?!purpose)|while|by accident|accidentally|cooking|chopping|slicing))|\\b(i|been|started|to) self[- ]?harm|\\bself[- ]?harming\\b",
  '\\b(want(ed)?|urges?|going|gonna|thinking about|thought about|started|keep|been|need) (to )?(hurt|harm|burn)(ing)? myself|\\b(hurt|harm|burn)(ing|ed)? myself on purpose',
  '\\b(extra|too many|all( of)?( my| the)?|a (handful|bottle|bunch) of) (\\w+ )?(pills|meds|medications?|tablets|insulin)\\b[^.!?]{0,30}\\bon purpose|\\boverdos(e|ing) (on (my )?\\w+ )?(on purpose|intentionally|deliberately)|\\b(want(ed)? to|going to|gonna|thinking (of|about)|thought (of|about)|could (just )?|tempted to|plan(ning)? to|almost) (take|taking|swallow(ing)?|took|overdos(e|ing))( (all|every|the whole))?|\\bstockpil\\w+ (my )?(\\w+ )?(pills|meds|medications?|tablets)',
  '\\bjump(ing)? (off|from|in front of) (a|the|my) (bridge|building|roof|balcony|train|cliff)',
];

const ES = [
  '\\b(quiero|quisiera|deseo|ganas de|pienso en|preferir[ií]a|me quiero) (me )?morir(me)?\\b(?! de\\b)',
  '(?<!\\b(va|van|vas|puede|pueden|podr[ií]a|podr[ií]an|iba|iban) a |\\b(puede|pueden|podr[ií]a|podr[ií]an) )\\bmatarme\\b|\\bsuicidarme\\b|\\bquitarme la vida|\\bme (voy a|quiero) (matar|suicidar)\\b|\\b(acabar|terminar) con (mi vida|todo)\\b(?! (el|la|los|las|esto|eso|lo)\\b)',
  '\\bno (vale|merece) la pena (vivir|seguir)|\\bno quiero (vivir|seguir viviendo|(seguir|estar) aqu[ií]|despertar(me)?)( (m[aá]s|as[ií])(?!\\w)|(?=\\s*([.!?,;]|$|y\\b|porque\\b)))|\\b(no tengo|sin) (ninguna )?(raz[oó]n|motivo|ganas) (para|de) vivir',
  '\\bmejor sin m[ií](?!\\w)|\\b(estar[ií]a|ser[ií]a) mejor (estar )?muert[oa]|\\bojal[aá] (estuviera muert[oa]|me muriera|no despertara|no hubiera nacido)',
  '\\b(pensamientos|ideas?) suicidas?|\\bpienso en (el )?suicid(io|arme)',
  '\\bhacerme da[ñn]o\\b|\\blastimarme\\b|\\bcortarme\\b(?! el pelo| las u[ñn]as)|\\bme (he estado cortando|corto (los brazos|las mu[ñn]ecas|otra vez)|estoy cortando)|\\bautolesi([oó]n|ones|onarme)|\\b(sobredosis|pastillas)[^.!?]{0,30}a prop[oó]sito|\\bdesaparecer para siempre|\\btomarme todas las pastillas|\\btirarme (de|por|desde|a) (un|una|el|la) (puente|balc[oó]n|ventana|edificio|tren|azotea)',
];

// Written compactly (this ships in the widget bundle): a space stands for \s+ and "(" for "(?:".
const compile = (language: 'en' | 'es', sources: string[]) =>
  sources.map((source) => ({
    language,
    re: new RegExp(source.replace(/ /g, '\\s+').replace(/\((?!\?)/g, '(?:'), 'gi'),
  }));
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
