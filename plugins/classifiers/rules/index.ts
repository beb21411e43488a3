/**
 * `rules`: the default classifier. Weighted regex / keyword rules (built-in multilingual set
 * plus YAML rules) vote for a (category, subcategory); the best-scoring category wins.
 */
import type { Classification, Classifier, ClassifyInput, PluginDefinition } from '../../../src/plugins/types.js';
import { DEFAULT_RULES } from './default-rules.js';
import { checkRules, compileRule, decide, score, type CompiledRule } from './engine.js';
import { rulesOptionsSchema, type RulesOptions } from './schema.js';

export type { RuleSpec, RulesOptions } from './schema.js';

/** Messages for YAML rules that cannot be compiled, naming the rule: `rules[3].patterns[0]: …`. */
export function validateRules(options: Pick<RulesOptions, 'rules'>): string[] {
  return checkRules(options.rules, (i) => `rules[${i}]`);
}

/** The classifier itself, shared with the `llm` classifier's fallback. Throws on invalid rules. */
/** The rules classifier answers synchronously. */
export interface SyncClassifier extends Classifier {
  classify(input: ClassifyInput): Classification;
}

export function createRulesClassifier(options: Readonly<RulesOptions>): SyncClassifier {
  const errors = validateRules(options);
  if (errors.length > 0) throw new Error(`invalid classifier rules: ${errors.join('; ')}`);
  const rules: CompiledRule[] = [...(options.use_default_rules ? DEFAULT_RULES : []), ...options.rules].map(compileRule);
  const settings = {
    defaultCategory: options.default_category,
    defaultSubcategory: options.default_subcategory,
    minScore: options.min_score,
  };
  return {
    classify: (input) => decide(score(rules, input), settings, input),
  };
}

const rulesClassifier: PluginDefinition<'classifier', RulesOptions, Classifier> = {
  apiVersion: 1,
  kind: 'classifier',
  name: 'rules',
  description: 'Classifies prompts with weighted keyword and regex rules (built-in multilingual set plus YAML rules).',
  optionsSchema: rulesOptionsSchema,
  create: (options) => createRulesClassifier(options),
};

export default rulesClassifier;
