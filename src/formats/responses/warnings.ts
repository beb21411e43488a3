/**
 * What a Responses request asked for that Switchboard cannot honour: collected while decoding,
 * sent in X-Switchboard-Warnings (never dropped silently). Client-supplied names are quoted with
 * JSON.stringify so they stay one token; the header encoder escapes the rest.
 */
export class DecodeWarnings {
  private readonly seen = new Set<string>();
  readonly list: string[] = [];

  add(text: string): void {
    if (this.seen.has(text)) return;
    this.seen.add(text);
    this.list.push(text);
  }
}

/** A client-supplied value inside a warning: quoted, at most 64 characters. */
export function quoted(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return JSON.stringify(text.length > 64 ? `${text.slice(0, 63)}…` : text);
}
