/**
 * The Codex CLI (`codex exec`, the real binary from node_modules) through Switchboard's Responses API:
 * a custom model provider on <gateway>/v1 with `wire_api = "responses"`, its model name a gateway
 * alias pointed at the OpenAI-backed and then at the Anthropic-backed model. The fake upstream asks
 * for an exec_command call, Codex runs it, and the final answer carries its output.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { AGENT_RESULT_PREFIX } from '../../helpers/fake-agent.js';
import { type ClientMatrix, startClientMatrix } from './harness.js';
import { cell } from './known-gaps.js';
import { type CliSandbox, cliSandbox } from './run-cli.js';

const CODEX_MODEL = 'gpt-5.5';
const CLI_TIMEOUT_MS = 60_000;

let matrix: ClientMatrix;
let sandbox: CliSandbox;
let codexHome: string;
beforeAll(async () => {
  [matrix, sandbox] = await Promise.all([startClientMatrix(), cliSandbox()]);
  codexHome = join(sandbox.home, '.codex');
  await mkdir(codexHome);
  await writeFile(
    join(codexHome, 'config.toml'),
    [
      `model = "${CODEX_MODEL}"`,
      'model_provider = "switchboard"',
      '',
      '[model_providers.switchboard]',
      'name = "Switchboard"',
      `base_url = "${matrix.url}/v1"`,
      'env_key = "SWITCHBOARD_API_KEY"',
      'wire_api = "responses"',
      // A failing gateway should fail the test at once, not after Codex's backoff.
      'request_max_retries = 0',
      'stream_max_retries = 0',
      '',
    ].join('\n'),
  );
});
afterAll(async () => {
  await matrix?.close();
  await sandbox?.close();
});

/** Runs `codex exec` and returns its last agent message. */
async function codex(prompt: string, extra: readonly string[] = []): Promise<string> {
  const lastMessage = join(sandbox.home, `last-${Date.now()}.txt`);
  const args = [
    'exec',
    '--skip-git-repo-check',
    '--dangerously-bypass-approvals-and-sandbox',
    '--ephemeral',
    '--color',
    'never',
    '-o',
    lastMessage,
    ...extra,
    prompt,
  ];
  const run = await sandbox.run('codex', args, { CODEX_HOME: codexHome, SWITCHBOARD_API_KEY: matrix.key }, CLI_TIMEOUT_MS);
  expect(run.code, `codex exited ${run.code}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`).toBe(0);
  return (await readFile(lastMessage, 'utf8')).trim();
}

for (const backendName of ['openai', 'anthropic'] as const) {
  describe(`Codex CLI → ${backendName} backend`, () => {
    const backend = () => matrix.backend(backendName);
    const id = (op: string) => `codex ${backendName} ${op}`;
    beforeAll(() => matrix.setAliases({ [CODEX_MODEL]: backend().model }));

    cell(
      id('exec_command tool loop'),
      async () => {
        backend().script({ toolCall: { name: 'exec_command', input: { cmd: 'echo SB-$((6*7))' } } });
        const bill = await matrix.billing(backend().model);
        const answer = await codex('Run the marker command and tell me what it printed.');
        // "SB-42" exists only if Codex ran the command the upstream asked for.
        expect(answer.startsWith(AGENT_RESULT_PREFIX)).toBe(true);
        expect(answer).toContain('SB-42');
        const bodies = backend().bodies();
        expect(bodies).toHaveLength(2);
        expect(bodies[0]?.['model']).toBe(backend().upstreamModel);
        expect(JSON.stringify(bodies[0])).toContain('exec_command');
        expect(JSON.stringify(bodies[1])).toContain('SB-42');
        await bill.expectCharged(2);
      },
      CLI_TIMEOUT_MS + 10_000,
    );

    cell(
      id('structured output (--output-schema)'),
      async () => {
        backend().script({ text: 'This is prose, not the JSON that was asked for.' });
        const bill = await matrix.billing(backend().model);
        const schemaFile = join(sandbox.home, 'person.schema.json');
        const schema = {
          type: 'object',
          properties: { name: { type: 'string' }, age: { type: 'number' } },
          required: ['name', 'age'],
          additionalProperties: false,
        };
        await writeFile(schemaFile, JSON.stringify(schema));
        const answer = await codex('Invent a person.', ['--output-schema', schemaFile]);
        expect(JSON.parse(answer)).toEqual({ name: 'sample', age: 42 });
        await bill.expectCharged(1);
      },
      CLI_TIMEOUT_MS + 10_000,
    );
  });
}
