/** Runs `node bin/switchboard.js start` as a child process with a temp config, for signal tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';

export interface SpawnedServer {
  readonly url: string;
  readonly child: ChildProcess;
  readonly dir: string;
  readonly configPath: string;
  readonly output: () => string;
  writeConfig(config: Record<string, unknown>): Promise<void>;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

const ROOT = resolve(import.meta.dirname, '../..');

export async function spawnServer(
  config: Record<string, unknown>,
  options: { dir?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<SpawnedServer> {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'switchboard-proc-')));
  const configPath = join(dir, 'config.yaml');
  const base = { server: { port: 0, host: '127.0.0.1' }, database: { url: `sqlite:${join(dir, 'switchboard.db')}` }, plugins: { dir: join(dir, 'plugins') } };
  const writeConfig = (c: Record<string, unknown>) => writeFile(configPath, stringify({ ...base, ...c }));
  await writeConfig(config);
  const child = spawn(process.execPath, [join(ROOT, 'bin/switchboard.js'), 'start'], {
    cwd: dir,
    env: { PATH: process.env['PATH'], SWITCHBOARD_CONFIG: configPath, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  const url = await new Promise<string>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`server did not start in time:\n${output}`)), options.timeoutMs ?? 15_000);
    const check = () => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        res(match[1]);
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      rej(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  return { url, child, dir, configPath, output: () => output, writeConfig, exited };
}
