/**
 * Nesting limits for JSON from outside (client bodies, tool-call arguments, provider answers).
 * JSON.parse takes any depth, but JSON.stringify and every recursive walk after it overflow the
 * stack on a few thousand levels (a 500, or worse a crashed request loop); no real request nests
 * anywhere near MAX_JSON_DEPTH. The check scans the text before it is parsed.
 */
export const MAX_JSON_DEPTH = 128;

/**
 * Whether JSON text (a string, or its UTF-8 bytes: multi-byte sequences never hold ASCII bytes)
 * nests deeper than `max`; brackets inside strings do not count. A plain scan, no parse: about
 * 10 ns a character, far less than walking the parsed value.
 */
export function textTooDeep(text: string | Uint8Array, max = MAX_JSON_DEPTH): boolean {
  const bytes = typeof text !== 'string';
  const length = text.length;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < length; i++) {
    const c = bytes ? text[i]! : text.charCodeAt(i);
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
