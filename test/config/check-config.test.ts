/** check-config and the start report schema, cross-reference and plugin-option errors in one pass. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { checkConfigFile } from '../../src/config/check.js';
import { ConfigError } from '../../src/config/errors.js';
import { startGateway } from '../../src/server/start.js';

const THREE_KINDS = `
server: { port: "eighty" }
auth:
  schemes: [api-key, { type: jwt, secret: too-short }]
providers: [{ name: m, type: mock }]
models: [{ id: a, provider: nowhere }]
`;

async function file(yaml: string): Promise<{ dir: string; path: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-check-'));
  const path = join(dir, 'config.yaml');
  await writeFile(path, `database: { url: "sqlite:${join(dir, 'db.sqlite')}" }\nplugins: { dir: ${join(dir, 'plugins')} }\n${yaml}`);
  return { dir, path };
}

async function errorsOf(run: () => Promise<unknown>): Promise<readonly string[]> {
  const err = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConfigError);
  return (err as ConfigError).errors;
}

const expected = [
  /^server\.port: must be integer$/,
  /^models\.0\.provider: no provider named "nowhere"/,
  /^auth\.schemes\.1: .*secret must be at least 32 bytes/,
];

it('check-config lists schema, reference and plugin-option errors together', async () => {
  const { dir, path } = await file(THREE_KINDS);
  const errors = await errorsOf(() => checkConfigFile(path, {}, dir));
  for (const pattern of expected)
    expect(
      errors.some((e) => pattern.test(e)),
      `${pattern} in ${JSON.stringify(errors)}`,
    ).toBe(true);
});

it('the start reports the same list', async () => {
  const { dir, path } = await file(THREE_KINDS);
  const fromCheck = await errorsOf(() => checkConfigFile(path, {}, dir));
  const fromStart = await errorsOf(() => startGateway({ configPath: path, env: {}, cwd: dir, port: 0, host: '127.0.0.1', announce: () => {} }));
  expect(fromStart).toEqual(fromCheck);
});

it('check-config and the start agree on postgres:// (refused with the same message until PostgreSQL support lands)', async () => {
  const { dir, path } = await file('providers: [{ name: m, type: mock }]\nmodels: [{ id: a, provider: m }]\n');
  const env = { SWITCHBOARD_DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db' };
  const fromCheck = await errorsOf(() => checkConfigFile(path, env, dir));
  const fromStart = await errorsOf(() => startGateway({ configPath: path, env, cwd: dir, port: 0, host: '127.0.0.1', announce: () => {} }));
  expect(fromCheck).toEqual(['database.url: PostgreSQL (postgres://) is not supported by this version yet; use sqlite:<path>']);
  expect(fromStart).toEqual(fromCheck);
});
