/**
 * Nesting limits for JSON from outside (client bodies, tool-call arguments, provider answers).
 * JSON.parse takes any depth, but JSON.stringify and every recursive walk after it overflow the
 * stack on a few thousand levels (a 500, or worse a crashed request loop); no real request nests
 * anywhere near MAX_JSON_DEPTH. Both checks are iterative and stop at the first level too deep.
 */
export const MAX_JSON_DEPTH = 128;

/** Whether the parsed value nests deeper than `max` arrays/objects. */
export function valueTooDeep(value: unknown, max = MAX_JSON_DEPTH): boolean {
  if (value === null || typeof value !== 'object') return false;
  const stack: { readonly value: object; readonly depth: number }[] = [{ value, depth: 1 }];
  while (stack.length > 0) {
    const { value: node, depth } = stack.pop()!;
    if (depth > max) return true;
    const children = Array.isArray(node) ? node : Object.values(node);
    for (const child of children) if (child !== null && typeof child === 'object') stack.push({ value: child as object, depth: depth + 1 });
  }
  return false;
}

/** Whether JSON text nests deeper than `max` (brackets inside strings do not count); no parse. */
export function textTooDeep(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > max) return true;
    } else if (c === 93 /* ] */ || c === 125 /* } */) depth--;
  }
  return false;
}

/** JSON.parse that answers undefined for text that is not JSON or nests too deep. */
export function parseBoundedJson(text: string, max = MAX_JSON_DEPTH): unknown {
  if (textTooDeep(text, max)) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
