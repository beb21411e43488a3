/**
 * The rule engine: rules are compiled once (one RegExp per rule: its patterns and its keywords
 * joined), then a prompt is scored by summing the weights of the rules that match it.
 */
import type { Classification, ClassifyInput } from '../../../src/plugins/types.js';
import type { RuleSpec } from './schema.js';

/** Scanning more than this adds cost, not signal: intent sits at the start or the end. */
export const SCAN_HEAD = 2048;
export const SCAN_TAIL = 1024;

// JS `\b` is ASCII-only even with the `u` flag, so "vidéo" or "Übersetze" need explicit boundaries.
const WORD_START = '(?<![\\p{L}\\p{N}_])';
const WORD_END = '(?![\\p{L}\\p{N}_])';

/** With images attached and no stronger signal the user is asking about the image, not for one. */
const VISION_QA_WEIGHT = 1.5;
/** Attached files with no stronger signal: a question about the file's content. */
const FILE_ANALYSIS_WEIGHT = 1;

export interface CompiledRule {
  readonly category: string;
  readonly subcategory: string;
  readonly weight: number;
  /** Run on the original text with the `i` flag. */
  readonly regexes: readonly RegExp[];
  /** Run on the lower-cased text without the `i` flag. */
  readonly lowerRegexes: readonly RegExp[];
}

export interface EngineSettings {
  readonly defaultCategory: string;
  readonly defaultSubcategory: string;
  readonly minScore: number;
}

function escapeKeyword(keyword: string): string {
  return keyword
    .trim()
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/\s+/g, '\\s+');
}

/** Error messages for rules that cannot compile; `label(i)` names rule i in the messages. */
export function checkRules(rules: readonly RuleSpec[], label: (i: number) => string): string[] {
  const errors: string[] = [];
  rules.forEach((rule, i) => {
    const keywords = rule.keywords ?? [];
    if (rule.patterns.length === 0 && keywords.length === 0) {
      errors.push(`${label(i)}: needs at least one pattern or keyword`);
    }
    rule.patterns.forEach((source, j) => {
      try {
        new RegExp(source, 'iu');
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        errors.push(`${label(i)}.patterns[${j}]: invalid regular expression: ${why}`);
      }
    });
    keywords.forEach((kw, j) => {
      if (kw.trim() === '') errors.push(`${label(i)}.keywords[${j}]: must not be blank`);
    });
    if (!(rule.weight > 0)) errors.push(`${label(i)}.weight: must be greater than 0`);
  });
  return errors;
}

/**
 * A pattern with no upper-case literal can run without the `i` flag on the lower-cased text:
 * same matches, but V8 runs it several times faster (`\\b` under `iu` is especially slow).
 */
function isLowerCaseSource(source: string): boolean {
  // \p{Lu} and friends are case-sensitive; only the case-blind \p{L} / \p{N} may be folded.
  if (/\\[pP]\{(?![LN]\})/.test(source)) return false;
  const literals = source.replace(/\\[pP]\{[^}]*\}|\\k<[^>]*>|\\./g, '');
  return literals === literals.toLowerCase();
}

/** Assumes `checkRules` passed. Patterns with backreferences stay separate (joining renumbers groups). */
export function compileRule(rule: RuleSpec): CompiledRule {
  const lower: string[] = [];
  const mixed: string[] = [];
  const regexes: RegExp[] = [];
  const lowerRegexes: RegExp[] = [];
  for (const source of rule.patterns) {
    const folded = isLowerCaseSource(source);
    if (/\\[1-9]|\\k</.test(source)) (folded ? lowerRegexes : regexes).push(new RegExp(source, folded ? 'u' : 'iu'));
    else (folded ? lower : mixed).push(`(?:${source})`);
  }
  const keywords = (rule.keywords ?? []).map((k) => escapeKeyword(k.toLowerCase())).filter((k) => k !== '');
  if (keywords.length > 0) lower.push(`${WORD_START}(?:${keywords.join('|')})${WORD_END}`);
  if (lower.length > 0) lowerRegexes.unshift(new RegExp(lower.join('|'), 'u'));
  if (mixed.length > 0) regexes.unshift(new RegExp(mixed.join('|'), 'iu'));
  return { category: rule.category, subcategory: rule.subcategory, weight: rule.weight, regexes, lowerRegexes };
}

export function capText(prompt: string): string {
  if (prompt.length <= SCAN_HEAD + SCAN_TAIL) return prompt;
  return `${prompt.slice(0, SCAN_HEAD)}\n${prompt.slice(prompt.length - SCAN_TAIL)}`;
}

/** Scores per category, then per `category/subcategory`. */
export interface Scores {
  readonly byCategory: Map<string, number>;
  readonly bySub: Map<string, number>;
}

/** A plain loop: `regexes.some((re) => re.test(text))` allocated a closure per rule per request. */
function anyMatches(regexes: readonly RegExp[], text: string): boolean {
  for (const re of regexes) if (re.test(text)) return true;
  return false;
}

export function score(rules: readonly CompiledRule[], input: ClassifyInput): Scores {
  const text = capText(input.prompt);
  const lower = text.toLowerCase();
  const byCategory = new Map<string, number>();
  const bySub = new Map<string, number>();
  const add = (category: string, subcategory: string, weight: number): void => {
    byCategory.set(category, (byCategory.get(category) ?? 0) + weight);
    const key = `${category}/${subcategory}`;
    bySub.set(key, (bySub.get(key) ?? 0) + weight);
  };
  for (const rule of rules) {
    if (anyMatches(rule.lowerRegexes, lower) || anyMatches(rule.regexes, text)) add(rule.category, rule.subcategory, rule.weight);
  }
  if (input.hasImages) add('text', 'vision-qa', VISION_QA_WEIGHT);
  if (input.hasFiles) add('text', 'analysis', FILE_ANALYSIS_WEIGHT);
  return { byCategory, bySub };
}

/** Ties go to the more specific category. */
const TIE_ORDER: readonly string[] = ['code', 'document', 'video', 'image', 'text'];
function tieRank(category: string): number {
  const i = TIE_ORDER.indexOf(category);
  return i < 0 ? TIE_ORDER.length : i;
}

/** The margin between the best and the runner-up, mapped into [0, 1): 1 point ≈ 0.39, 3 ≈ 0.78. */
function confidenceOf(best: number, second: number): number {
  return Math.round((1 - Math.exp(-(best - second) / 2)) * 1000) / 1000;
}

export function decide(scores: Scores, settings: EngineSettings, input: ClassifyInput): Classification {
  const ranked = [...scores.byCategory.entries()].sort((a, b) => b[1] - a[1] || tieRank(a[0]) - tieRank(b[0]));
  const [first, second] = ranked;
  if (first === undefined || first[1] < settings.minScore) {
    // No evidence either way: the default is a coin toss, not a conviction.
    return { category: settings.defaultCategory, subcategory: settings.defaultSubcategory, confidence: 0.5 };
  }
  const category = first[0];
  // `general` rules only say which category; any named task in that category wins over them.
  let subcategory = 'general';
  let subScore = 0;
  for (const [key, value] of scores.bySub) {
    const slash = key.indexOf('/');
    if (key.slice(0, slash) !== category) continue;
    const sub = key.slice(slash + 1);
    if (sub === 'general') continue;
    // `generation` is the catch-all task of a producing category: on a tie the named task wins.
    if (value > subScore || (value === subScore && subcategory === 'generation')) {
      subcategory = sub;
      subScore = value;
    }
  }
  // A question about an attached image is vision-qa even when it reads like a plain question.
  if (input.hasImages && category === 'text' && (subcategory === 'qa' || subcategory === 'general')) {
    subcategory = 'vision-qa';
  }
  return { category, subcategory, confidence: confidenceOf(first[1], second?.[1] ?? 0) };
}
