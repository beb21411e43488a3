/**
 * Runs a client CLI from node_modules/.bin as a child process (asynchronously: the gateway it talks to
 * runs in this process) with a clean environment and a temp HOME, so nothing of the machine leaks in.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BIN = resolve(import.meta.dirname, '../../../node_modules/.bin');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliSandbox {
  /** An empty temp directory used as HOME (and for config dirs inside it). */
  readonly home: string;
  /** An empty temp directory the CLI runs in. */
  readonly cwd: string;
  run(bin: string, args: readonly string[], env: Record<string, string>, timeoutMs?: number): Promise<CliResult>;
  close(): Promise<void>;
}

export async function cliSandbox(): Promise<CliSandbox> {
  const root = await mkdtemp(join(tmpdir(), 'switchboard-cli-'));
  const home = join(root, 'home');
  const cwd = join(root, 'work');
  await Promise.all([mkdir(home), mkdir(cwd)]);
  return {
    home,
    cwd,
    run(bin, args, env, timeoutMs = 60_000) {
      return new Promise((done, fail) => {
        const child = spawn(join(BIN, bin), args, {
          cwd,
          env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8', TERM: 'dumb', NO_COLOR: '1', ...env },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          fail(new Error(`${bin} timed out after ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
        }, timeoutMs);
        child.on('error', (err) => {
          clearTimeout(timer);
          fail(err);
        });
        child.on('close', (code) => {
          clearTimeout(timer);
          done({ code, stdout, stderr });
        });
      });
    },
    close: () => rm(root, { recursive: true, force: true }),
  };
}
