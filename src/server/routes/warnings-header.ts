/**
 * X-Switchboard-Warnings: warnings joined with "; ". Warnings quote client-supplied text, so
 * everything outside printable ASCII is escaped as \uXXXX: the header stays one line, and a
 * character Node refuses in a header can never turn a request into a 500.
 */
const MAX_CHARS = 2000;

export function warningsHeader(warnings: readonly string[]): string {
  const escaped = warnings.join('; ').replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return escaped.length > MAX_CHARS ? `${escaped.slice(0, MAX_CHARS - 3)}...` : escaped;
}
