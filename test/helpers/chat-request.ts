/** A small fetch wrapper for chat requests against a test server. */
export interface ChatReply {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
  readonly text: string;
}

export async function postChat(url: string, key: string, body: Record<string, unknown>, path = '/v1/chat/completions'): Promise<ChatReply> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ messages: [{ role: 'user', content: 'hello there' }], ...(path === '/v1/messages' ? { max_tokens: 64 } : {}), ...body }),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // a stream
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}
