import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { PluginContext } from '../../../src/plugins/types.js';
import rulesPlugin, { createRulesClassifier, validateRules, type RulesOptions } from './index.js';
import { DEFAULT_RULES } from './default-rules.js';
import { capText, SCAN_HEAD, SCAN_TAIL } from './engine.js';

interface Labeled {
  prompt: string;
  category: string;
  subcategory: string;
  hasImages?: boolean;
  hasFiles?: boolean;
}

function load(name: string): Labeled[] {
  const file = fileURLToPath(new URL(`../../../test/fixtures/classifier/${name}`, import.meta.url));
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Labeled);
}

/** Options as the loader hands them over: validated by the plugin's schema, defaults applied. */
function options(raw: Record<string, unknown> = {}): RulesOptions {
  const validate = new Ajv({ useDefaults: true, allErrors: true }).compile(rulesPlugin.optionsSchema);
  const opts = structuredClone(raw);
  if (!validate(opts)) throw new Error(JSON.stringify(validate.errors));
  return opts;
}

const ctx = {} as PluginContext; // the rules classifier touches nothing in the context
const input = (prompt: string, extra: Partial<{ hasImages: boolean; hasFiles: boolean }> = {}) => ({
  prompt,
  hasImages: false,
  hasFiles: false,
  ...extra,
});

function evaluate(name: string): { accuracy: number; subAccuracy: number; misses: string[] } {
  const rows = load(name);
  const classifier = createRulesClassifier(options());
  const misses: string[] = [];
  let subOk = 0;
  for (const row of rows) {
    const out = classifier.classify(input(row.prompt, { hasImages: row.hasImages === true, hasFiles: row.hasFiles === true }));
    if (out.category !== row.category) {
      misses.push(`${row.category} → ${out.category}/${out.subcategory}: ${JSON.stringify(row.prompt.slice(0, 80))}`);
    } else if (out.subcategory === row.subcategory) subOk++;
  }
  return { accuracy: 1 - misses.length / rows.length, subAccuracy: subOk / rows.length, misses };
}

describe('rules classifier: labeled prompt sets', () => {
  for (const name of ['labeled.jsonl', 'heldout.jsonl']) {
    it(`${name}: category accuracy ≥ 90%`, () => {
      const { accuracy, subAccuracy, misses } = evaluate(name);
      console.log(`${name}: category ${(accuracy * 100).toFixed(1)}%, subcategory ${(subAccuracy * 100).toFixed(1)}%`);
      if (misses.length > 0) console.log(`misses (expected → got):\n  ${misses.join('\n  ')}`);
      expect(accuracy).toBeGreaterThanOrEqual(0.9);
    });
  }

  it('has balanced, sizeable sets', () => {
    for (const [name, min] of [
      ['labeled.jsonl', 150],
      ['heldout.jsonl', 60],
    ] as const) {
      const rows = load(name);
      expect(rows.length).toBeGreaterThanOrEqual(min);
      for (const cat of ['text', 'code', 'image', 'video', 'document']) {
        expect(rows.filter((r) => r.category === cat).length).toBeGreaterThanOrEqual(min / 6);
      }
    }
  });
});

describe('rules classifier: behaviour', () => {
  const classifier = createRulesClassifier(options());
  const cls = (p: string, extra = {}) => classifier.classify(input(p, extra));

  it('separates what is produced from what is talked about', () => {
    expect(cls('explain this Python error')).toMatchObject({ category: 'code', subcategory: 'debugging' });
    expect(cls('summarize this article about image recognition')).toMatchObject({ category: 'text', subcategory: 'summarization' });
    expect(cls('write a poem')).toMatchObject({ category: 'text', subcategory: 'creative' });
    expect(cls('create a PowerPoint about dogs')).toMatchObject({ category: 'document', subcategory: 'presentation' });
    expect(cls('draw a cat')).toMatchObject({ category: 'image', subcategory: 'generation' });
  });

  it('falls back to the default category with no evidence, and confidence grows with the margin', () => {
    expect(cls('hello there')).toEqual({ category: 'text', subcategory: 'general', confidence: 0.5 });
    const weak = cls('video');
    const strong = cls('Generate a 10-second video clip of a cat, slow motion');
    expect(weak.category).toBe('video');
    expect(strong.confidence).toBeGreaterThan(weak.confidence);
    expect(strong.confidence).toBeLessThanOrEqual(1);
  });

  it('treats a question with an attached image as vision-qa, an edit request as image', () => {
    expect(cls('What is in it?', { hasImages: true })).toMatchObject({ category: 'text', subcategory: 'vision-qa' });
    expect(cls('', { hasImages: true })).toMatchObject({ category: 'text', subcategory: 'vision-qa' });
    expect(cls('Remove the background from this photo', { hasImages: true }).category).toBe('image');
  });

  it('recognises code by its shape (fences, stack traces, indentation)', () => {
    expect(cls('```\nfoo bar\n```').category).toBe('code');
    expect(cls('Traceback (most recent call last):\n  File "x.py", line 1\nValueError: bad')).toMatchObject({ category: 'code', subcategory: 'debugging' });
    expect(cls('for x in items:\n    if x:\n        total += x\n    else:\n        skip(x)').category).toBe('code');
  });

  it('scans only the head and tail of long prompts', () => {
    const long = `${'a'.repeat(SCAN_HEAD)}MIDDLE${'b'.repeat(10_000)}`;
    expect(capText(long)).not.toContain('MIDDLE');
    expect(capText(long).length).toBe(SCAN_HEAD + SCAN_TAIL + 1);
    const prose = 'The committee met and agreed to revisit the proposal next quarter. ';
    expect(cls(`Summarize this text:\n${prose.repeat(400)}`).subcategory).toBe('summarization');
  });

  it('resists catastrophic backtracking on adversarial input', () => {
    const nasty = `${'a '.repeat(5000)}${'('.repeat(2000)}${'x'.repeat(5000)}${'\n    y'.repeat(500)}`;
    // A vulnerable regex would not return at all within the test timeout; no timing is asserted.
    expect(cls(nasty).category).toBeTypeOf('string');
  });
});

describe('rules classifier: options', () => {
  it('adds YAML rules to the defaults', () => {
    const c = createRulesClassifier(options({ rules: [{ category: 'video', subcategory: 'generation', keywords: ['zorblax'], weight: 5 }] }));
    expect(c.classify(input('please zorblax my cat'))).toMatchObject({ category: 'video', subcategory: 'generation' });
    expect(c.classify(input('draw a cat')).category).toBe('image'); // defaults still there
  });

  it('use_default_rules: false keeps only the YAML rules', () => {
    const c = createRulesClassifier(
      options({
        use_default_rules: false,
        rules: [{ category: 'code', subcategory: 'sql', patterns: ['\\bSELECT\\b'], weight: 2 }],
        default_category: 'document',
        default_subcategory: 'pdf',
      }),
    );
    expect(c.classify(input('select name from users'))).toMatchObject({ category: 'code', subcategory: 'sql' });
    expect(c.classify(input('draw a cat'))).toMatchObject({ category: 'document', subcategory: 'pdf' });
  });

  it('keywords match on word boundaries, case-insensitively, including non-ASCII words', () => {
    const c = createRulesClassifier(
      options({
        use_default_rules: false,
        rules: [{ category: 'image', subcategory: 'generation', keywords: ['Übersicht', 'cat'] }],
      }),
    );
    expect(c.classify(input('eine ÜBERSICHT bitte')).category).toBe('image');
    expect(c.classify(input('a CAT')).category).toBe('image');
    expect(c.classify(input('concatenate')).category).toBe('text');
    expect(c.classify(input('scatter')).category).toBe('text');
  });

  it('min_score: a category below it loses to the default', () => {
    const rules = [{ category: 'code', subcategory: 'general', keywords: ['widget'], weight: 1 }];
    expect(createRulesClassifier(options({ use_default_rules: false, rules, min_score: 2 })).classify(input('widget')).category).toBe('text');
    expect(createRulesClassifier(options({ use_default_rules: false, rules, min_score: 1 })).classify(input('widget')).category).toBe('code');
  });

  it('patterns with backreferences still work', () => {
    const c = createRulesClassifier(options({ use_default_rules: false, rules: [{ category: 'code', subcategory: 'general', patterns: ['(ab)\\1', 'zz'] }] }));
    expect(c.classify(input('xxABABxx')).category).toBe('code');
  });

  it('an invalid regex is reported naming the rule, and create() throws', () => {
    const bad = options({
      rules: [
        { category: 'code', subcategory: 'sql', patterns: ['select'] },
        { category: 'text', subcategory: 'qa', patterns: ['ok', '(unclosed'] },
      ],
    });
    const errors = validateRules(bad);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^rules\[1\]\.patterns\[1\]: invalid regular expression: /);
    expect(() => rulesPlugin.create(bad, ctx)).toThrow(/rules\[1\]\.patterns\[1\]: invalid regular expression/);
  });

  it('a rule with neither patterns nor keywords is an error', () => {
    expect(validateRules(options({ rules: [{ category: 'code', subcategory: 'x' }] }))).toEqual(['rules[0]: needs at least one pattern or keyword']);
  });

  it('the schema rejects unknown keys and categories, and fills defaults', () => {
    const validate = new Ajv({ useDefaults: true }).compile(rulesPlugin.optionsSchema);
    expect(validate({ rules: [{ category: 'audio', subcategory: 'x', patterns: ['a'] }] })).toBe(false);
    expect(validate({ bogus: 1 })).toBe(false);
    expect(validate({ rules: [{ category: 'code', subcategory: 'x', patterns: ['a'], weight: 0 }] })).toBe(false);
    const filled: Record<string, unknown> = {};
    expect(validate(filled)).toBe(true);
    expect(filled).toEqual({ rules: [], use_default_rules: true, default_category: 'text', default_subcategory: 'general', min_score: 1 });
  });

  it('the built-in rules are valid and every one compiles', () => {
    expect(checkBuiltIns()).toEqual([]);
  });
});

function checkBuiltIns(): string[] {
  return validateRules({ rules: [...DEFAULT_RULES] });
}

describe('rules classifier: case folding', () => {
  it('keeps case-sensitive unicode properties correct under the lower-case fast path', () => {
    const c = createRulesClassifier(options({ use_default_rules: false, rules: [{ category: 'code', subcategory: 'general', patterns: ['^\\p{Lu}{3}$'] }] }));
    expect(c.classify(input('ABC')).category).toBe('code');
    expect(c.classify(input('abc')).category).toBe('code'); // case-insensitive, as documented
  });
});
