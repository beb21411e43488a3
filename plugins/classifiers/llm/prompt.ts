/** The classification prompt sent to the model, and the strict reading of its answer. */
import type { Classification, ClassifyInput } from '../../../src/plugins/types.js';
import { CATEGORIES, SUBCATEGORIES, isCategory } from '../rules/taxonomy.js';

/** The model needs the request, not a whole pasted document, to tell what is wanted. */
const PROMPT_HEAD = 3000;
const PROMPT_TAIL = 1000;

export const SYSTEM_PROMPT = [
  'You route requests to AI models. Classify what the user wants PRODUCED:',
  '- code: source code, debugging, explaining or reviewing code, SQL;',
  '- image: a picture, drawing, illustration, logo or edited image;',
  '- video: a video, clip or animation;',
  '- document: a file such as PDF, Word/docx, PowerPoint/slides, Excel/spreadsheet;',
  '- text: anything else (answers, summaries, translations, stories, analysis, math).',
  'Talking ABOUT images, videos or documents is still text. Subcategories:',
  ...CATEGORIES.map((c) => `${c}: ${SUBCATEGORIES[c].join(', ')}`),
  'Answer with JSON only: {"category": "...", "subcategory": "...", "confidence": 0.0-1.0}',
].join('\n');

export function userMessage(input: ClassifyInput): string {
  const p = input.prompt;
  const text = p.length <= PROMPT_HEAD + PROMPT_TAIL ? p : `${p.slice(0, PROMPT_HEAD)}\n[…]\n${p.slice(-PROMPT_TAIL)}`;
  const notes = [input.hasImages ? '[the user attached image(s)]' : '', input.hasFiles ? '[the user attached file(s)]' : ''].filter((n) => n !== '').join(' ');
  return notes === '' ? text : `${notes}\n${text}`;
}

/** The classification in a chat-completions response body, or null when it is not a usable one. */
export function parseAnswer(body: string): Classification | null {
  let content: unknown;
  try {
    const json: unknown = JSON.parse(body);
    const choices = (json as { choices?: unknown }).choices;
    content = Array.isArray(choices) ? (choices[0] as { message?: { content?: unknown } } | undefined)?.message?.content : undefined;
  } catch {
    return null;
  }
  if (typeof content !== 'string') return null;
  // Models wrap JSON in prose or ```json fences despite being told not to.
  const start = content.indexOf('{');
  const end = content.lastIndexOf('}');
  if (start < 0 || end <= start) return null;
  let answer: unknown;
  try {
    answer = JSON.parse(content.slice(start, end + 1));
  } catch {
    return null;
  }
  if (typeof answer !== 'object' || answer === null) return null;
  const { category, subcategory, confidence } = answer as Record<string, unknown>;
  const cat = typeof category === 'string' ? category.trim().toLowerCase() : undefined;
  if (!isCategory(cat)) return null;
  const sub = typeof subcategory === 'string' ? subcategory.trim().toLowerCase() : '';
  return {
    category: cat,
    // An invented subcategory does not make the category wrong; it is just not a known task.
    subcategory: SUBCATEGORIES[cat].includes(sub) ? sub : 'general',
    confidence: typeof confidence === 'number' && Number.isFinite(confidence) ? Math.min(1, Math.max(0, confidence)) : 0.7,
  };
}
