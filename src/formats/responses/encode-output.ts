/**
 * Canonical answer parts → Responses output items: each reasoning block one reasoning item
 * (its text as the summary, its signature sealed in encrypted_content), consecutive text one
 * assistant message, each tool call a function_call (or custom_tool_call for a custom tool).
 */
import type { ReasoningPart, ToolCallPart } from '../canonical.js';
import type { ItemIds } from './ids.js';
import { sealReasoning } from './reasoning-token.js';
import type { ResponsesCustomToolCallItem, ResponsesFunctionCallItem, ResponsesMessageItem, ResponsesOutputItem, ResponsesReasoningItem } from './wire.js';

type ItemStatus = 'in_progress' | 'completed' | 'incomplete';

export function messageItem(id: string, text: string, status: ItemStatus): ResponsesMessageItem {
  return { id, type: 'message', role: 'assistant', status, content: [{ type: 'output_text', text, annotations: [], logprobs: [] }] };
}

export function reasoningItem(id: string, part: Pick<ReasoningPart, 'text' | 'signature' | 'redactedData'>): ResponsesReasoningItem {
  const sealed = sealReasoning(part);
  return {
    id,
    type: 'reasoning',
    summary: part.text === '' ? [] : [{ type: 'summary_text', text: part.text }],
    ...(sealed !== undefined ? { encrypted_content: sealed } : {}),
  };
}

/** A custom tool's call carries its raw input in the `input` argument of the function we declared. */
export function customInput(args: string): string {
  try {
    const parsed: unknown = JSON.parse(args);
    if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { input?: unknown }).input === 'string') return (parsed as { input: string }).input;
  } catch {
    /* not JSON: pass the text on as it is */
  }
  return args;
}

export function toolCallItem(
  id: string,
  call: Pick<ToolCallPart, 'id' | 'name' | 'arguments'>,
  customTools: ReadonlySet<string>,
  status: ItemStatus,
): ResponsesFunctionCallItem | ResponsesCustomToolCallItem {
  if (customTools.has(call.name)) return { id, type: 'custom_tool_call', call_id: call.id, name: call.name, input: customInput(call.arguments), status };
  return { id, type: 'function_call', call_id: call.id, name: call.name, arguments: call.arguments, status };
}

export function encodeOutput(
  content: readonly (ReasoningPart | ToolCallPart | { readonly type: 'text'; readonly text: string })[],
  ids: ItemIds,
  customTools: ReadonlySet<string>,
  incomplete: boolean,
): ResponsesOutputItem[] {
  const out: ResponsesOutputItem[] = [];
  let text: string | null = null;
  const flushText = () => {
    if (text !== null && text !== '') out.push(messageItem(ids.next('msg'), text, incomplete ? 'incomplete' : 'completed'));
    text = null;
  };
  for (const part of content) {
    if (part.type === 'text') {
      text = (text ?? '') + part.text;
      continue;
    }
    flushText();
    if (part.type === 'reasoning') {
      if (part.text !== '' || part.signature !== undefined || part.redactedData !== undefined) out.push(reasoningItem(ids.next('rs'), part));
    } else {
      out.push(toolCallItem(ids.next(customTools.has(part.name) ? 'ctc' : 'fc'), part, customTools, 'completed'));
    }
  }
  flushText();
  return out;
}

/** What the client sees: encrypted_content only when it asked for it (include). */
export function forClient<T extends ResponsesOutputItem>(item: T, includeEncrypted: boolean): T {
  if (item.type !== 'reasoning' || includeEncrypted || item.encrypted_content === undefined) return item;
  const { encrypted_content: _sealed, ...rest } = item;
  return rest as T;
}
