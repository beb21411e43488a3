/**
 * Classifier speed: µs per prompt for the `rules` classifier (built-in rules) over the labeled
 * prompt set ×100, plus a 20 kB prompt. Run: `npx tsx bench/classifier.ts`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRulesClassifier } from '../plugins/classifiers/rules/index.js';
import type { ClassifyInput } from '../src/plugins/types.js';

const ROUNDS = 100;
const file = fileURLToPath(new URL('../test/fixtures/classifier/labeled.jsonl', import.meta.url));
const inputs: ClassifyInput[] = readFileSync(file, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => {
    const row = JSON.parse(line) as { prompt: string; hasImages?: boolean; hasFiles?: boolean };
    return { prompt: row.prompt, hasImages: row.hasImages === true, hasFiles: row.hasFiles === true };
  });

const classifier = createRulesClassifier({
  rules: [],
  use_default_rules: true,
  default_category: 'text',
  default_subcategory: 'general',
  min_score: 1,
});

function measure(batch: readonly ClassifyInput[], rounds: number): number {
  for (const input of batch) classifier.classify(input); // warm-up: JIT and regex compilation
  const start = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) for (const input of batch) classifier.classify(input);
  const ns = Number(process.hrtime.bigint() - start);
  return ns / 1000 / (rounds * batch.length);
}

const code = 'function add(a, b) {\n    return a + b; // sums two numbers\n}\n';
const big = `Why does this fail?\n\`\`\`js\n${code.repeat(Math.ceil(20_000 / code.length))}\`\`\`\nTypeError: x is not a function`;
const prose = 'The committee reviewed the proposal and agreed to revisit it next quarter. ';
const bigProse = `Summarize this: ${prose.repeat(Math.ceil(20_000 / prose.length))}`;

console.log(`labeled set: ${inputs.length} prompts × ${ROUNDS}: ${measure(inputs, ROUNDS).toFixed(1)} µs/prompt`);
console.log(`20 kB code prompt: ${measure([{ prompt: big, hasImages: false, hasFiles: false }], 200).toFixed(1)} µs/prompt`);
console.log(`20 kB prose prompt: ${measure([{ prompt: bigProse, hasImages: false, hasFiles: false }], 200).toFixed(1)} µs/prompt`);
