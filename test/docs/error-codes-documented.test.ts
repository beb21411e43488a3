/**
 * The README's error table says what the server really sends: for every code of src/errors.ts its
 * status, the OpenAI envelope's `type` and `code` and the Anthropic envelope's `type`, each rendered
 * by the real error handler; and the table lists no code the server does not have.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ERROR_CODES, GatewayError, type ErrorCode } from '../../src/errors.js';
import { renderError } from '../../src/server/error-handler.js';

async function errorTable(): Promise<Map<string, string[]>> {
  const readme = await readFile(join(import.meta.dirname, '../../README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Error codes'), readme.indexOf('\n## ', readme.indexOf('## Error codes') + 1));
  const rows = new Map<string, string[]>();
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const code = /^`([a-z_]+)`$/.exec(cells[1] ?? '')?.[1];
    if (code !== undefined && /^\d{3}$/.test(cells[2] ?? '')) rows.set(code, cells.slice(1, -1));
  }
  return rows;
}

it('documents every error code with the status, types and codes the server sends', async () => {
  const rows = await errorTable();
  for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) {
    const row = rows.get(code);
    expect(row, `README is missing error code ${code}`).toBeDefined();
    const error = new GatewayError(code, 'message');
    const openai = (renderError('/v1/chat/completions', error).body as { error: { type: string; code: string } }).error;
    const anthropic = (renderError('/v1/messages', error).body as { error: { type: string } }).error;
    const openrouter = renderError('/api/v1/keys', error).body as { error: { code: number; metadata: { error_code: string } } };
    expect(openrouter.error).toMatchObject({ code: ERROR_CODES[code].status, metadata: { error_code: code } });
    expect(row, code).toEqual([
      `\`${code}\``,
      String(ERROR_CODES[code].status),
      ERROR_CODES[code].retryable ? 'yes' : 'no',
      `\`${openai.type}\``,
      `\`${openai.code}\``,
      `\`${anthropic.type}\``,
      expect.any(String),
    ]);
  }
  for (const documented of rows.keys()) expect(Object.keys(ERROR_CODES), `README documents an unknown code ${documented}`).toContain(documented);
});
