/** Options of the `rules` classifier; the pieces are reused by the `llm` classifier's fallback. */
import type { JSONSchemaType } from 'ajv';
import { CATEGORIES, type Category } from './taxonomy.js';

export interface RuleSpec {
  category: Category;
  subcategory: string;
  /** JavaScript regex sources, matched case-insensitively with the `u` flag. */
  patterns: string[];
  /** Plain words or phrases, matched on word boundaries, case-insensitively. */
  keywords?: string[];
  weight: number;
}

export interface RulesOptions {
  rules: RuleSpec[];
  use_default_rules: boolean;
  default_category: Category;
  default_subcategory: string;
  min_score: number;
}

export const ruleSchema: JSONSchemaType<RuleSpec> = {
  type: 'object',
  additionalProperties: false,
  required: ['category', 'subcategory', 'patterns', 'weight'],
  properties: {
    category: { type: 'string', enum: [...CATEGORIES], description: 'The category this rule votes for.' },
    subcategory: { type: 'string', minLength: 1, description: 'The subcategory this rule votes for, e.g. debugging.' },
    patterns: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      default: [],
      description: 'JavaScript regular expressions, matched case-insensitively (unicode); any match counts.',
    },
    keywords: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      nullable: true,
      description: 'Plain words or phrases matched on word boundaries, case-insensitively; any match counts.',
    },
    weight: { type: 'number', exclusiveMinimum: 0, default: 1, description: 'Score added when the rule matches.' },
  },
};

type Props<T> = JSONSchemaType<T>;

/** The option schemas shared by every classifier that embeds the rule engine. */
export const rulesOptionsProperties: {
  rules: Props<RuleSpec[]>;
  use_default_rules: Props<boolean>;
  default_category: Props<Category>;
  default_subcategory: Props<string>;
  min_score: Props<number>;
} = {
  rules: {
    type: 'array',
    items: ruleSchema,
    default: [],
    description: 'Extra rules, added to the built-in ones (or replacing them with use_default_rules: false).',
  },
  use_default_rules: {
    type: 'boolean',
    default: true,
    description: 'Whether the built-in multilingual rule set is used in addition to `rules`.',
  },
  default_category: {
    type: 'string',
    enum: [...CATEGORIES],
    default: 'text',
    description: 'The category chosen when no category reaches min_score.',
  },
  default_subcategory: {
    type: 'string',
    minLength: 1,
    default: 'general',
    description: 'The subcategory chosen with default_category.',
  },
  min_score: {
    type: 'number',
    minimum: 0,
    default: 1,
    description: 'The score a category needs to win; below it the default category is chosen.',
  },
};

export const RULES_OPTION_KEYS = ['rules', 'use_default_rules', 'default_category', 'default_subcategory', 'min_score'] as const;

export const rulesOptionsSchema: JSONSchemaType<RulesOptions> = {
  type: 'object',
  additionalProperties: false,
  required: [...RULES_OPTION_KEYS],
  properties: rulesOptionsProperties,
};
