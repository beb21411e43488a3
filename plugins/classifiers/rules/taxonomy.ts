/** The routing categories (SPEC "Routing") and the subcategories the built-in classifiers emit. */
export const CATEGORIES = ['text', 'code', 'image', 'video', 'document'] as const;
export type Category = (typeof CATEGORIES)[number];

/**
 * Subcategories per category. `general` means "the category is clear, the task is not".
 * YAML rules may use other subcategory names; these are the ones the defaults and the `llm`
 * classifier know.
 */
export const SUBCATEGORIES: Readonly<Record<Category, readonly string[]>> = {
  text: ['general', 'qa', 'summarization', 'translation', 'creative', 'analysis', 'math', 'rewriting', 'vision-qa'],
  code: ['general', 'generation', 'debugging', 'explanation', 'refactoring', 'review', 'sql', 'testing'],
  image: ['general', 'generation', 'design', 'editing'],
  video: ['general', 'generation', 'animation', 'editing'],
  document: ['general', 'presentation', 'spreadsheet', 'pdf', 'word'],
};

export function isCategory(value: unknown): value is Category {
  return typeof value === 'string' && (CATEGORIES as readonly string[]).includes(value);
}
