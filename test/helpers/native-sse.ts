/** Calls the native `POST /api/chat` and parses its `data: {json}` events. */

export interface NativeEventJson {
  readonly type: string;
  readonly [field: string]: unknown;
}

export interface NativeChatResponse {
  readonly status: number;
  readonly headers: Headers;
  /** Parsed events for an SSE answer; empty for a JSON error. */
  readonly events: NativeEventJson[];
  /** The parsed JSON body for a non-SSE answer. */
  readonly json: unknown;
  readonly raw: string;
}

export function parseNativeSse(text: string): NativeEventJson[] {
  return text
    .split('\n\n')
    .map((block) => block.trim())
    .filter((block) => block.startsWith('data: '))
    .map((block) => JSON.parse(block.slice('data: '.length)) as NativeEventJson);
}

export async function nativeChat(url: string, key: string, body: unknown): Promise<NativeChatResponse> {
  const res = await fetch(`${url}/api/chat`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const raw = await res.text();
  const sse = (res.headers.get('content-type') ?? '').startsWith('text/event-stream');
  return { status: res.status, headers: res.headers, events: sse ? parseNativeSse(raw) : [], json: sse ? undefined : (JSON.parse(raw) as unknown), raw };
}

export function tokensText(events: readonly NativeEventJson[]): string {
  return events
    .filter((e) => e.type === 'token')
    .map((e) => String(e['text']))
    .join('');
}
