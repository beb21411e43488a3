/**
 * Claude Code (`claude -p`, the real CLI from node_modules) through Switchboard: its default model
 * name is a gateway alias, pointed at the OpenAI-backed and then at the Anthropic-backed model. The
 * fake upstream asks for a Bash call, Claude Code runs it, and the final answer carries its output.
 */
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { AGENT_RESULT_PREFIX } from '../../helpers/fake-agent.js';
import { type ClientMatrix, startClientMatrix } from './harness.js';
import { cell } from './known-gaps.js';
import { type CliSandbox, cliSandbox } from './run-cli.js';

/** The model Claude Code 2.1.332 asks for when none is configured. */
const CLAUDE_CODE_DEFAULT_MODEL = 'claude-opus-5-5';
const CLI_TIMEOUT_MS = 60_000;

let matrix: ClientMatrix;
let sandbox: CliSandbox;
beforeAll(async () => {
  [matrix, sandbox] = await Promise.all([startClientMatrix(), cliSandbox()]);
});
afterAll(async () => {
  await matrix?.close();
  await sandbox?.close();
});

interface ClaudeResult {
  readonly result?: string;
  readonly is_error?: boolean;
  readonly num_turns?: number;
  readonly structured_output?: unknown;
  readonly usage?: { readonly input_tokens?: number; readonly output_tokens?: number };
}

async function claude(args: readonly string[], auth: 'api-key' | 'auth-token' = 'api-key'): Promise<ClaudeResult> {
  const env: Record<string, string> = {
    ANTHROPIC_BASE_URL: matrix.url,
    [auth === 'api-key' ? 'ANTHROPIC_API_KEY' : 'ANTHROPIC_AUTH_TOKEN']: matrix.key,
    CLAUDE_CONFIG_DIR: `${sandbox.home}/.claude`,
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_ERROR_REPORTING: '1',
  };
  const run = await sandbox.run('claude', ['-p', ...args, '--output-format', 'json', '--max-turns', '4'], env, CLI_TIMEOUT_MS);
  expect(run.code, `claude exited ${run.code}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`).toBe(0);
  return JSON.parse(run.stdout) as ClaudeResult;
}

const toolNames = (body: Record<string, unknown> | undefined): string[] =>
  ((body?.['tools'] as Record<string, unknown>[] | undefined) ?? []).map((t) =>
    String((t['function'] as Record<string, unknown> | undefined)?.['name'] ?? t['name']),
  );

for (const backendName of ['openai', 'anthropic'] as const) {
  describe(`Claude Code → ${backendName} backend`, () => {
    const backend = () => matrix.backend(backendName);
    const id = (op: string) => `claude-code ${backendName} ${op}`;
    beforeAll(() => matrix.setAliases({ [CLAUDE_CODE_DEFAULT_MODEL]: backend().model }));

    cell(
      id('Bash tool loop'),
      async () => {
        backend().script({ toolCall: { name: 'Bash', input: { command: 'echo SB-$((6*7))', description: 'Print the marker' } } });
        const bill = await matrix.billing(backend().model);
        const out = await claude(['Run the marker command and tell me what it printed.', '--allowedTools', 'Bash']);
        expect(out.is_error).toBe(false);
        // "SB-42" exists only if Claude Code ran the command the upstream asked for.
        expect(out.result).toBe(`${AGENT_RESULT_PREFIX}SB-42`);
        expect(out.usage?.input_tokens).toBeGreaterThan(0);
        const [first, second] = backend().bodies();
        expect(backend().bodies()).toHaveLength(2);
        expect(first?.['model']).toBe(backend().upstreamModel);
        expect(toolNames(first)).toContain('Bash');
        // Claude Code's environment block is a system turn inside messages: it must reach the model.
        expect(JSON.stringify(first)).toContain('# Environment');
        expect(JSON.stringify(second)).toContain('SB-42');
        await bill.expectCharged(2);
      },
      CLI_TIMEOUT_MS + 10_000,
    );

    cell(
      id('structured output (--json-schema)'),
      async () => {
        backend().script({ toolCall: { name: 'StructuredOutput', input: { name: 'Ada', age: 36 } } });
        const bill = await matrix.billing(backend().model);
        const schema = {
          type: 'object',
          properties: { name: { type: 'string' }, age: { type: 'number' } },
          required: ['name', 'age'],
          additionalProperties: false,
        };
        const out = await claude(['Invent a person.', '--json-schema', JSON.stringify(schema)], 'auth-token');
        expect(out.is_error).toBe(false);
        expect(out.structured_output).toEqual({ name: 'Ada', age: 36 });
        expect(toolNames(backend().bodies()[0])).toContain('StructuredOutput');
        const charges = await bill.expectCharged(backend().bodies().length);
        expect(charges.length).toBeGreaterThan(0);
      },
      CLI_TIMEOUT_MS + 10_000,
    );
  });
}
